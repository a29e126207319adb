/// The Public Suffix List (publicsuffix.org): which names are registries' (`co.uk`, `github.io`), so
/// that a DMARC receiver can find a domain's organisational domain — one label below its public
/// suffix (RFC 7489 §3.2). Parsed from the list's own format: a rule per line, `//` comments, `*.`
/// wildcards and `!` exceptions; both its ICANN and private sections count, as DMARC receivers use it.
public struct PublicSuffixList: Sendable, Equatable {
  /// What a name is to the list: a rule, a wildcard's parent (`*.ck` is stored as `ck`), an exception,
  /// and whether a longer entry ends with it — one table, so a lookup is one hash per label, and the
  /// walk up a name stops at the first tail no entry ends with.
  struct Kind: OptionSet, Sendable, Equatable {
    let rawValue: UInt8
    static let rule = Kind(rawValue: 1)
    static let wildcard = Kind(rawValue: 2)
    static let exception = Kind(rawValue: 4)
    /// A longer entry ends with this name (`uk` of `co.uk`): the walk goes on.
    static let parent = Kind(rawValue: 8)
  }

  /// Entries and their parents, lowercase, without empty labels, as written (`co.uk`), so that a
  /// lookup is a tail of the name itself.
  private var table: [String: Kind] = [:]

  /// The list as Debian's `publicsuffix` package installs it.
  public static let systemPath = "/usr/share/publicsuffix/public_suffix_list.dat"
  /// A list larger than this is not the Public Suffix List (today's is about 250 KB).
  public static let maximumBytes = 4 * 1024 * 1024

  /// Rules, wildcards and exceptions (a parent alone is not one).
  public private(set) var ruleCount = 0

  /// - Throws: when the text has no rule at all (an empty or wrong file).
  public init(_ text: String) throws(PublicSuffixListError) {
    // Read as bytes: the list has about 10,000 lines, almost all ASCII, and a trace or DMARC check
    // waits for it (String's per-character splitting took 45 ms; this takes a few).
    var text = text
    text.withUTF8 { bytes in
      // About one rule per line: the set is sized once instead of growing and rehashing.
      table.reserveCapacity(bytes.count { $0 == 10 })
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
    let own: Kind = kind == 1 ? .exception : kind == 2 ? .wildcard : .rule
    if table[name, default: []].insert(own).inserted { ruleCount += 1 }
    // Each shorter tail (`uk` of `co.uk`) leads on to this entry; where one already does, so do its own.
    var tails = name
    tails.withUTF8 { bytes in
      for index in bytes.indices where bytes[index] == 46 {
        let tail = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)...]), as: UTF8.self)
        guard table[tail, default: []].insert(.parent).inserted else { break }
      }
    }
  }

  /// The number of labels of a name's public suffix (the PSL algorithm: the matching rule with the most
  /// labels, an exception rule winning and standing for its parent; `*` — one label — when no rule
  /// matches). `tail(n)` is the key of the name's last `n` labels (`uk`, `co.uk`, …); the walk stops at
  /// a tail that no entry ends with, since no longer one can match.
  func suffixLength(labels: Int, _ tail: (Int) -> String) -> Int {
    var longest = 1
    for count in 1...max(1, labels) {
      guard let kind = table[tail(count)] else { break }
      if kind.contains(.exception) { return count - 1 }
      if kind.contains(.rule) { longest = max(longest, count) }
      if count < labels && kind.contains(.wildcard) { longest = max(longest, count + 1) }
      guard kind.contains(.parent) else { break }
    }
    return longest
  }

  /// The organisational domain: the public suffix and one label more; `nil` when the name is itself a
  /// public suffix (no organisation owns it).
  public func organizationalDomain(of domain: String) -> String? {
    organizationalDomain(ofCanonical: Self.canonical(domain))
  }

  /// `organizationalDomain(of:)` of a name already in `canonical` form (callers that normalised it
  /// themselves, once per host of a 20,000-hop trace).
  public func organizationalDomain(ofCanonical name: String) -> String? {
    guard !name.isEmpty else { return nil }
    var name = name
    var unicode = false
    let ascii = name.withUTF8 { bytes -> String? in
      guard !bytes.contains(where: { $0 >= 0x80 }) else {
        unicode = true
        return nil
      }
      // ASCII, the common case: keys are tails of the name's bytes (up to 15 bytes without allocating).
      let labels = bytes.count { $0 == 46 } + 1
      // The name's last `count` labels: back to the `count`th dot from the end, or all of it.
      func tail(_ count: Int) -> String {
        var start = bytes.count
        var dots = 0
        while start > 0 {
          if bytes[start - 1] == 46 {
            dots += 1
            if dots == count { break }
          }
          start -= 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
      }
      let suffix = suffixLength(labels: labels, tail)
      return labels > suffix ? tail(suffix + 1) : nil
    }
    guard unicode else { return ascii }
    // Unicode names (and combining marks after a dot) are split as characters.
    let labels = name.split(separator: ".")
    let suffix = suffixLength(labels: labels.count) { labels.suffix($0).joined(separator: ".") }
    return labels.count > suffix ? labels.suffix(suffix + 1).joined(separator: ".") : nil
  }

  /// Lowercase, without a trailing dot or empty labels; the name itself when it already is (the common
  /// case, checked in one pass over its bytes: ASCII without capitals or empty labels).
  public static func canonical(_ domain: String) -> String {
    let clean =
      domain.utf8.withContiguousStorageIfAvailable(isCanonical)
      ?? Array(domain.utf8).withUnsafeBufferPointer(isCanonical)
    return clean ? domain : domain.lowercased().split(separator: ".").joined(separator: ".")
  }

  /// ASCII without capitals, empty labels or a trailing dot (and not empty), read over the bytes: every
  /// rule of the list and every host of a trace passes here.
  static func isCanonical(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var previous: UInt8 = 46
    for byte in bytes {
      if (byte >= 65 && byte <= 90) || byte >= 0x80 || (byte == 46 && previous == 46) { return false }
      previous = byte
    }
    return previous != 46
  }
}

/// Why a public-suffix list could not be used.
public struct PublicSuffixListError: Error, Equatable, CustomStringConvertible {
  public var reason: String
  public var description: String { reason }
}
