import Foundation
import MailFlowDNS

/// The signed fixture zones and the fixture certificate (Tests/MailFlowDNSTests/Fixtures).
public let dnsFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent()
  .appendingPathComponent("MailFlowDNSTests/Fixtures")

/// A resolver over the signed fixture zones, without any server process: unbound's auth-zones answer
/// as if they were upstream, and the fixtures' DS records are the only trust anchors.
public func fixtureResolver(timeout: Duration = .seconds(5)) throws -> DNSResolver {
  let fixtures = dnsFixtures
  let config = FileManager.default.temporaryDirectory.appendingPathComponent(
    "mailflow-unbound-\(UUID().uuidString).conf")
  var text = "server:\n  module-config: \"validator iterator\"\n  verbosity: 0\n"
  for (zone, file) in [
    ("example.", "example.zone.signed"), ("broken.", "broken.zone.signed"), ("example.org.", "unsigned.zone"),
  ] {
    text += """
      auth-zone:
        name: "\(zone)"
        zonefile: "\(fixtures.appendingPathComponent(file).path)"
        for-upstream: yes
        for-downstream: no
        fallback-enabled: no

      """
  }
  try text.write(to: config, atomically: true, encoding: .utf8)
  var configuration = DNSResolver.Configuration()
  configuration.configFile = config.path
  configuration.useRootAnchor = false
  configuration.trustAnchorFiles = ["example.ds", "broken.ds"].map {
    fixtures.appendingPathComponent($0).path
  }
  configuration.timeout = timeout
  return try DNSResolver(configuration)
}
