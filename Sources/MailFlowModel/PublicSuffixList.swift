/// The Public Suffix List (publicsuffix.org): which names are registries' (`co.uk`, `github.io`), so
/// that a DMARC receiver can find a domain's organisational domain — one label below its public
/// suffix (RFC 7489 §3.2). Parsed from the list's own format: a rule per line, `//` comments, `*.`
/// wildcards and `!` exceptions; both its ICANN and private sections count, as DMARC receivers use it.
public struct PublicSuffixList: Sendable, Equatable {
  /// Rules as reversed label lists joined by dots (`uk.co`), so lookups walk from the top label down.
  private var rules: Set<String> = []
  private var wildcards: Set<String> = []
  private var exceptions: Set<String> = []

  /// The list as Debian's `publicsuffix` package installs it.
  public static let systemPath = "/usr/share/publicsuffix/public_suffix_list.dat"
  /// A list larger than this is not the Public Suffix List (today's is about 250 KB).
  public static let maximumBytes = 4 * 1024 * 1024

  public var ruleCount: Int { rules.count + wildcards.count + exceptions.count }

  /// - Throws: when the text has no rule at all (an empty or wrong file).
  public init(_ text: String) throws(PublicSuffixListError) {
    for raw in text.split(whereSeparator: \.isNewline) {
      // A rule is the first whitespace-separated word of a line; the rest is ignored.
      guard let word = raw.split(whereSeparator: \.isWhitespace).first, !word.hasPrefix("//") else {
        continue
      }
      // The list writes internationalized rules in Unicode; DNS names here are in their ASCII form.
      let rule = word.lowercased().split(separator: ".", omittingEmptySubsequences: false).map { label in
        label.allSatisfy(\.isASCII)
          ? String(label) : Punycode.encode(String(label)).map { "xn--" + $0 } ?? String(label)
      }.joined(separator: ".")
      if rule.hasPrefix("!") {
        exceptions.insert(Self.key(rule.dropFirst()))
      } else if rule.hasPrefix("*.") {
        wildcards.insert(Self.key(rule.dropFirst(2)))
      } else {
        rules.insert(Self.key(Substring(rule)))
      }
    }
    guard ruleCount > 0 else { throw PublicSuffixListError(reason: "no rules in it") }
  }

  static func key(_ name: Substring) -> String {
    name.split(separator: ".").reversed().joined(separator: ".")
  }

  /// The number of labels of the domain's public suffix (the PSL algorithm: the matching rule with the
  /// most labels, an exception rule winning and standing for its parent; `*` — one label — when no
  /// rule matches).
  func suffixLength(_ labels: [Substring]) -> Int {
    var longest = 1
    var reversed: [Substring] = []
    for count in 1...labels.count {
      reversed.append(labels[labels.count - count])
      let key = reversed.joined(separator: ".")
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
