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
    /// EHLO keywords (SMTP) or capabilities (IMAP CAPABILITY, POP3 CAPA) the server advertised, before
    /// TLS; and after TLS when it was established.
    public var extensions: [String]
    public var extensionsAfterTLS: [String]
    /// The ways to send a password before TLS that the server announced (empty is right): SMTP AUTH
    /// mechanisms, IMAP `LOGIN` and `AUTH=…`, POP3 `USER` and `SASL …`.
    @NullEncodable public var authBeforeTLS: [String]?
    /// IMAP: `LOGINDISABLED` announced before TLS (good: no password in cleartext).
    @NullEncodable public var loginDisabled: Bool? = nil
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
    /// What the reader should know beyond the rating: discovery sources that disagree, services a domain
    /// says it does not offer, MTA-STS and DANE both present.
    public var notes: [String] = []
    /// Relay hop only.
    @NullEncodable public var mtaSts: MTASTSReport? = nil
    @NullEncodable public var tlsRpt: TLSRPTReport? = nil

    public init(
      id: String, rating: Rating, summary: String, endpoints: [Endpoint], notes: [String] = [],
      mtaSts: MTASTSReport? = nil, tlsRpt: TLSRPTReport? = nil
    ) {
      self.id = id
      self.rating = rating
      self.summary = summary
      self.endpoints = endpoints
      self.notes = notes
      self.mtaSts = mtaSts
      self.tlsRpt = tlsRpt
    }
  }

  /// MTA-STS (RFC 8461) as found: the TXT record, the policy fetched over HTTPS, and whether each MX
  /// satisfies it (matches a pattern and presents a PKIX-valid certificate for its name).
  public struct MTASTSReport: Sendable, Equatable, Codable {
    public struct MXMatch: Sendable, Equatable, Codable {
      public var host: String
      public var matchesPattern: Bool
      public var validCertificate: Bool
      public var satisfied: Bool
      @NullEncodable public var reason: String?
    }

    @NullEncodable public var txt: String?
    @NullEncodable public var id: String?
    public var policyURL: String
    /// The policy as served (capped), when one was fetched.
    @NullEncodable public var policy: String?
    @NullEncodable public var mode: MTASTS.Policy.Mode?
    public var mxPatterns: [String]
    @NullEncodable public var maxAge: Int?
    public var mxMatches: [MXMatch]
    /// Why the published MTA-STS is broken (senders then treat the domain as having no policy).
    @NullEncodable public var error: String?
  }

  /// TLS-RPT (RFC 8460): where failure reports go; information only.
  public struct TLSRPTReport: Sendable, Equatable, Codable {
    public var txt: String
    public var rua: [String]
    @NullEncodable public var error: String?
  }

  /// Mozilla-style autoconfig as fetched: every URL tried and what it said, and the servers found.
  public struct AutoconfigReport: Sendable, Equatable, Codable {
    public struct Attempt: Sendable, Equatable, Codable {
      public var url: String
      @NullEncodable public var error: String?
    }

    public var attempts: [Attempt]
    public var servers: [Autoconfig.Server]
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
  @NullEncodable public var autoconfig: AutoconfigReport? = nil
  public var dns: [Lookup]
}

extension ProbeReport.Lookup {
  init(_ answer: DNSAnswer) {
    self.init(
      name: answer.name, type: answer.type.name, status: answer.status, authenticated: answer.authenticated,
      reason: answer.reason, canonicalName: answer.canonicalName, records: answer.records.map(\.text))
  }
}
