import MailFlowAssets
import MailFlowModel
import MailFlowTestSupport
import TerminalUI
import Testing

@testable import MailFlowExplorer

/// A state over the built-in knowledge base after a sequence of actions.
func explorer(
  width: Int = 80, height: Int = 24, ascii: Bool = false, _ actions: [ExplorerAction] = []
) -> ExplorerState {
  let state = ExplorerState(
    knowledge: try! BuiltinKnowledge.load(), width: width, height: height, ascii: ascii)
  var store = ExplorerStore(state)
  for action in actions { store.send(action) }
  return store.state
}

/// Sends an action the way the loop does: through a store, which lays the state out first when the
/// action depends on the screen (paging, Tab, Enter on a link).
@discardableResult
func send(_ state: inout ExplorerState, _ action: ExplorerAction) -> [ExplorerEffect] {
  var store = ExplorerStore(state)
  defer { state = store.state }
  return store.send(action)
}

func keys(_ events: KeyEvent...) -> [ExplorerAction] { events.map { .key($0) } }

@Suite("Screens")
struct ScreenSnapshotTests {
  func snapshot(
    _ state: ExplorerState, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    assertSnapshot(
      ExplorerRenderer.render(state).buffer.snapshot, named: name, sourceLocation: sourceLocation)
  }

  @Test func main80x24() { snapshot(explorer(), "main-80x24") }
  @Test func main160x48() { snapshot(explorer(width: 160, height: 48), "main-160x48") }
  @Test func main100x30() { snapshot(explorer(width: 100, height: 30), "main-100x30") }
  @Test func main120x40() { snapshot(explorer(width: 120, height: 40), "main-120x40") }
  @Test func main200x60() { snapshot(explorer(width: 200, height: 60), "main-200x60") }
  @Test func mainASCII() { snapshot(explorer(ascii: true), "main-80x24-ascii") }

  @Test(arguments: 0..<5)
  func detailsOfEachHop(hop: Int) {
    snapshot(
      explorer(width: 100, height: 40, keys(.character(Character(String(hop + 1))))),
      "details-hop\(hop + 1)-100x40")
  }

  @Test func rfcOpenedFromDetails() {
    let state = explorer(keys(.character("3"), .enter, .end, .down, .enter))
    #expect(state.openRFC != nil)
    snapshot(state, "details-rfc-80x24")
  }

  @Test(arguments: 0..<3)
  func journeySteps(scenario: Int) {
    let switchScenario = Array(repeating: KeyEvent.character("c"), count: scenario)
    var state = explorer(width: 100, height: 40, keys(.character("J")) + switchScenario.map { .key($0) })
    let steps = state.journey!.steps.count
    for step in 0..<steps {
      snapshot(state, "journey-\(state.journey!.id)-step\(step + 1)-100x40")
      send(&state, .key(.character("n")))
    }
  }

  @Test func journeyAt80x24() {
    snapshot(explorer(keys(.character("J"), .character("n"), .character("n"))), "journey-80x24")
  }
  @Test func journeyAt160x48() {
    snapshot(
      explorer(width: 160, height: 48, keys(.character("J"), .character("n"), .character("n"))),
      "journey-160x48")
  }

  @Test func observerView() {
    snapshot(
      explorer(width: 100, height: 40, keys(.character("J"), .character("o"))), "journey-observer-100x40")
  }

  @Test func helpOverlay() { snapshot(explorer(keys(.character("?"))), "help-80x24") }
  @Test func tooSmall() { snapshot(explorer(width: 60, height: 15), "too-small-60x15") }
}
