import MailFlowDNS
import MailFlowModel

/// The report of `mailflow probe DOMAIN`: every hop with its rating and the evidence, every DNS lookup
/// with its DNSSEC status. This is the documented `probe --json` schema.
public struct ProbeReport: Sendable, Equatable, Codable {
  public static let schemaVersion = 1

  public struct Overall: Sendable, Equatable, Codable {
    public var rating: Rating
    public var limitedBy: String?
  }

  public struct TLS: Sendable, Equatable, Codable {
    public var version: String?
    /// Not recorded yet (swift-nio-ssl has no public API for the negotiated cipher).
    public var cipher: String?
    public var pkixValid: Bool
    public var nameMatch: Bool
    public var notAfter: String?
    public var subject: String?
    public var issuer: String?
    public var error: String?
  }

  public struct TLSARecordReport: Sendable, Equatable, Codable {
    public var record: String
    public var matched: Bool
    public var reason: String?
  }

  public struct DANE: Sendable, Equatable, Codable {
    public var status: DANEVerifier.Status
    public var tlsa: [TLSARecordReport]
  }

  public struct Endpoint: Sendable, Equatable, Codable {
    public var host: String
    public var address: String
    public var port: Int
    public var service: String
    public var reachable: Bool
    public var starttls: Bool?
    public var tls: TLS?
    public var dane: DANE
    public var rating: Rating
    public var error: String?
    public var transcript: [ProbeTranscriptLine]
  }

  public struct Hop: Sendable, Equatable, Codable {
    public var id: String
    public var rating: Rating
    public var summary: String
    public var endpoints: [Endpoint]
  }

  public struct Lookup: Sendable, Equatable, Codable {
    public var name: String
    public var type: String
    public var status: DNSAnswer.Status
    public var authenticated: Bool
    public var reason: String?
    public var records: [String]
  }

  public var schemaVersion = ProbeReport.schemaVersion
  public var domain: String
  public var startedAt: String
  public var durationMs: Int
  public var overall: Overall
  public var hops: [Hop]
  public var dns: [Lookup]
}

extension ProbeReport.Lookup {
  init(_ answer: DNSAnswer) {
    self.init(
      name: answer.name, type: answer.type.name, status: answer.status, authenticated: answer.authenticated,
      reason: answer.reason, records: answer.records.map(\.text))
  }
}

// Every documented key is written, `null` when unknown (synthesized encoding would leave it out).

extension ProbeReport.Overall {
  enum CodingKeys: String, CodingKey { case rating, limitedBy }
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(rating, forKey: .rating)
    try c.encode(limitedBy, forKey: .limitedBy)
  }
}

extension ProbeReport.TLS {
  enum CodingKeys: String, CodingKey {
    case version, cipher, pkixValid, nameMatch, notAfter, subject, issuer, error
  }
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(version, forKey: .version)
    try c.encode(cipher, forKey: .cipher)
    try c.encode(pkixValid, forKey: .pkixValid)
    try c.encode(nameMatch, forKey: .nameMatch)
    try c.encode(notAfter, forKey: .notAfter)
    try c.encode(subject, forKey: .subject)
    try c.encode(issuer, forKey: .issuer)
    try c.encode(error, forKey: .error)
  }
}

extension ProbeReport.TLSARecordReport {
  enum CodingKeys: String, CodingKey { case record, matched, reason }
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(record, forKey: .record)
    try c.encode(matched, forKey: .matched)
    try c.encode(reason, forKey: .reason)
  }
}

extension ProbeReport.Endpoint {
  enum CodingKeys: String, CodingKey {
    case host, address, port, service, reachable, starttls, tls, dane, rating, error, transcript
  }
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(host, forKey: .host)
    try c.encode(address, forKey: .address)
    try c.encode(port, forKey: .port)
    try c.encode(service, forKey: .service)
    try c.encode(reachable, forKey: .reachable)
    try c.encode(starttls, forKey: .starttls)
    try c.encode(tls, forKey: .tls)
    try c.encode(dane, forKey: .dane)
    try c.encode(rating, forKey: .rating)
    try c.encode(error, forKey: .error)
    try c.encode(transcript, forKey: .transcript)
  }
}

extension ProbeReport.Lookup {
  enum CodingKeys: String, CodingKey { case name, type, status, authenticated, reason, records }
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encode(type, forKey: .type)
    try c.encode(status, forKey: .status)
    try c.encode(authenticated, forKey: .authenticated)
    try c.encode(reason, forKey: .reason)
    try c.encode(records, forKey: .records)
  }
}
