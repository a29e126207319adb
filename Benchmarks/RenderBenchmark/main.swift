import Foundation
import MailFlowAssets
import MailFlowExplorer
import MailFlowModel
import MailFlowTrace
import TerminalUI

/// Frame render time of the explorer at 200×60, for the screens a user sees most. Run in release:
///   swift run -c release mailflow-render-benchmark [iterations]
/// Prints median, 99th percentile and maximum per screen, in microseconds.
let iterations = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2000
let clock = ContinuousClock()

let loadStart = clock.now
let knowledge = try BuiltinKnowledge.load()
let loadTime = clock.now - loadStart

/// The state after these actions, sent as the explorer's loop sends them (paging uses the sizes on screen).
func state(after actions: [ExplorerAction]) -> ExplorerState {
  var store = ExplorerStore(ExplorerState(knowledge: knowledge, width: 200, height: 60, ascii: false))
  for action in actions { store.send(action) }
  return store.state
}

func state(_ keys: [KeyEvent]) -> ExplorerState { state(after: keys.map { .key($0) }) }

/// A message that crossed 20,000 servers: the journey a huge trace opens in the explorer.
func hugeJourney() throws -> Journey {
  var text = ""
  for i in 0..<20_000 {
    text +=
      "Received: from mx\(i).example.org (mx\(i).example.org [192.0.2.\(i % 250)]) by "
      + "mx\(i + 1).example.net with ESMTPS id X\(i); Mon, 30 Nov 2026 10:00:00 +0000\r\n"
  }
  let header = try HeaderSection.parse(Array((text + "Subject: huge\r\n\r\nbody\r\n").utf8))
  return TraceJourney.make(try TraceAnalyzer.analyze(header), name: "huge.eml")
}

let screens: [(String, ExplorerState)] = [
  ("main view", state([])),
  ("relay details, scrolled", state([.character("3"), .enter, .pageDown])),
  (
    "journey, downgrade relay step",
    state([.character("J"), .character("C"), .character("n"), .character("n")])
  ),
  ("help overlay", state([.character("?")])),
  ("traced journey, 20,000 fields", state(after: [.messageLoaded(.success(try hugeJourney()))])),
]

func microseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

print("knowledge base load: \(String(format: "%.0f", microseconds(loadTime))) µs")
print("frame render at 200×60, \(iterations) iterations each:")
var sink = 0
for (name, screen) in screens {
  var samples: [Double] = []
  samples.reserveCapacity(iterations)
  for _ in 0..<iterations {
    let start = clock.now
    let frame = ExplorerRenderer.render(screen)
    samples.append(microseconds(clock.now - start))
    sink &+= frame.hits.count
  }
  samples.sort()
  let median = samples[samples.count / 2]
  let p99 = samples[samples.count * 99 / 100]
  let max = samples.last!
  print(
    "  \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) median \(String(format: "%6.0f", median)) µs"
      + "   p99 \(String(format: "%6.0f", p99)) µs   max \(String(format: "%6.0f", max)) µs")
}
if sink == 42 { print("") }
