import Foundation
import MailFlowDNS
import MailFlowProbe
import MailFlowTestSupport
import NIOCore
import SwiftASN1
import X509

/// Wall time and peak memory of a full relay probe of a fixture domain with three MX hosts on loopback
/// (127.0.0.1–3), each answering after a different delay (20, 40, 60 ms). Hermetic: fixture DNS zones,
/// fixture SMTP servers with STARTTLS and the DANE fixture certificate. Run in release:
///   swift run -c release mailflow-probe-benchmark [iterations]
/// The target is the slowest single host's time, not the sum (hosts are probed in parallel).
let iterations = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 30
let servers = try await FixtureCertificate.threeMXServers(delays: [
  .milliseconds(20), .milliseconds(40), .milliseconds(60),
])
let first = servers[0]
let resolver = try fixtureResolver()
var options = RelayProbe.Options()
options.port = first.port
options.useIPv6 = false

let clock = ContinuousClock()
var samples: [Double] = []
var rating = ""
for _ in 0..<iterations {
  let start = clock.now
  let (hop, _) = await RelayProbe.run(domain: "threemx.example.", resolver: resolver, options: options)
  let elapsed = clock.now - start
  samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
  rating = "\(hop.rating.rawValue) (\(hop.endpoints.count) endpoints)"
}
for server in servers { await server.close() }
samples.sort()
let peak =
  (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
  .split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map(String.init) ?? "VmHWM unknown"
print("relay probe of threemx.example (3 MX at 20/40/60 ms), \(iterations) runs: rating \(rating)")
print(
  String(
    format: "  wall time median %.1f ms, min %.1f ms, max %.1f ms", samples[samples.count / 2], samples[0],
    samples[samples.count - 1]))
print(
  "  peak memory: \(peak.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "  ", with: " "))"
)
