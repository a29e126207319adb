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
    (false, "secure", [endpoint("mx1", starttls, .mismatch)], .insecure),
    (false, "secure", [endpoint("mx1", starttls, .bogus)], .insecure),
    (false, "insecure", [endpoint("mx1", .tested(starttls: true, tlsEstablished: false))], .insecure),
    (false, "bogus", [endpoint("mx1", starttls, .valid)], .insecure),
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
          Self.endpoint("mx1", .unreachable("cannot connect to 192.0.2.1 port 25: connection timed out")),
          Self.endpoint("mx2", .unreachable("no complete dialogue within 10 seconds (timed out)")),
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
  }

  @Test func aDANEFailureSaysASenderWouldDefer() {
    let verdict = RelayRating.rate(
      RelayEvidence(
        domain: "example.", nullMX: false, mxStatus: .secure,
        endpoints: [Self.endpoint("mx1", Self.starttls, .mismatch)]))
    #expect(verdict.summary.contains("would defer"))
  }
}
