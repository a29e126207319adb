import MailFlowModel
import MailFlowReport
import Testing

@testable import MailFlowProbe

@Suite("Relay rating rules")
struct RelayRatingTests {
  typealias Endpoint = RelayEvidence.Endpoint

  static func endpoint(_ host: String, _ outcome: Endpoint.Outcome, _ dane: DANEVerifier.Status = .none)
    -> Endpoint
  {
    Endpoint(host: host, address: "127.0.0.1", outcome: outcome, dane: dane)
  }

  static let starttls = Endpoint.Outcome.tested(starttls: true, tlsEstablished: true)

  @Test(arguments: [
    // (null MX, MX status, endpoints, expected rating)
    (false, "secure", [endpoint("mx1", starttls, .valid), endpoint("mx2", starttls, .valid)], Rating.secure),
    (false, "secure", [endpoint("mx1", starttls, .valid), endpoint("mx2", starttls, .none)], .weak),
    (false, "insecure", [endpoint("mx1", starttls)], .weak),
    (
      false, "insecure",
      [endpoint("mx1", starttls), endpoint("mx2", .tested(starttls: false, tlsEstablished: false))], .insecure
    ),
    (false, "secure", [endpoint("mx1", starttls, .mismatch)], .broken),
    (false, "secure", [endpoint("mx1", starttls, .bogus)], .broken),
    // DANE published: no STARTTLS or a failed handshake is an outage for DANE senders, not cleartext.
    (false, "secure", [endpoint("mx1", .tested(starttls: false, tlsEstablished: false), .mismatch)], .broken),
    (false, "secure", [endpoint("mx1", .tested(starttls: true, tlsEstablished: false), .mismatch)], .broken),
    // A broken MX governs even beside a cleartext one: it ranks worst.
    (
      false, "secure",
      [
        endpoint("mx1", .tested(starttls: false, tlsEstablished: false)),
        endpoint("mx2", starttls, .mismatch),
      ],
      .broken
    ),
    (
      false, "secure",
      [endpoint("mx1", .bogusAddress("signature expired")), endpoint("mx2", starttls, .valid)], .broken
    ),
    (false, "insecure", [endpoint("mx1", .tested(starttls: true, tlsEstablished: false))], .insecure),
    (false, "bogus", [endpoint("mx1", starttls, .valid)], .broken),
    (true, "secure", [], .none),
    (
      false, "insecure",
      [endpoint("mx1", .unreachable("timed out")), endpoint("mx2", .refused("421 too busy"))], .unknown
    ),
    (false, "insecure", [], .unknown),
    (
      false, "secure", [endpoint("mx1", starttls, .valid), endpoint("mx2", .unreachable("timed out"))],
      .secure
    ),
    (false, "secure", [endpoint("mx1", starttls, .unusable)], .weak),
    // TLSA answers that DANE senders cannot use stop them before any connection.
    (false, "secure", [endpoint("mx1", .unreachable("timed out"), .bogus)], .broken),
    (false, "secure", [endpoint("mx1", starttls, .lookupFailed)], .broken),
  ])
  func rating(nullMX: Bool, mxStatus: String, endpoints: [Endpoint], expected: Rating) {
    let evidence = RelayEvidence(
      domain: "example.", nullMX: nullMX, mxStatus: .init(rawValue: mxStatus)!, endpoints: endpoints)
    #expect(RelayRating.rate(evidence).rating == expected)
  }

  @Test func unknownSaysWhyAndNeverClaimsMissingSTARTTLS() {
    let verdict = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [Self.endpoint("mx1", .refused("421 4.7.0 too many connections"))]))
    #expect(verdict.rating == .unknown)
    #expect(verdict.summary.contains("421 4.7.0 too many connections"))
    #expect(!verdict.summary.contains("STARTTLS"))
  }

  @Test func whenEveryAddressTimesOutItBlamesTheNetworkNotTheDomain() {
    let verdict = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [
          Self.endpoint("mx1", .connectTimedOut("cannot connect to 192.0.2.1 port 25: connection timed out")),
          Self.endpoint("mx2", .connectTimedOut("cannot connect to 192.0.2.2 port 25: connection timed out")),
        ]))
    #expect(verdict.rating == .unknown)
    #expect(verdict.summary.hasPrefix("not testable from here"))
    let refused = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [
          Self.endpoint("mx1", .unreachable("cannot connect to 192.0.2.1 port 25: connection refused"))
        ]))
    #expect(!refused.summary.hasPrefix("not testable from here"))
    // The words "timed out" in another reason decide nothing: only a connection that never opened does.
    let worded = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [Self.endpoint("mx1", .unreachable("the server says: timed out"))]))
    #expect(!worded.summary.hasPrefix("not testable from here"))
    // Connections that opened and then stalled are not a blocked port: the reason says what happened.
    let stalled = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [
          Self.endpoint(
            "mx1", .incomplete("timed out after the banner began: no complete dialogue within 10 seconds"))
        ]))
    #expect(stalled.rating == .unknown)
    #expect(!stalled.summary.contains("port 25"))
    #expect(stalled.summary.contains("timed out after the banner began"))
  }

  /// With other MX hosts left, strict senders use those: the summary says so instead of "bounced".
  @Test func aFailureAtOneOfSeveralMXSaysTheOthersAreUsed() {
    let verdict = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [
          Self.endpoint("mx1.example.", .bogusAddress("signature expired")),
          Self.endpoint("mx2.example.", Self.starttls, .valid),
        ]))
    #expect(verdict.rating == .broken)
    #expect(
      verdict.summary
        == "the addresses of mx1.example fail DNSSEC validation (signature expired): senders that honour DNSSEC "
        + "will not deliver to mx1.example and must use the other MX hosts")
    let mixed = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [
          Self.endpoint("mx1.", Self.starttls, .valid), Self.endpoint("mx2.", Self.starttls, .unusable),
        ]))
    #expect(
      mixed.summary.hasPrefix("STARTTLS offered; the TLSA records of mx2 are unusable for SMTP"),
      "\(mixed.summary)")
  }

  @Test func aDANEFailureSaysStrictSendersWillNotDeliver() {
    let verdict = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [Self.endpoint("mx1", Self.starttls, .mismatch)]))
    #expect(verdict.rating == .broken)
    #expect(verdict.summary.contains("the certificate matches none of the TLSA records"))
    #expect(verdict.summary.contains("will not deliver (mail is deferred, then bounced)"))
    #expect(!verdict.summary.contains("cleartext"))
  }

  /// RFC 7672 §3.1.3 and §2.2: only PKIX-TA/PKIX-EE records. Not "strippable": DANE senders still insist
  /// on TLS; they just do not authenticate.
  @Test func unusableTLSARecordsSayWhatAnAttackerCanAndCannotDo() {
    let verdict = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [Self.endpoint("mx1", Self.starttls, .unusable)]))
    #expect(verdict.rating == .weak)
    #expect(verdict.summary.contains("STARTTLS cannot be stripped for them"))
    #expect(verdict.summary.contains("an active attacker can intercept with any certificate"))
    #expect(!verdict.summary.contains("can strip it"))
  }

  @Test func anEnforcedMTASTSPolicyAnMXFailsIsBroken() {
    let evidence = RelayEvidence(
      domain: "example.", nullMX: false, mxStatus: .insecure, endpoints: [Self.endpoint("mx1", Self.starttls)]
    )
    let policy = ProbeReport.MTASTSReport(
      txt: "v=STSv1; id=1", id: "1", policyURL: "https://mta-sts.example/.well-known/mta-sts.txt",
      policy: "", mode: .enforce, mxPatterns: ["mx.example"], maxAge: 86400,
      mxMatches: [
        .init(
          host: "mx1", matchesPattern: false, validCertificate: true, satisfied: false,
          reason: "not in the policy")
      ])
    let (verdict, _) = RelayRating.rate(evidence, mtaSts: policy)
    #expect(verdict.rating == .broken)
    #expect(verdict.summary.contains("mx1 (not in the policy) fail(s) the policy"))
    var testing = policy
    testing.mode = .testing
    #expect(RelayRating.rate(evidence, mtaSts: testing).verdict.rating == .weak)
    // Without STARTTLS at all, an enforced policy is failed just the same.
    let plain = RelayEvidence(
      domain: "example.", nullMX: false, mxStatus: .insecure,
      endpoints: [Self.endpoint("mx1", .tested(starttls: false, tlsEstablished: false))])
    #expect(RelayRating.rate(plain, mtaSts: policy).verdict.rating == .broken)
  }
}

@Suite("The overall rating")
struct OverallRatingTests {
  static func hop(_ id: HopID, _ rating: Rating) -> ProbeReport.Hop {
    ProbeReport.Hop(id: id, rating: rating, summary: "", endpoints: [])
  }

  @Test func nothingRatedLimitsNothing() {
    let none = DomainProbe.overall([Self.hop(.submission, .unknown), Self.hop(.relay, .none)])
    #expect(none == ProbeReport.Overall(rating: .none, limitedBy: nil))
    let unknown = DomainProbe.overall([Self.hop(.relay, .unknown), Self.hop(.outbound, .internal)])
    #expect(unknown == ProbeReport.Overall(rating: .unknown, limitedBy: nil))
    let broken = DomainProbe.overall([Self.hop(.submission, .insecure), Self.hop(.relay, .broken)])
    #expect(broken == ProbeReport.Overall(rating: .broken, limitedBy: .relay))
  }

  @Test func theInjectionFindingIsInTheHopsSummary() {
    var hop = Self.hop(.relay, .weak)
    hop.summary = "STARTTLS offered"
    hop.endpoints = [
      ProbeReport.Endpoint(
        host: "mx.example.", address: "192.0.2.1", port: 25, service: .smtp, reachable: true,
        extensions: [], extensionsAfterTLS: [], dane: .init(status: .none, tlsa: []), rating: .weak,
        transcript: [], startTLSInjection: true)
    ]
    #expect(
      hop.withInjectionFinding().summary
        == "STARTTLS offered; mx.example [192.0.2.1]:25 sent data after the go-ahead to STARTTLS, before TLS began (command injection risk)"
    )
    hop.endpoints[0].startTLSInjection = false
    #expect(hop.withInjectionFinding().summary == "STARTTLS offered")
  }
}
