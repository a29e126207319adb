import Foundation
import MailFlowModel
import MailFlowReport
import MailFlowTestSupport
import Testing

@testable import MailFlowProbe

/// MTA-STS end to end, hermetic: the fixture zone publishes `_mta-sts.sts.example` and
/// `mta-sts.sts.example = 127.0.0.1`; an HTTPS fixture server serves the policy under test with a
/// certificate from a test CA that the probe is told to trust; a fixture SMTP server is the MX.
@Suite("MTA-STS and TLS-RPT (fixture DNS + HTTPS + SMTP)", .serialized)
struct MTASTSProbeTests {
  static let policyPath = "/.well-known/mta-sts.txt"

  struct Setup {
    var pki: TestPKI
    var smtp: FixtureSMTPServer
    var https: FixtureHTTPSServer
  }

  func enforce(_ mx: String = "mx.sts.example") -> String {
    "version: STSv1\r\nmode: enforce\r\nmx: \(mx)\r\nmax_age: 86400\r\n"
  }

  /// Probes `domain`'s relay hop with `route` served as its policy.
  func relay(
    _ domain: String = "sts.example", route: FixtureHTTPSServer.Route?, trustHTTPS: Bool = true,
    mxChain: [[UInt8]]? = nil, mxKey: String? = nil
  ) async throws -> ProbeReport.Hop {
    let host = domain.hasPrefix("probe") ? "mta-sts.probe.example" : "mta-sts.\(domain)"
    let pki = try TestPKI(leafName: "mx.sts.example", otherNames: [host])
    let smtp = try await FixtureSMTPServer(
      .starttls(chain: try mxChain ?? pki.chain, keyPEM: mxKey ?? pki.leafKey.pemRepresentation))
    let routes = route.map { ["\(host)\(Self.policyPath)": $0] } ?? [:]
    let https = try await FixtureHTTPSServer(
      routes: routes, chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation)
    let resolver = try fixtureResolver()
    var httpsOptions = HTTPSFetcher.Options()
    httpsOptions.port = https.port
    httpsOptions.timeout = .seconds(15)
    httpsOptions.useIPv6 = false
    if trustHTTPS { httpsOptions.extraRoots = [pki.ca] }
    var options = RelayProbe.Options()
    options.port = smtp.port
    options.timeout = .seconds(15)
    options.useIPv6 = false
    options.extraRoots = [pki.ca]
    options.fetcher = HTTPSFetcher(resolver: resolver, options: httpsOptions)
    let (hop, _) = await RelayProbe.run(domain: domain + ".", resolver: resolver, options: options)
    await smtp.close()
    await https.close()
    return hop
  }

  @Test func enforceWithEveryMXSatisfiedIsSecure() async throws {
    let hop = try await relay(route: .init(body: enforce()))
    #expect(hop.rating == .secure, "\(hop.summary)")
    #expect(hop.summary.contains("MTA-STS policy in enforce mode"))
    let sts = try #require(hop.mtaSts)
    #expect(sts.txt == "v=STSv1; id=20261129T000000")
    #expect(sts.id == "20261129T000000")
    #expect(sts.mode == .enforce)
    #expect(sts.mxPatterns == ["mx.sts.example"])
    #expect(sts.maxAge == 86400)
    #expect(sts.error == nil)
    #expect(sts.mxMatches.map(\.satisfied) == [true])
    #expect(hop.endpoints.map(\.rating) == [.secure])
    #expect(hop.tlsRpt?.rua == ["mailto:tlsrpt@sts.example", "https://report.sts.example/v1"])
  }

  @Test func aWildcardPatternCoversTheMX() async throws {
    let hop = try await relay(route: .init(body: enforce("*.sts.example")))
    #expect(hop.rating == .secure, "\(hop.summary)")
  }

  @Test func testingModeStaysWeakWithANote() async throws {
    let hop = try await relay(
      route: .init(body: enforce().replacingOccurrences(of: "enforce", with: "testing")))
    #expect(hop.rating == .weak)
    #expect(hop.mtaSts?.mode == .testing)
    #expect(hop.summary.contains("testing mode"))
  }

  @Test func modeNoneIsAWithdrawnPolicy() async throws {
    let hop = try await relay(route: .init(body: "version: STSv1\nmode: none\nmax_age: 86400\n"))
    #expect(hop.rating == .weak)
    #expect(hop.summary.contains("mode is none"))
  }

  @Test func anMXNotCoveredByThePolicyIsNamed() async throws {
    let hop = try await relay(route: .init(body: enforce("mx.elsewhere.example")))
    #expect(hop.rating == .broken)
    #expect(hop.endpoints.map(\.rating) == [.broken])  // the MX itself is refused, not merely weak
    let match = try #require(hop.mtaSts?.mxMatches.first)
    #expect(!match.matchesPattern)
    #expect(match.validCertificate)
    #expect(match.reason?.contains("matches no mx pattern") == true)
    #expect(
      hop.summary.hasPrefix(
        "MTA-STS is in enforce mode, but mx.sts.example (mx.sts.example matches no mx pattern of the policy) "
          + "fail(s) the policy: senders that honour MTA-STS will not deliver"))
  }

  @Test func anMXWithoutAValidCertificateFailsThePolicy() async throws {
    // The MX presents the committed fixture certificate: not for mx.sts.example, CA not trusted.
    let hop = try await relay(
      route: .init(body: enforce()), mxChain: try RelayProbeTests.leafChain, mxKey: try RelayProbeTests.keyPEM
    )
    #expect(hop.rating == .broken)
    let match = try #require(hop.mtaSts?.mxMatches.first)
    #expect(match.matchesPattern && !match.validCertificate)
    #expect(match.reason?.contains("not PKIX-valid") == true)
  }

  @Test(arguments: [
    (
      FixtureHTTPSServer.Route(status: 301, body: "", location: "https://elsewhere.example/p"),
      "forbids following redirects"
    ),
    (FixtureHTTPSServer.Route(body: String(repeating: "x", count: 70_000)), "larger than 64 KiB"),
    (FixtureHTTPSServer.Route(contentType: "text/html", body: "version: STSv1\n"), "not text/plain"),
    (FixtureHTTPSServer.Route(status: 404, body: "gone"), "HTTP 404"),
    (FixtureHTTPSServer.Route(body: "version: STSv1\nmode: enforce\n"), "the policy is invalid: no max_age"),
  ])
  func aBrokenPolicyIsReportedAndIgnored(route: FixtureHTTPSServer.Route, error: String) async throws {
    let hop = try await relay(route: route)
    #expect(hop.rating == .weak)
    #expect(hop.mtaSts?.error?.contains(error) == true, "\(hop.mtaSts?.error ?? "no error")")
    #expect(hop.mtaSts?.mode == nil)
    #expect(hop.notes.contains { $0.contains("MTA-STS is published but broken") })
  }

  @Test func anUntrustedPolicyServerIsABrokenPolicy() async throws {
    let hop = try await relay(route: .init(body: enforce()), trustHTTPS: false)
    #expect(hop.rating == .weak)
    #expect(hop.mtaSts?.error?.contains("certificate") == true, "\(hop.mtaSts?.error ?? "")")
  }

  @Test func twoSTSRecordsAreNoPolicy() async throws {
    let hop = try await relay("dupsts.example", route: nil)
    #expect(hop.mtaSts?.error?.contains("2 _mta-sts TXT records") == true)
    #expect(hop.rating == .weak)
  }

  @Test func daneDecidesWhenBothArePublished() async throws {
    // probe.example: DANE-EE for the committed fixture certificate, and an MTA-STS record.
    let hop = try await relay(
      "probe.example", route: .init(body: enforce("mx.probe.example")),
      mxChain: try RelayProbeTests.leafChain,
      mxKey: try RelayProbeTests.keyPEM)
    #expect(hop.rating == .secure, "\(hop.summary)")
    #expect(hop.summary.contains("DANE validates"))
    #expect(hop.notes.contains { $0.contains("DANE decides") })
    #expect(hop.mtaSts?.mode == .enforce)
  }

  @Test func aPolicyServerDrippingItsBodyEndsAtTheDeadline() async throws {
    let pki = try TestPKI(leafName: "mta-sts.sts.example")
    let https = try await FixtureHTTPSServer(
      routes: ["mta-sts.sts.example\(Self.policyPath)": .init(body: enforce(), drip: .milliseconds(200))],
      chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation)
    var options = HTTPSFetcher.Options()
    options.port = https.port
    options.timeout = .seconds(1)
    options.useIPv6 = false
    options.extraRoots = [pki.ca]
    let clock = ContinuousClock()
    let start = clock.now
    let (result, _) = await HTTPSFetcher(resolver: try fixtureResolver(), options: options).get(
      host: "mta-sts.sts.example", path: Self.policyPath, maximumBytes: 65536)
    let elapsed = clock.now - start
    await https.close()
    #expect(elapsed < .seconds(5), "\(elapsed)")
    guard case .failure(let failure) = result else {
      Issue.record("a dripping body was accepted")
      return
    }
    #expect(failure.description.contains("timed out"), "\(failure)")
  }

  @Test(arguments: [" v=STSv1; id=1", "v=STSv10; id=1", "v=STSv1"])
  func recordsNotBeginningWithTheVersionAreDiscarded(text: String) {
    #expect(throws: MTASTS.ParseError.noRecord) { try MTASTS.record(from: [text]) }
  }
}
