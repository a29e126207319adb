import Foundation
import MailFlowDNS
import MailFlowModel
import MailFlowTestSupport
import Testing
import X509

@testable import MailFlowProbe

/// The relay hop end to end, hermetic: fixture DNS (signed zones in unbound auth-zones) and fixture SMTP
/// servers on 127.0.0.x, with the committed fixture certificate whose DANE-EE record is in the zone.
@Suite("Relay probe (fixture DNS + fixture SMTP)", .serialized)
struct RelayProbeTests {
  static var leafChain: [[UInt8]] { get throws { try FixtureCertificate.chain() } }

  static var keyPEM: String { get throws { try FixtureCertificate.keyPEM() } }

  static var fixtureCA: Certificate {
    get throws {
      try Certificate(
        pemEncoded: String(contentsOf: dnsFixtures.appendingPathComponent("fixture-ca.pem"), encoding: .utf8))
    }
  }

  func options(port: Int, trustFixtureCA: Bool = false) throws -> RelayProbe.Options {
    var options = RelayProbe.Options()
    options.port = port
    // Generous: success cases must not race a loaded machine; deadline behaviour has its own tests.
    options.timeout = .seconds(15)
    options.useIPv6 = false
    if trustFixtureCA { options.extraRoots = [try Self.fixtureCA] }
    return options
  }

  @Test func daneValidIsSecure() async throws {
    let server = try await FixtureSMTPServer(.starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM))
    let (hop, lookups) = await RelayProbe.run(
      domain: "probe.example.", resolver: try fixtureResolver(),
      options: try options(port: server.port, trustFixtureCA: true))
    await server.close()
    #expect(hop.rating == .secure, "\(hop.summary)")
    let endpoint = try #require(hop.endpoints.first)
    #expect(endpoint.dane.status == .valid)
    #expect(endpoint.tls?.pkixValid == true)
    #expect(endpoint.tls?.nameMatch == true)
    #expect(endpoint.tls?.version == "TLSv1.3")
    #expect(endpoint.extensions.contains("STARTTLS"))
    #expect(!endpoint.extensionsAfterTLS.isEmpty)
    #expect(lookups.map(\.type) == ["MX", "A", "TLSA"])
    #expect(lookups.allSatisfy { $0.status == .secure })
  }

  @Test func daneTAValidIsSecure() async throws {
    let server = try await FixtureSMTPServer(.starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM))
    let (hop, _) = await RelayProbe.run(
      domain: "ta.example.", resolver: try fixtureResolver(), options: try options(port: server.port))
    await server.close()
    let endpoint = try #require(hop.endpoints.first)
    #expect(endpoint.dane.status == .valid)
    #expect(endpoint.dane.tlsa.first?.record.hasPrefix("2 0 1 ") == true)
    #expect(hop.rating == .secure)
  }

  @Test func withoutTheCAThePKIXCheckFailsButDANEStillDecides() async throws {
    let server = try await FixtureSMTPServer(.starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM))
    let (hop, _) = await RelayProbe.run(
      domain: "probe.example.", resolver: try fixtureResolver(), options: try options(port: server.port))
    await server.close()
    #expect(hop.rating == .secure)
    #expect(hop.endpoints.first?.tls?.pkixValid == false)
    #expect(hop.endpoints.first?.tls?.error != nil)
  }

  @Test func tlsaMismatchIsBrokenAndSaysDANESendersWillNotDeliver() async throws {
    let server = try await FixtureSMTPServer(.starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM))
    let (hop, _) = await RelayProbe.run(
      domain: "mismatch.example.", resolver: try fixtureResolver(), options: try options(port: server.port))
    await server.close()
    #expect(hop.rating == .broken)
    #expect(hop.summary.contains("senders that honour DANE will not deliver"))
    #expect(hop.endpoints.first?.dane.status == .mismatch)
  }

  @Test func theWeakestOfTwoMXGoverns() async throws {
    let good = try await FixtureSMTPServer(.starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM))
    let plain = try await FixtureSMTPServer(.plain, host: "127.0.0.2", port: good.port)
    let (hop, _) = await RelayProbe.run(
      domain: "twomx.example.", resolver: try fixtureResolver(), options: try options(port: good.port))
    await good.close()
    await plain.close()
    #expect(hop.endpoints.map(\.host) == ["mx.twomx.example.", "mx2.twomx.example."])
    #expect(hop.endpoints.map(\.rating) == [.weak, .insecure])
    #expect(hop.rating == .insecure)
    #expect(hop.summary.contains("mx2.twomx.example. [127.0.0.2] does not offer STARTTLS"))
  }

  @Test func nullMXAcceptsNoMail() async throws {
    let (hop, _) = await RelayProbe.run(
      domain: "nullmx.example.", resolver: try fixtureResolver(), options: try options(port: 1))
    #expect(hop.rating == .none)
  }

  @Test func implicitMXUsesTheDomainsAddress() async throws {
    let server = try await FixtureSMTPServer(.plain, host: "127.0.0.3")
    let (hop, _) = await RelayProbe.run(
      domain: "implicit.example.", resolver: try fixtureResolver(), options: try options(port: server.port))
    await server.close()
    #expect(hop.endpoints.map(\.host) == ["implicit.example."])
    #expect(hop.endpoints.map(\.address) == ["127.0.0.3"])
    #expect(hop.rating == .insecure)
  }

  @Test func bogusMXIsBrokenWithTheValidatorsReason() async throws {
    let (hop, lookups) = await RelayProbe.run(
      domain: "broken.", resolver: try fixtureResolver(), options: try options(port: 1))
    #expect(hop.rating == .broken)
    #expect(hop.summary.contains("Validator: "), "\(hop.summary)")
    #expect(lookups.first?.status == .bogus)
    #expect(lookups.first?.reason != nil)
  }

  @Test func unsignedZoneMeansNoDANE() async throws {
    let server = try await FixtureSMTPServer(
      .starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM), host: "127.0.0.5")
    let (hop, lookups) = await RelayProbe.run(
      domain: "example.org.", resolver: try fixtureResolver(), options: try options(port: server.port))
    await server.close()
    #expect(hop.rating == .weak)
    #expect(hop.endpoints.first?.dane.status == .insecure)
    #expect(!lookups.contains { $0.type == "TLSA" })
  }

  /// RFC 7672 §2.2.1: an unsigned domain hosted on a signed provider's MX still gets DANE.
  @Test func daneAppliesThroughAnInsecureMXRRset() async throws {
    let server = try await FixtureSMTPServer(.starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM))
    let (hop, lookups) = await RelayProbe.run(
      domain: "hosted.example.org.", resolver: try fixtureResolver(), options: try options(port: server.port))
    await server.close()
    #expect(lookups.first?.status == .insecure)
    #expect(hop.endpoints.first?.dane.status == .valid)
    #expect(hop.rating == .secure)
  }

  /// RFC 7672 §2.2.2: for an MX host that is an alias, TLSA at the expanded name is found first.
  @Test func tlsaIsLookedUpAtTheExpandedNameOfAnAlias() async throws {
    let server = try await FixtureSMTPServer(.starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM))
    let (hop, lookups) = await RelayProbe.run(
      domain: "aliasmx.example.", resolver: try fixtureResolver(), options: try options(port: server.port))
    await server.close()
    #expect(
      lookups.contains {
        $0.type == "TLSA" && $0.name == "_25._tcp.mx.probe.example." && $0.status == .secure
      })
    #expect(hop.endpoints.first?.host == "mxalias.probe.example.")
    #expect(hop.endpoints.first?.dane.status == .valid)
    #expect(hop.rating == .secure)
  }

  /// The seed's downgrade: an on-path attacker rewrites 250-STARTTLS. The probe sees no STARTTLS, and
  /// with TLSA published it reports that a DANE sender would not deliver.
  @Test func aManInTheMiddleStrippingSTARTTLS() async throws {
    let server = try await FixtureSMTPServer(.starttls(chain: try Self.leafChain, keyPEM: try Self.keyPEM))
    let proxy = try await StrippingProxy(backendPort: server.port)
    let (hop, _) = await RelayProbe.run(
      domain: "probe.example.", resolver: try fixtureResolver(), options: try options(port: proxy.port))
    await proxy.close()
    await server.close()
    let endpoint = try #require(hop.endpoints.first)
    #expect(endpoint.starttls == false)
    #expect(endpoint.transcript.contains { $0.text == "250-XXXXXXXA" })
    #expect(endpoint.dane.status == .mismatch)
    // DANE is published: a DANE sender refuses the stripped connection (the seed's downgrade scenario).
    #expect(hop.rating == .broken)
    #expect(hop.summary.contains("DANE is published but the server does not offer STARTTLS"))
  }

  @Test func unreachableIsUnknownNotMissingSTARTTLS() async throws {
    let (hop, _) = await RelayProbe.run(
      domain: "probe.example.", resolver: try fixtureResolver(), options: try options(port: 9))
    #expect(hop.rating == .unknown)
    #expect(!hop.summary.contains("does not offer STARTTLS"))
  }

  @Test func aDomainThatDoesNotExist() async throws {
    let (hop, _) = await RelayProbe.run(
      domain: "missing.example.", resolver: try fixtureResolver(), options: try options(port: 1))
    #expect(hop.rating == .unknown)
    #expect(hop.summary.contains("NXDOMAIN"))
  }
}
