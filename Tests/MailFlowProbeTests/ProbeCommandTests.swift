import Foundation
import MailFlowTestSupport
import Testing

/// `mailflow probe` as a user runs it, against the fixture zones and a fixture SMTP server.
@Suite("mailflow probe (binary, hermetic)", .serialized)
struct ProbeCommandTests {
  /// Options pointing the real binary at the fixture zones instead of the Internet.
  func fixtureArguments() throws -> [String] {
    let config = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-probe-\(UUID().uuidString).conf")
    try """
    server:
      module-config: "validator iterator"
    auth-zone:
      name: "example."
      zonefile: "\(dnsFixtures.appendingPathComponent("example.zone.signed").path)"
      for-upstream: yes
      for-downstream: no
      fallback-enabled: no
    """.write(to: config, atomically: true, encoding: .utf8)
    return [
      "--dns-config", config.path, "--trust-anchor", dnsFixtures.appendingPathComponent("example.ds").path,
      "--replace-root-anchor", "--ca-file", dnsFixtures.appendingPathComponent("fixture-ca.pem").path, "-4",
    ]
  }

  @Test func jsonReportForADANEDomain() async throws {
    // The fixture server runs on NIO's threads; the binary runs as a child process meanwhile.
    let server = try await FixtureSMTPServer(
      .starttls(chain: try RelayProbeTests.leafChain, keyPEM: try RelayProbeTests.keyPEM))
    let result = try runMailflow(
      ["probe", "probe.example", "--json", "--port", "smtp=\(server.port)", "--timeout", "15"]
        + fixtureArguments())
    await server.close()
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["schemaVersion"] as? Int == 1)
    #expect(object?["domain"] as? String == "probe.example")
    let hops = object?["hops"] as? [[String: Any]] ?? []
    #expect(hops.map { $0["id"] as? String } == ["submission", "outbound", "relay", "delivery", "retrieval"])
    let relay = hops.first { $0["id"] as? String == "relay" }
    #expect(relay?["rating"] as? String == "secure")
    let endpoint = (relay?["endpoints"] as? [[String: Any]])?.first
    #expect(endpoint?["starttls"] as? Bool == true)
    #expect((endpoint?["dane"] as? [String: Any])?["status"] as? String == "valid")
    #expect((endpoint?["tls"] as? [String: Any])?["pkixValid"] as? Bool == true)
    #expect((endpoint?["tls"] as? [String: Any])?.keys.contains("cipher") == true)
    let overall = object?["overall"] as? [String: Any]
    #expect(overall?["rating"] as? String == "secure")
    #expect(overall?["limitedBy"] as? String == "relay")
  }

  @Test func humanOutputForANullMX() throws {
    let result = try runMailflow(["probe", "nullmx.example", "--color", "never"] + fixtureArguments())
    #expect(result.status == 0)
    #expect(result.stdout.contains("publishes a null MX (RFC 7505): it accepts no mail"))
    #expect(result.stdout.contains("nullmx.example. MX: secure  0 ."))
  }

  @Test(arguments: [
    (["probe", "bad..example"], "invalid domain: 'bad..example' has an empty label"),
    (["probe", "x.example", "--resolver", "not-an-ip"], "'not-an-ip' is not a resolver address"),
    (["probe", "x.example", "--trust-anchor", "/nonexistent.ds"], "cannot read '/nonexistent.ds'"),
    (["probe", "x.example", "--ca-file", "/nonexistent.pem"], "cannot read CA file '/nonexistent.pem'"),
    (["probe", "x.example", "--port", "smtp=0"], "--port expects SERVICE=PORT"),
    (["probe", "x.example", "-4", "-6"], "-4 and -6 cannot be used together"),
  ])
  func badInputExitsTwo(arguments: [String], message: String) throws {
    let result = try runMailflow(arguments)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("mailflow: error: \(message)"), "\(result.stderr)")
    #expect(result.stderr.filter { $0 == "\n" }.count == 1)
  }

  @Test func unicodeDomainsAreConvertedAndShownBothWays() throws {
    let result = try runMailflow(
      ["probe", "bücher.example", "--color", "never", "--timeout", "1"] + fixtureArguments())
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("bücher.example (xn--bcher-kva.example)"))
  }
}
