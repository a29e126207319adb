import MailFlowModel

/// What to change so that a finding goes away, computed from the evidence the probe saw: the exact
/// DNS records to publish, the file to serve, the setting to turn. Each hop of a report carries its
/// fixes; the CLI, the explorer and the JSON show the same ones.
public struct Fix: Sendable, Equatable, Codable {
  /// Which kind of fix: stable identifiers for scripts (documented in the README).
  public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
    case danePublish = "dane-publish"
    case daneRollover = "dane-rollover"
    case daneReplace = "dane-replace"
    case dnssecFailure = "dnssec-failure"
    case mtaStsPublish = "mta-sts-publish"
    case mtaStsMismatch = "mta-sts-mismatch"
    case tlsRptPublish = "tls-rpt-publish"
    case srvPublish = "srv-publish"
    case srvDisable = "srv-disable"
    case authBeforeTLS = "auth-before-tls"
    case cleartextService = "cleartext-service"
    case certificateExpired = "certificate-expired"
    case certificateExpiring = "certificate-expiring"
    case certificateName = "certificate-name"
    case certificateTrust = "certificate-trust"
    case spfPublish = "spf-publish"
    case spfRepair = "spf-repair"
    case dmarcPublish = "dmarc-publish"
    case dmarcRepair = "dmarc-repair"
    case dkimRepair = "dkim-repair"
    case tlsVersions = "tls-versions"
    case certificateKey = "certificate-key"
    case daneKeyType = "dane-key-type"
  }

  /// How urgent: `error` breaks or exposes mail now, `warning` leaves it open to an attacker or will
  /// break soon, `advice` makes a secure hop more robust.
  public enum Severity: String, Sendable, Equatable, Codable, CaseIterable, Comparable {
    case advice, warning, error

    public static func < (a: Severity, b: Severity) -> Bool {
      allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
  }

  /// Something to publish or set, exactly.
  public struct Item: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
      /// A DNS record: `name` is the owner, `type` the record type, `value` the data.
      case dns
      /// A file to serve: `name` is its URL, `value` its body.
      case file
      /// A server setting: `name` is the setting, `value` what to set it to (a hint from the banner).
      case setting
    }

    public var kind: Kind
    public var name: String
    @NullEncodable public var type: String?
    public var value: String

    public init(_ kind: Kind, name: String, type: String? = nil, value: String) {
      self.kind = kind
      self.name = name
      self.type = type
      self.value = value
    }

    /// One line as it is written in a zone file, a URL and its body, or a configuration line.
    public var line: String {
      switch kind {
      case .dns: "\(name) IN \(type ?? "") \(value)"
      case .file: "\(name)"
      case .setting: "\(name) = \(value)"
      }
    }
  }

  public var kind: Kind
  public var severity: Severity
  /// The finding it answers, in a few words.
  public var finding: String
  /// What to do, in a sentence or two.
  public var text: String
  public var items: [Item]
  /// The endpoint host it concerns, when one.
  @NullEncodable public var host: String?

  public init(
    _ kind: Kind, _ severity: Severity, finding: String, text: String, items: [Item] = [], host: String? = nil
  ) {
    self.kind = kind
    self.severity = severity
    self.finding = finding
    self.text = text
    self.items = items
    self.host = host
  }
}
