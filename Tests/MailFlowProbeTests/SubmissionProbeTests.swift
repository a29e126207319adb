import Foundation
import MailFlowDNS
import MailFlowModel
import MailFlowReport
import MailFlowTestSupport
import Testing

@testable import MailFlowProbe

/// The submission hop: SRV discovery in the fixture zone (`_submissions._tcp.dane.example` → 465 and
/// `_submission._tcp.dane.example` → 587, both on smtp.dane.example = 127.0.0.1), fixture servers on
/// high ports standing in for 465 and 587.
@Suite("Submission probe", .serialized)
struct SubmissionProbeTests {
  func options(submissions: Int, submission: Int, trust pki: TestPKI? = nil) -> ClientHopProbe.Options {
    var options = ClientHopProbe.Options()
    options.timeout = .seconds(15)
    options.ports = [.submissions: submissions, .submission: submission]
    options.useIPv6 = false
    if let pki { options.extraRoots = [pki.ca] }
    return options
  }

  @Test func implicitTLSWithATrustedCertificateIsSecureAndTheWeakerPathIsNamed() async throws {
    let pki = try TestPKI(leafName: "smtp.dane.example")
    let tls = try await FixtureSMTPServer(
      .implicitTLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let starttls = try await FixtureSMTPServer(
      .submissionAuthInClear(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let (hop, lookups) = await ClientHopProbe.run(
      .submission, domain: "dane.example.", resolver: try fixtureResolver(), autoconfig: nil,
      options: options(submissions: tls.port, submission: starttls.port, trust: pki))
    await tls.close()
    await starttls.close()
    #expect(hop.rating == .secure, "\(hop.summary)")
    #expect(hop.endpoints.map(\.service.rawValue) == ["submissions", "submission"])
    #expect(hop.endpoints.map(\.sourceText) == ["SRV _submissions._tcp", "SRV _submission._tcp"])
    #expect(hop.endpoints.map(\.rating) == [.secure, .weak])
    #expect(hop.endpoints[1].authBeforeTLS == ["PLAIN", "LOGIN"])
    #expect(hop.summary.contains("also advertised, and weaker"))
    #expect(hop.summary.contains("AUTH offered before TLS too"))
    #expect(lookups.contains { $0.type == "SRV" && $0.status == .secure })
  }

  @Test func anUntrustedCertificateOn465IsWeakWithTheReason() async throws {
    let pki = try TestPKI(leafName: "smtp.dane.example")
    let tls = try await FixtureSMTPServer(
      .implicitTLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let (hop, _) = await ClientHopProbe.run(
      .submission, domain: "dane.example.", resolver: try fixtureResolver(), autoconfig: nil,
      options: options(submissions: tls.port, submission: 9))
    await tls.close()
    #expect(hop.rating == .weak)
    #expect(hop.endpoints[0].rating == .weak)
    #expect(hop.summary.contains("the certificate is not trusted"))
  }

  @Test func cleartextSubmissionWithPasswordsInClearIsInsecure() async throws {
    let plain = try await FixtureSMTPServer(.plain)
    var options = options(submissions: 9, submission: plain.port)
    options.overrides["smtp"] = ("smtp.dane.example.", 587)
    let (hop, _) = await ClientHopProbe.run(
      .submission, domain: "dane.example.", resolver: try fixtureResolver(), autoconfig: nil, options: options
    )
    await plain.close()
    #expect(hop.endpoints.map(\.sourceText) == ["command line"])
    #expect(hop.rating == .insecure)
  }

  @Test func noServiceFoundIsNone() async throws {
    let (hop, _) = await ClientHopProbe.run(
      .submission, domain: "nullmx.example.", resolver: try fixtureResolver(), autoconfig: nil,
      options: options(submissions: 9, submission: 9))
    #expect(hop.rating == .none)
    #expect(hop.summary.hasPrefix("no submission service found"))
  }

  @Test func unreachableServersAreUnknown() async throws {
    let (hop, _) = await ClientHopProbe.run(
      .submission, domain: "dane.example.", resolver: try fixtureResolver(), autoconfig: nil,
      options: options(submissions: 9, submission: 9))
    #expect(hop.rating == .unknown)
  }

  @Test(arguments: [
    // (service, starttls, tls trusted?, auth before TLS, expected)
    ("submission", false as Bool?, nil as Bool?, ["PLAIN", "LOGIN"], Rating.insecure),
    ("submission", true as Bool?, false as Bool?, [String](), .weak),
    ("submissions", nil as Bool?, true as Bool?, [], .secure),
    ("submissions", nil as Bool?, false as Bool?, [], .weak),
  ])
  func endpointRating(service: String, starttls: Bool?, trusted: Bool?, auth: [String], expected: Rating) {
    let tls = trusted.map {
      ProbeReport.TLS(
        version: "TLSv1.3", cipher: nil, pkixValid: $0, nameMatch: true, notAfter: nil, subject: nil,
        issuer: nil, error: nil)
    }
    let endpoint = ProbeReport.Endpoint(
      host: "smtp.example", address: "127.0.0.1", port: 587, service: Service(rawValue: service)!,
      sources: [.guess],
      reachable: true,
      starttls: service == "submission" ? starttls ?? false : nil, extensions: [], extensionsAfterTLS: [],
      authBeforeTLS: auth, tls: starttls == false ? nil : tls, dane: .init(status: .none, tlsa: []),
      rating: .unknown,
      error: nil, transcript: [])
    let (rating, why) = ClientHopProbe.rate(endpoint)
    #expect(rating == expected)
    if expected == .insecure { #expect(why.contains("passwords would cross in clear")) }
  }

  @Test func dnsThatDoesNotAnswerIsUnknownNotNone() async throws {
    var configuration = DNSResolver.Configuration()
    configuration.forwarders = [try ResolverAddress.parse("127.0.0.1@9")]
    configuration.useRootAnchor = false
    configuration.timeout = .seconds(1)
    let (hop, _) = await ClientHopProbe.run(
      .submission, domain: "x.example.", resolver: try DNSResolver(configuration), autoconfig: nil,
      options: options(submissions: 9, submission: 9))
    #expect(hop.rating == .unknown, "\(hop.summary)")
    #expect(hop.summary.hasPrefix("could not look for a submission service"))
  }

  /// An address gets no SNI (RFC 6066 §3) — TLS starts — and is matched against the certificate's
  /// IP-address subjectAltNames: secure with one for 127.0.0.1, weak ("not for 127.0.0.1") without.
  @Test(arguments: [true, false])
  func anAddressIsMatchedAgainstIPAddressNames(withIPName: Bool) async throws {
    let pki = try TestPKI(leafName: "smtp.dane.example", ipAddresses: withIPName ? [[127, 0, 0, 1]] : [])
    let tls = try await FixtureSMTPServer(
      .implicitTLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    var options = options(submissions: tls.port, submission: 9, trust: pki)
    options.overrides["smtp"] = ("127.0.0.1", nil)
    let (hop, _) = await ClientHopProbe.run(
      .submission, domain: "dane.example.", resolver: try fixtureResolver(), autoconfig: nil, options: options
    )
    await tls.close()
    let endpoint = try #require(hop.endpoints.first { $0.service == .submissions })
    #expect(endpoint.tls != nil, "\(endpoint.error ?? "")")
    #expect(endpoint.tls?.nameMatch == withIPName)
    #expect(endpoint.rating == (withIPName ? .secure : .weak), "\(hop.summary)")
    if !withIPName { #expect(hop.summary.contains("the certificate is not for 127.0.0.1")) }
  }

  @Test func anAddressIsUsedAsItIs() async throws {
    let plain = try await FixtureSMTPServer(.plain)
    var options = options(submissions: 9, submission: plain.port)
    options.overrides["smtp"] = ("127.0.0.1.", 587)
    let (hop, lookups) = await ClientHopProbe.run(
      .submission, domain: "dane.example.", resolver: try fixtureResolver(), autoconfig: nil, options: options
    )
    await plain.close()
    #expect(hop.endpoints.map(\.address) == ["127.0.0.1"])
    #expect(hop.rating == .insecure)
    #expect(lookups.isEmpty)
  }
}
