import MailFlowDNS
import MailFlowModel

/// The report of `mailflow probe DOMAIN`: every hop with its rating and the evidence, every DNS lookup
/// with its DNSSEC status. This is the documented `probe --json` schema.
public struct ProbeReport: Sendable, Equatable, Codable {
  public static let schemaVersion = 1

  public struct Overall: Sendable, Equatable, Codable {
    public var rating: Rating
    @NullEncodable public var limitedBy: String?
  }

  public struct TLS: Sendable, Equatable, Codable {
    @NullEncodable public var version: String?
    /// IANA name, read from the ServerHello (swift-nio-ssl has no public API for it).
    @NullEncodable public var cipher: String?
    public var pkixValid: Bool
    public var nameMatch: Bool
    @NullEncodable public var notAfter: String?
    @NullEncodable public var subject: String?
    @NullEncodable public var issuer: String?
    @NullEncodable public var error: String?
  }

  public struct TLSARecordReport: Sendable, Equatable, Codable {
    public var record: String
    public var matched: Bool
    @NullEncodable public var reason: String?
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
    /// How the endpoint was found: `MX`, `SRV _submissions._tcp`, `guess`, `command line`.
    @NullEncodable public var source: String?
    public var reachable: Bool
    @NullEncodable public var starttls: Bool?
    /// EHLO keywords the server advertised (STARTTLS, SIZE, PIPELINING, 8BITMIME, SMTPUTF8, REQUIRETLS,
    /// AUTH …), before TLS; and after TLS when it was established.
    public var extensions: [String]
    public var extensionsAfterTLS: [String]
    /// Submission: the AUTH mechanisms advertised before TLS (empty is right: only after TLS).
    @NullEncodable public var authBeforeTLS: [String]?
    @NullEncodable public var tls: TLS?
    public var dane: DANE
    public var rating: Rating
    @NullEncodable public var error: String?
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
    @NullEncodable public var reason: String?
    /// Where CNAMEs led, when they did.
    @NullEncodable public var canonicalName: String?
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
      reason: answer.reason, canonicalName: answer.canonicalName, records: answer.records.map(\.text))
  }
}
