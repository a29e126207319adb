/// A DMARC record (RFC 7489 §6.3) as published, or the first thing wrong with it.
public struct DMARCRecord: Sendable, Equatable {
  public enum Policy: String, Sendable, Equatable, Codable {
    case none, quarantine, reject
  }

  public typealias SyntaxError = TagSyntaxError

  public var policy: Policy
  public var subdomainPolicy: Policy?
  public var percent: Int
  public var strictDKIM: Bool
  public var strictSPF: Bool
  /// `mailto:` URIs of aggregate and failure reports (any `!size` suffix removed).
  public var aggregateReports: [String]
  public var failureReports: [String]
  /// Report URIs of another scheme (allowed by §6.3, sent to by almost no one).
  public var otherReportURIs: [String] = []

  /// `v=DMARC1` first, exactly in that case (RFC 7489 §6.6.3: other records are discarded), spaces
  /// around `=` allowed.
  public static func isDMARC(_ text: String) -> Bool {
    let tag = text.removingSpaces().split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
    return tag == "v=DMARC1"
  }

  public init(_ text: String) throws(SyntaxError) {
    let tags = try TagList.parse(text)
    guard let first = tags.first, first.0 == "v", first.1 == "DMARC1" else {
      throw SyntaxError(tag: "v", reason: "the record must start with v=DMARC1")
    }
    let values = Dictionary(tags.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    guard let p = values["p"] else {
      throw SyntaxError(tag: "p", reason: "missing (none, quarantine or reject)")
    }
    guard let policy = Policy(rawValue: p.lowercased()) else {
      throw SyntaxError(tag: "p", reason: "'\(p)' is not none, quarantine or reject")
    }
    self.policy = policy
    if let sp = values["sp"] {
      guard let value = Policy(rawValue: sp.lowercased()) else {
        throw SyntaxError(tag: "sp", reason: "'\(sp)' is not none, quarantine or reject")
      }
      subdomainPolicy = value
    }
    percent = 100
    if let pct = values["pct"] {
      guard let value = Int(pct), (0...100).contains(value) else {
        throw SyntaxError(tag: "pct", reason: "'\(pct)' is not a number from 0 to 100")
      }
      percent = value
    }
    func alignment(_ tag: String) throws(SyntaxError) -> Bool {
      guard let value = values[tag]?.lowercased() else { return false }
      guard value == "r" || value == "s" else {
        throw SyntaxError(tag: tag, reason: "'\(value)' is not r or s")
      }
      return value == "s"
    }
    strictDKIM = try alignment("adkim")
    strictSPF = try alignment("aspf")
    var others: [String] = []
    func uris(_ tag: String) throws(SyntaxError) -> [String] {
      guard let value = values[tag] else { return [] }
      var out: [String] = []
      for uri in value.split(separator: ",") {
        let trimmed = uri.trimmingCharacters(in: " \t")
        guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex else {
          throw SyntaxError(tag: tag, reason: "'\(trimmed)' is not a URI")
        }
        let address = String(trimmed.split(separator: "!", maxSplits: 1)[0])
        if trimmed.lowercased().hasPrefix("mailto:") && trimmed.contains("@") {
          out.append(address)
        } else {
          others.append(address)
        }
      }
      return out
    }
    aggregateReports = try uris("rua")
    failureReports = try uris("ruf")
    otherReportURIs = others
  }
}
