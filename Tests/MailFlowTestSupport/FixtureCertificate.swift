import Foundation
import NIOCore
import NIOSSL

/// The committed fixture certificate (Tests/MailFlowDNSTests/Fixtures: fixture-leaf.pem, issued by
/// fixture-ca.pem), whose DANE-EE record is in the signed fixture zone.
public enum FixtureCertificate {
  /// Leaf and CA, DER.
  public static func chain() throws -> [[UInt8]] {
    try ["fixture-leaf.pem", "fixture-ca.pem"].flatMap {
      try NIOSSLCertificate.fromPEMFile(dnsFixtures.appendingPathComponent($0).path).map {
        try $0.toDERBytes()
      }
    }
  }

  public static func keyPEM() throws -> String {
    try String(contentsOf: dnsFixtures.appendingPathComponent("fixture-leaf.key"), encoding: .utf8)
  }

  /// STARTTLS servers on 127.0.0.1, .2 and .3 sharing one port (threemx.example's MX hosts), each
  /// answering after its delay.
  public static func threeMXServers(delays: [TimeAmount]) async throws -> [FixtureSMTPServer] {
    let chain = try chain()
    let key = try keyPEM()
    let first = try await FixtureSMTPServer(
      .starttls(chain: chain, keyPEM: key), host: "127.0.0.1", bannerDelay: delays[0])
    var servers = [first]
    for (index, delay) in delays.enumerated().dropFirst() {
      servers.append(
        try await FixtureSMTPServer(
          .starttls(chain: chain, keyPEM: key), host: "127.0.0.\(index + 1)", port: first.port,
          bannerDelay: delay))
    }
    return servers
  }
}
