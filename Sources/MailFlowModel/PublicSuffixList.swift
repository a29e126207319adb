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

  /// One rule in ASCII: `!` an exception, `*.` a wildcard; stored lowercase with its labels reversed.
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
    var key: [UInt8] = []
    key.reserveCapacity(body.count)
    var labelEnd = body.endIndex
    var index = body.endIndex
    while index > body.startIndex {
      index -= 1
      if body[index] == 46 {
        if index + 1 < labelEnd {
          if !key.isEmpty { key.append(46) }
          key += body[(index + 1)..<labelEnd].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        }
        labelEnd = index
      }
    }
    if body.startIndex < labelEnd {
      if !key.isEmpty { key.append(46) }
      key += body[body.startIndex..<labelEnd].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }
    guard !key.isEmpty else { return }
    longestRule = max(longestRule, key.count { $0 == 46 } + 1)
    let name = String(decoding: key, as: UTF8.self)
    switch kind {
    case 1: exceptions.insert(name)
    case 2: wildcards.insert(name)
    default: rules.insert(name)
    }
    if kind == 2 { longestRule = max(longestRule, key.count { $0 == 46 } + 2) }
  }

  static func key(_ name: Substring) -> String {
    name.split(separator: ".").reversed().joined(separator: ".")
  }

  /// The number of labels of the domain's public suffix (the PSL algorithm: the matching rule with the
  /// most labels, an exception rule winning and standing for its parent; `*` — one label — when no
  /// rule matches).
  func suffixLength(_ labels: [Substring]) -> Int {
    var longest = 1
    var key = ""
    // No rule has more labels than the longest: the walk stops there.
    for count in 1...min(labels.count, longestRule) {
      key += count == 1 ? labels[labels.count - 1] : "." + labels[labels.count - count]
      if exceptions.contains(key) { return count - 1 }
      if rules.contains(key) { longest = max(longest, count) }
      if count < labels.count && wildcards.contains(key) { longest = max(longest, count + 1) }
    }
    return longest
  }

  /// The organisational domain: the public suffix and one label more; `nil` when the name is itself a
  /// public suffix (no organisation owns it).
  public func organizationalDomain(of domain: String) -> String? {
    let labels = domain.withoutTrailingDot.lowercased().split(separator: ".")
    guard !labels.isEmpty else { return nil }
    let suffix = suffixLength(labels)
    guard labels.count > suffix else { return nil }
    return labels.suffix(suffix + 1).joined(separator: ".")
  }
}

/// Why a public-suffix list could not be used.
public struct PublicSuffixListError: Error, Equatable, CustomStringConvertible {
  public var reason: String
  public var description: String { reason }
}
