/// The Public Suffix List (publicsuffix.org): which names are registries' (`co.uk`, `github.io`), so
/// that a DMARC receiver can find a domain's organisational domain — one label below its public
/// suffix (RFC 7489 §3.2). Parsed from the list's own format: a rule per line, `//` comments, `*.`
/// wildcards and `!` exceptions; both its ICANN and private sections count, as DMARC receivers use it.
public struct PublicSuffixList: Sendable, Equatable {
  /// Rules as reversed label lists joined by dots (`uk.co`), so lookups walk from the top label down.
  private var rules: Set<String> = []
  private var wildcards: Set<String> = []
  private var exceptions: Set<String> = []
  /// Labels in the longest rule (a wildcard counts its `*`).
  private var longestRule = 1

  /// The list as Debian's `publicsuffix` package installs it.
  public static let systemPath = "/usr/share/publicsuffix/public_suffix_list.dat"
  /// A list larger than this is not the Public Suffix List (today's is about 250 KB).
  public static let maximumBytes = 4 * 1024 * 1024

  public var ruleCount: Int { rules.count + wildcards.count + exceptions.count }

  /// - Throws: when the text has no rule at all (an empty or wrong file).
  public init(_ text: String) throws(PublicSuffixListError) {
    // Read as bytes: the list has about 10,000 lines, almost all ASCII, and a trace or DMARC check
    // waits for it (String's per-character splitting took 45 ms; this takes a few).
    var text = text
    text.withUTF8 { bytes in
      // About one rule per line: the set is sized once instead of growing and rehashing.
      rules.reserveCapacity(bytes.count { $0 == 10 })
      var start = 0
      while start < bytes.count {
        var end = start
        while end < bytes.count, bytes[end] != 10, bytes[end] != 13 { end += 1 }
        // A rule is the first whitespace-separated word of a line; the rest is ignored.
        var wordEnd = start
        while wordEnd < end, bytes[wordEnd] != 32, bytes[wordEnd] != 9 { wordEnd += 1 }
        let word = UnsafeBufferPointer(rebasing: bytes[start..<wordEnd])
        start = end + 1
        guard !word.isEmpty, !(word.count >= 2 && word[0] == 47 && word[1] == 47) else { continue }
        if word.allSatisfy({ $0 < 128 }) {
          add(asciiRule: word)
        } else {
          // The list writes internationalized rules in Unicode; DNS names here are in their ASCII form.
          let rule = String(decoding: word, as: UTF8.self).lowercased()
            .split(separator: ".", omittingEmptySubsequences: false).map { label in
              label.allSatisfy(\.isASCII)
                ? String(label) : Punycode.encode(String(label)).map { "xn--" + $0 } ?? String(label)
            }.joined(separator: ".")
          var copy = rule
          copy.withUTF8 { add(asciiRule: $0) }
        }
      }
    }
    guard ruleCount > 0 else { throw PublicSuffixListError(reason: "no rules in it") }
  }

  /// One rule in ASCII: `!` an exception, `*.` a wildcard; stored lowercase, without empty labels, as
  /// written (`co.uk`), so that a lookup is a tail of the name itself.
  private mutating func add(asciiRule word: UnsafeBufferPointer<UInt8>) {
    var body = word[...]
    var kind = 0
    if body.first == 33 {
      kind = 1
      body = body.dropFirst()
    } else if body.count >= 2, body[body.startIndex] == 42, body[body.startIndex + 1] == 46 {
      kind = 2
      body = body.dropFirst(2)
    }
    // Stored as a name is looked up: lowercase, without empty labels (almost every rule already is).
    let name = Self.canonical(String(decoding: UnsafeBufferPointer(rebasing: body), as: UTF8.self))
    guard !name.isEmpty else { return }
    switch kind {
    case 1: exceptions.insert(name)
    case 2: wildcards.insert(name)
    default: rules.insert(name)
    }
    longestRule = max(longestRule, name.utf8.count { $0 == 46 } + 1 + (kind == 2 ? 1 : 0))
  }

  /// The number of labels of a name's public suffix (the PSL algorithm: the matching rule with the most
  /// labels, an exception rule winning and standing for its parent; `*` — one label — when no rule
  /// matches). `tail(n)` is the key of the name's last `n` labels (`uk`, `co.uk`, …); no rule has more
  /// labels than the longest, so the walk stops there.
  func suffixLength(labels: Int, _ tail: (Int) -> String) -> Int {
    var longest = 1
    for count in 1...max(1, min(labels, longestRule)) {
      let key = tail(count)
      if exceptions.contains(key) { return count - 1 }
      if rules.contains(key) { longest = max(longest, count) }
      if count < labels && wildcards.contains(key) { longest = max(longest, count + 1) }
    }
    return longest
  }

  /// The organisational domain: the public suffix and one label more; `nil` when the name is itself a
  /// public suffix (no organisation owns it).
  public func organizationalDomain(of domain: String) -> String? {
    let name = Self.canonical(domain)
    guard !name.isEmpty else { return nil }
    guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
      // Unicode names (and combining marks after a dot) are split as characters.
      let labels = name.split(separator: ".")
      let suffix = suffixLength(labels: labels.count) { labels.suffix($0).joined(separator: ".") }
      return labels.count > suffix ? labels.suffix(suffix + 1).joined(separator: ".") : nil
    }
    // ASCII, the common case: keys are tails of the name itself (up to 15 bytes without allocating).
    let labels = name.utf8.count { $0 == 46 } + 1
    let suffix = suffixLength(labels: labels) { String(Self.lastLabels(name, $0)) }
    return labels > suffix ? String(Self.lastLabels(name, suffix + 1)) : nil
  }

  /// The last `count` labels of an ASCII name (all of it when it has no more).
  static func lastLabels(_ name: String, _ count: Int) -> Substring {
    let utf8 = name.utf8
    var end = utf8.endIndex
    for _ in 0..<count {
      guard let dot = utf8[..<end].lastIndex(of: 46) else { return name[...] }
      end = dot
    }
    return name[utf8.index(after: end)...]
  }

  /// Lowercase, without a trailing dot or empty labels; the name itself when it already is (the common
  /// case, checked in one pass over its bytes: ASCII without capitals or empty labels).
  public static func canonical(_ domain: String) -> String {
    var clean = true
    var previous: UInt8 = 46
    for byte in domain.utf8 {
      if (byte >= 65 && byte <= 90) || byte >= 0x80 || (byte == 46 && previous == 46) {
        clean = false
        break
      }
      previous = byte
    }
    if clean && previous != 46 { return domain }
    return domain.lowercased().split(separator: ".").joined(separator: ".")
  }
}

/// Why a public-suffix list could not be used.
public struct PublicSuffixListError: Error, Equatable, CustomStringConvertible {
  public var reason: String
  public var description: String { reason }
}
