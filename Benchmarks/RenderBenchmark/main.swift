import Foundation
import MailFlowAssets
import MailFlowExplorer
import MailFlowModel
import TerminalUI

/// Frame render time of the explorer at 200×60, for the screens a user sees most. Run in release:
///   swift run -c release mailflow-render-benchmark [iterations]
/// Prints median, 99th percentile and maximum per screen, in microseconds.
let iterations = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2000
let clock = ContinuousClock()

let loadStart = clock.now
let knowledge = try BuiltinKnowledge.load()
let loadTime = clock.now - loadStart

func state(_ keys: [KeyEvent]) -> ExplorerState {
  var state = ExplorerState(knowledge: knowledge, width: 200, height: 60, ascii: false)
  for key in keys { _ = ExplorerReducer.reduce(&state, .key(key)) }
  return state
}

let screens: [(String, ExplorerState)] = [
  ("main view", state([])),
  ("relay details, scrolled", state([.character("3"), .enter, .pageDown])),
  (
    "journey, downgrade relay step",
    state([.character("J"), .character("C"), .character("n"), .character("n")])
  ),
  ("help overlay", state([.character("?")])),
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
