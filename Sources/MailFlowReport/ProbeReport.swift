import MailFlowModel

/// The report of `mailflow probe DOMAIN`: every hop with its rating and the evidence, every DNS lookup
/// with its DNSSEC status. This is the documented `probe --json` schema.
public struct ProbeReport: Sendable, Equatable, Codable {
  /// 2 added the rating `broken`, the DANE status `lookupFailed`, `sources` (instead of the `source`
  /// text), `startTLSInjection`, TLSA `compared` and `lookups` per hop and endpoint. Reports of version 1
  /// are read into this shape (see `Endpoint.init(from:)`).
  public static let schemaVersion = 2

  public struct Overall: Sendable, Equatable, Codable {
    public var rating: Rating
    @NullEncodable public var limitedBy: HopID?

    public init(
      rating: Rating, limitedBy: HopID? = nil
    ) {
      self.rating = rating
      self.limitedBy = limitedBy
    }
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
    /// SHA-256 of the leaf certificate's SubjectPublicKeyInfo, hex: the data of a `3 1 1` TLSA record.
    @NullEncodable public var leafSPKISHA256: String? = nil
    /// The same of the certificate that issued it (the chain's second), for a `2 1 1` record.
    @NullEncodable public var issuerSPKISHA256: String? = nil
    /// The leaf's key and signature algorithm; `null` in reports before this field.
    @NullEncodable public var key: CertificateKey? = nil

    public init(
      version: String? = nil, cipher: String? = nil, pkixValid: Bool, nameMatch: Bool,
      notAfter: String? = nil,
      subject: String? = nil, issuer: String? = nil, error: String? = nil, leafSPKISHA256: String? = nil,
      issuerSPKISHA256: String? = nil
    ) {
      self.leafSPKISHA256 = leafSPKISHA256
      self.issuerSPKISHA256 = issuerSPKISHA256
      self.version = version
      self.cipher = cipher
      self.pkixValid = pkixValid
      self.nameMatch = nameMatch
      self.notAfter = notAfter
      self.subject = subject
      self.issuer = issuer
      self.error = error
    }
  }

  public struct TLSARecordReport: Sendable, Equatable, Codable {
    public var record: String
    public var matched: Bool
    @NullEncodable public var reason: String?
    /// Whether the record was held against a certificate at all (`false`: no TLS session, so neither
    /// a match nor a mismatch); `null` in reports before version 2.
    @NullEncodable public var compared: Bool?

    public init(record: String, matched: Bool, reason: String? = nil, compared: Bool = true) {
      self.record = record
      self.matched = matched
      self.reason = reason
      self.compared = compared
    }
  }

  public struct DANE: Sendable, Equatable, Codable {
    public var status: DANEStatus
    public var tlsa: [TLSARecordReport]

    public init(
      status: DANEStatus, tlsa: [TLSARecordReport]
    ) {
      self.status = status
      self.tlsa = tlsa
    }
  }

  public struct Endpoint: Sendable, Equatable, Codable {
    public var host: String
    public var address: String
    public var port: Int
    public var service: Service
    /// How the endpoint was found, every way that named it (`["srv", "autoconfig"]`).
    public var sources: [DiscoverySource]
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
    /// The server sent data after its go-ahead to STARTTLS and before TLS began (command injection,
    /// CVE-2011-0411 family); `null` when no STARTTLS was attempted or in reports before version 2.
    @NullEncodable public var startTLSInjection: Bool? = nil
    /// The lookups made for this endpoint (its addresses, its TLSA records); `null` in reports before
    /// version 2.
    @NullEncodable public var lookups: [Lookup]? = nil
    /// The extra handshakes of `--tls-versions` (each version alone, RSA-only and ECDSA-only); `null`
    /// when they were not made.
    @NullEncodable public var tlsScan: TLSScan? = nil
    /// A client endpoint reached over IPv4: its AAAA addresses and whether the first answers; `null`
    /// for MX endpoints (each address is an endpoint), with `-4`, and in older reports.
    @NullEncodable public var ipv6: IPv6Check? = nil

    public init(
      host: String, address: String, port: Int, service: Service, sources: [DiscoverySource] = [],
      reachable: Bool,
      starttls: Bool? = nil, extensions: [String], extensionsAfterTLS: [String],
      authBeforeTLS: [String]? = nil,
      loginDisabled: Bool? = nil, tls: TLS? = nil, dane: DANE, rating: Rating, error: String? = nil,
      transcript: [ProbeTranscriptLine], startTLSInjection: Bool? = nil
    ) {
      self.startTLSInjection = startTLSInjection
      self.host = host
      self.address = address
      self.port = port
      self.service = service
      self.sources = sources
      self.reachable = reachable
      self.starttls = starttls
      self.extensions = extensions
      self.extensionsAfterTLS = extensionsAfterTLS
      self.authBeforeTLS = authBeforeTLS
      self.loginDisabled = loginDisabled
      self.tls = tls
      self.dane = dane
      self.rating = rating
      self.error = error
      self.transcript = transcript
    }
  }

  public struct Hop: Sendable, Equatable, Codable {
    public var id: HopID
    public var rating: Rating
    public var summary: String
    public var endpoints: [Endpoint]
    /// What the reader should know beyond the rating: discovery sources that disagree, services a domain
    /// says it does not offer, MTA-STS and DANE both present.
    public var notes: [String] = []
    /// Relay hop only.
    @NullEncodable public var mtaSts: MTASTSReport? = nil
    @NullEncodable public var tlsRpt: TLSRPTReport? = nil
    /// Every DNS lookup made for this hop (its endpoints' too); `null` in reports before version 2,
    /// whose lookups are only in the report's `dns`.
    @NullEncodable public var lookups: [Lookup]? = nil
    /// What to change, computed from this hop's evidence (`FixAdvisor`); `null` in reports written
    /// before fixes existed (the explorer and `diff` compute them again from the evidence).
    @NullEncodable public var fixes: [Fix]? = nil
    /// Relay hop only: who may send as the domain (SPF, DMARC) — what the receiving MX checks. It
    /// does not change the hop's transport rating.
    @NullEncodable public var authenticity: AuthenticityReport? = nil

    public init(
      id: HopID, rating: Rating, summary: String, endpoints: [Endpoint], notes: [String] = [],
      mtaSts: MTASTSReport? = nil, tlsRpt: TLSRPTReport? = nil, lookups: [Lookup]? = nil, fixes: [Fix]? = nil
    ) {
      self.lookups = lookups
      self.fixes = fixes
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

      public init(
        host: String, matchesPattern: Bool, validCertificate: Bool, satisfied: Bool, reason: String? = nil
      ) {
        self.host = host
        self.matchesPattern = matchesPattern
        self.validCertificate = validCertificate
        self.satisfied = satisfied
        self.reason = reason
      }
    }

    @NullEncodable public var txt: String?
    @NullEncodable public var id: String?
    public var policyURL: String
    /// The policy as served (capped), when one was fetched.
    @NullEncodable public var policy: String?
    @NullEncodable public var mode: MTASTSMode?
    public var mxPatterns: [String]
    @NullEncodable public var maxAge: Int?
    public var mxMatches: [MXMatch]
    /// Why the published MTA-STS is broken (senders then treat the domain as having no policy).
    @NullEncodable public var error: String?

    public init(
      txt: String? = nil, id: String? = nil, policyURL: String, policy: String? = nil,
      mode: MTASTSMode? = nil, mxPatterns: [String],
      maxAge: Int? = nil, mxMatches: [MXMatch], error: String? = nil
    ) {
      self.txt = txt
      self.id = id
      self.policyURL = policyURL
      self.policy = policy
      self.mode = mode
      self.mxPatterns = mxPatterns
      self.maxAge = maxAge
      self.mxMatches = mxMatches
      self.error = error
    }
  }

  /// TLS-RPT (RFC 8460): where failure reports go; information only.
  public struct TLSRPTReport: Sendable, Equatable, Codable {
    public var txt: String
    public var rua: [String]
    @NullEncodable public var error: String?

    public init(
      txt: String, rua: [String], error: String? = nil
    ) {
      self.txt = txt
      self.rua = rua
      self.error = error
    }
  }

  /// Mozilla-style autoconfig as fetched: every URL tried and what it said, and the servers found.
  public struct AutoconfigReport: Sendable, Equatable, Codable {
    public struct Attempt: Sendable, Equatable, Codable {
      public var url: String
      @NullEncodable public var error: String?

      public init(
        url: String, error: String? = nil
      ) {
        self.url = url
        self.error = error
      }
    }

    public var attempts: [Attempt]
    public var servers: [AutoconfigServer]

    public init(
      attempts: [Attempt], servers: [AutoconfigServer]
    ) {
      self.attempts = attempts
      self.servers = servers
    }
  }

  public struct Lookup: Sendable, Equatable, Codable {
    public var name: String
    public var type: String
    public var status: DNSStatus
    public var authenticated: Bool
    @NullEncodable public var reason: String?
    /// Where CNAMEs led, when they did.
    @NullEncodable public var canonicalName: String?
    public var records: [String]

    public init(
      name: String, type: String, status: DNSStatus, authenticated: Bool, reason: String? = nil,
      canonicalName: String? = nil, records: [String]
    ) {
      self.name = name
      self.type = type
      self.status = status
      self.authenticated = authenticated
      self.reason = reason
      self.canonicalName = canonicalName
      self.records = records
    }
  }

  public var schemaVersion = ProbeReport.schemaVersion
  public var domain: String
  public var startedAt: String
  public var durationMs: Int
  public var overall: Overall
  public var hops: [Hop]
  @NullEncodable public var autoconfig: AutoconfigReport? = nil
  public var dns: [Lookup]
  /// The domain's checklist (`Checklist`), derived from the evidence above; `null` in reports written
  /// before it existed (readers derive it again).
  @NullEncodable public var checks: [Check]? = nil

  public init(
    schemaVersion: Int = ProbeReport.schemaVersion, domain: String, startedAt: String, durationMs: Int,
    overall: Overall, hops: [Hop], autoconfig: AutoconfigReport? = nil, dns: [Lookup]
  ) {
    self.schemaVersion = schemaVersion
    self.domain = domain
    self.startedAt = startedAt
    self.durationMs = durationMs
    self.overall = overall
    self.hops = hops
    self.autoconfig = autoconfig
    self.dns = dns
  }
}

extension ProbeReport.DANE {
  /// The DANE line as people read it: TLSA records that were published but could not be compared
  /// (no TLS session) are said to be so, not reported as "none".
  public var summary: String {
    switch status {
    case .none where !tlsa.isEmpty: "TLSA published, not checked: no TLS session"
    case .none: "no DANE (no TLSA records)"
    case .insecure: "no DANE (zone not signed)"
    case .valid: "valid"
    case .mismatch: "mismatch: no TLSA record matches"
    case .unusable: "unusable for SMTP (only PKIX-TA/PKIX-EE records)"
    case .bogus: "bogus: DNSSEC validation failed"
    case .lookupFailed: "lookup failed: the TLSA records could not be had (DANE senders defer)"
    }
  }
}

extension ProbeReport.TLSARecordReport {
  /// `3 1 1 … matches`, `… does not match: why`, or `… (not compared: why)`.
  public var summary: String {
    if matched { return record + " matches" }
    // Version 1 did not say: its uncompared records read "not compared: …" or "no TLS session …".
    let uncompared =
      compared.map { !$0 } ?? (reason.map { $0.hasPrefix("not compared") || $0.hasPrefix("no TLS") } ?? false)
    if uncompared { return record + " (\(reason ?? "not compared"))" }
    return record + " does not match" + (reason.map { ": \($0)" } ?? "")
  }
}

extension ProbeReport.Hop {
  /// The summary with the STARTTLS-injection finding, when an endpoint showed it: it belongs in the
  /// hop's one line, not only in an endpoint's error.
  public func withInjectionFinding() -> ProbeReport.Hop {
    let injecting = endpoints.filter { $0.startTLSInjection == true }
    guard !injecting.isEmpty else { return self }
    var hop = self
    hop.summary +=
      "; \(injecting.map(\.place).joined(separator: ", ")) sent data after the go-ahead to STARTTLS, before "
      + "TLS began (command injection risk)"
    return hop
  }
}

extension ProbeReport.Endpoint {
  /// The keys of version 1, read to convert its `source` text into `sources`.
  private enum LegacyKeys: String, CodingKey { case source, sources }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    host = try container.decode(String.self, forKey: .host)
    address = try container.decode(String.self, forKey: .address)
    port = try container.decode(Int.self, forKey: .port)
    service = try container.decode(Service.self, forKey: .service)
    let legacy = try decoder.container(keyedBy: LegacyKeys.self)
    if let sources = try legacy.decodeIfPresent([DiscoverySource].self, forKey: .sources) {
      self.sources = sources
    } else {
      // Version 1: `"source": "SRV _submissions._tcp, autoconfig"`.
      let text = try legacy.decodeIfPresent(String.self, forKey: .source) ?? ""
      sources = text.split(separator: ",").compactMap { DiscoverySource(legacyText: String($0)) }
    }
    reachable = try container.decode(Bool.self, forKey: .reachable)
    _starttls = try container.decode(NullEncodable<Bool>.self, forKey: .starttls)
    extensions = try container.decode([String].self, forKey: .extensions)
    extensionsAfterTLS = try container.decode([String].self, forKey: .extensionsAfterTLS)
    _authBeforeTLS = try container.decode(NullEncodable<[String]>.self, forKey: .authBeforeTLS)
    _loginDisabled = try container.decode(NullEncodable<Bool>.self, forKey: .loginDisabled)
    _tls = try container.decode(NullEncodable<ProbeReport.TLS>.self, forKey: .tls)
    dane = try container.decode(ProbeReport.DANE.self, forKey: .dane)
    rating = try container.decode(Rating.self, forKey: .rating)
    _error = try container.decode(NullEncodable<String>.self, forKey: .error)
    transcript = try container.decode([ProbeTranscriptLine].self, forKey: .transcript)
    _startTLSInjection = try container.decode(NullEncodable<Bool>.self, forKey: .startTLSInjection)
    _lookups = try container.decode(NullEncodable<[ProbeReport.Lookup]>.self, forKey: .lookups)
  }

  /// How it was found, as version 1 wrote it and the text output shows it: `SRV _imaps._tcp, autoconfig`.
  public var sourceText: String? {
    guard !sources.isEmpty else { return nil }
    return sources.map { source in
      source == .srv ? "SRV \(service.srvLabel)" : source.text
    }.joined(separator: ", ")
  }

  /// `host [address]:port`, or `host:port (no address)` when the name had none.
  public var place: String {
    address.isEmpty
      ? "\(host.withoutTrailingDot):\(port) (no address)" : "\(host.withoutTrailingDot) [\(address)]:\(port)"
  }
}
