import MailFlowReport

/// The answer to one lookup with its DNSSEC status, which the probe reports for every lookup.
public struct DNSAnswer: Sendable, Equatable {
  /// The DNSSEC status, in the report's one vocabulary.
  public typealias Status = DNSStatus

  public var name: String
  public var type: RecordType
  public var status: Status
  /// For NXDOMAIN and NODATA: whether the denial itself was DNSSEC-validated.
  public var authenticated: Bool
  /// unbound's reason for `bogus`, or the error's text.
  public var reason: String?
  /// The name the answer is for after following CNAMEs, when it differs from `name`.
  public var canonicalName: String?
  public var ttl: Int?
  public var records: [DNSRecord]
  /// Record data that could not be decoded, with why.
  public var undecodable: [String]

  public init(
    name: String, type: RecordType, status: Status, authenticated: Bool = false, reason: String? = nil,
    canonicalName: String? = nil, ttl: Int? = nil, records: [DNSRecord] = [], undecodable: [String] = []
  ) {
    self.name = name
    self.type = type
    self.status = status
    self.authenticated = authenticated
    self.reason = reason
    self.canonicalName = canonicalName
    self.ttl = ttl
    self.records = records
    self.undecodable = undecodable
  }

  /// Usable data: secure or insecure with records. Bogus data is never usable.
  public var hasData: Bool { (status == .secure || status == .insecure) && !records.isEmpty }
}
