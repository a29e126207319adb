import Foundation
import MailFlowAssets
import MailFlowCLI
import MailFlowDNS
import MailFlowExplorer
import MailFlowProbe
import MailFlowReport
import MailFlowTestSupport
import NIOCore
import SwiftASN1
import TerminalUI
import X509

/// Key-to-screen latency of the explorer while a probe runs, and the probe's wall time inside the
/// explorer against `DomainProbe` alone. Hermetic: the fixture zones and three fixture MX servers on
/// 127.0.0.1–3 that answer after 150, 300 and 450 ms (threemx.example). The explorer's real event
/// loop and probe runner are driven by a scripted terminal that presses a key every 10 ms; latency is
/// from the moment the loop receives a key to the end of the frame drawn for it. Run in release:
///   swift run -c release mailflow-explorer-probe-benchmark [rounds]
let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 10

let servers = try await FixtureCertificate.threeMXServers(delays: [
  .milliseconds(150), .milliseconds(300), .milliseconds(450),
])
let first = servers[0]
var options = DomainProbe.Options()
options.relay.port = first.port
options.relay.useIPv6 = false
options.client.useIPv6 = false
options.client.ports = Dictionary(uniqueKeysWithValues: ClientService.allCases.map { ($0, 9) })
options.https.port = 9
options.https.useIPv6 = false
let knowledge = try BuiltinKnowledge.load()
var fixtureConfiguration = DNSResolver.Configuration()
fixtureConfiguration.useRootAnchor = false
let clock = ContinuousClock()

func milliseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// A terminal that presses Right/Left every 10 ms and records when each key was handed over and when
/// the next frame was finished.
final class ScriptedTerminal: TerminalBackend {
  let size = (width: 160, height: 48)
  let glyphsSupported = true
  var pendingKeyAt: ContinuousClock.Instant?
  var latencies: [Double] = []
  var presses = 0
  var lastPress = ContinuousClock.now
  var done: () -> Bool = { false }

  func draw(_ buffer: ScreenBuffer) {
    if let at = pendingKeyAt {
      latencies.append(milliseconds(ContinuousClock.now - at))
      pendingKeyAt = nil
    }
  }

  func nextEvent(timeoutMilliseconds: Int) -> KeyEvent? {
    if done() { return .character("q") }
    let next = lastPress + .milliseconds(10)
    let now = ContinuousClock.now
    if next > now {
      let wait = min(next - now, .milliseconds(timeoutMilliseconds))
      Thread.sleep(forTimeInterval: milliseconds(wait) / 1000)
      if ContinuousClock.now < next { return nil }
    }
    lastPress = ContinuousClock.now
    presses += 1
    pendingKeyAt = ContinuousClock.now
    return presses % 2 == 0 ? .left : .right
  }
}

var latencies: [Double] = []
var insideTimes: [Double] = []
var aloneTimes: [Double] = []
for _ in 0..<rounds {
  // Alone.
  let resolver = try fixtureResolver()
  let aloneStart = clock.now
  _ = await DomainProbe.run(domain: try DomainName("threemx.example"), resolver: resolver, options: options)
  aloneTimes.append(milliseconds(clock.now - aloneStart))

  // Inside the explorer's loop.
  // The fixture resolver trusts only the fixture zones' anchors, as `fixtureConfiguration` says.
  let runner = ExplorerProbeRunner(
    resolver: try fixtureResolver(), configuration: fixtureConfiguration, probeOptions: options)
  let terminal = ScriptedTerminal()
  var state = ExplorerState(knowledge: knowledge, width: 160, height: 48, ascii: false)
  var startedAt: ContinuousClock.Instant?
  var finishedAt: ContinuousClock.Instant?
  terminal.done = { finishedAt != nil }
  let loopStart = clock.now
  for effect in ExplorerReducer.reduce(&state, .probeRequested("threemx.example")) {
    if case .startProbe(let domain, let generation) = effect { runner.start(domain, generation: generation) }
  }
  startedAt = clock.now
  _ = ExplorerLoop.run(
    &state, terminal: terminal,
    inbox: {
      let actions = runner.drain()
      if finishedAt == nil, actions.contains(where: { if case .probeFinished = $0 { true } else { false } }) {
        finishedAt = clock.now
      }
      return actions
    }, clock: { clock.now - loopStart },
    perform: { effect in
      if case .startProbe(let domain, let generation) = effect {
        runner.start(domain, generation: generation)
      }
    })
  if let startedAt, let finishedAt { insideTimes.append(milliseconds(finishedAt - startedAt)) }
  latencies += terminal.latencies
  runner.cancel()
}
for server in servers { await server.close() }

func summary(_ values: [Double]) -> String {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return "no samples" }
  let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
  return String(
    format: "median %.2f ms, p99 %.2f ms, min %.2f, max %.2f (%d samples)", sorted[sorted.count / 2], p99,
    sorted[0],
    sorted[sorted.count - 1], sorted.count)
}
print("explorer at 160×48 probing threemx.example (3 MX answering after 150/300/450 ms), \(rounds) rounds:")
print("  key-to-screen latency while probing: \(summary(latencies))")
print("  probe wall time inside the explorer: \(summary(insideTimes))")
print("  probe wall time alone (DomainProbe): \(summary(aloneTimes))")
