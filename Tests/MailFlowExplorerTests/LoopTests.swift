import TerminalUI
import Testing

@testable import MailFlowExplorer

/// A terminal that replays scripted events and records what was drawn.
final class ScriptedTerminal: TerminalBackend {
  var size: (width: Int, height: Int)
  var events: [KeyEvent?]
  var frames: [ScreenBuffer] = []
  let glyphsSupported = true

  init(width: Int = 80, height: Int = 24, events: [KeyEvent?]) {
    size = (width, height)
    self.events = events
  }

  func draw(_ buffer: ScreenBuffer) { frames.append(buffer) }

  func nextEvent(timeoutMilliseconds: Int) -> KeyEvent? {
    // When the script is over, the user types q — after a wait, never as input already pending.
    guard !events.isEmpty else { return timeoutMilliseconds == 0 ? nil : .character("q") }
    let event = events.removeFirst()
    if case .resize(let width, let height) = event { size = (width, height) }
    return event
  }
}

@Suite("Event loop")
struct LoopTests {
  @Test func drawsFirstThenAfterEveryEventAndQuits() {
    let terminal = ScriptedTerminal(events: [.right, nil, .character("q")])
    var state = explorer(width: 0, height: 0)
    #expect(ExplorerLoop.run(&state, terminal: terminal) == .quit)
    #expect(terminal.frames.count == 2)
    #expect(state.selectedHop == 1)
  }

  @Test func takesTheTerminalsSizeAndFollowsResizes() {
    let terminal = ScriptedTerminal(width: 100, height: 30, events: [.resize(width: 60, height: 15)])
    var state = explorer(width: 0, height: 0)
    _ = ExplorerLoop.run(&state, terminal: terminal)
    #expect(terminal.frames[0].width == 100)
    #expect(terminal.frames[1].lines.joined().contains("terminal too small: need 80×24, have 60×15"))
  }

  @Test func resolvesClicksAgainstTheFrameOnScreen() {
    let first = ExplorerRenderer.render(explorer())
    let arrow = first.hits.first { $0.1 == .hop(4, in: .diagram) }!.0
    let terminal = ScriptedTerminal(events: [.mouse(MouseEvent(.click, x: arrow.x + 2, y: arrow.y + 1))])
    var state = explorer(width: 0, height: 0)
    _ = ExplorerLoop.run(&state, terminal: terminal)
    #expect(state.selectedHop == 4)
  }

  @Test func endsOnASignal() {
    let terminal = ScriptedTerminal(events: [nil, nil])
    var state = explorer(width: 0, height: 0)
    var polls = 0
    let outcome = ExplorerLoop.run(
      &state, terminal: terminal,
      pendingSignal: {
        polls += 1
        return polls == 2 ? 15 : nil
      })
    #expect(outcome == .signal(15))
  }
}

@Suite("Input bursts")
struct InputBurstTests {
  /// A terminal whose events all arrive at once; `nil` when none is waiting.
  final class BurstTerminal: TerminalBackend {
    var size: (width: Int, height: Int) = (80, 24)
    var events: [KeyEvent]
    var frames = 0
    var quitSent = false
    let glyphsSupported = true
    init(_ events: [KeyEvent]) { self.events = events.reversed() }
    func draw(_ buffer: ScreenBuffer) { frames += 1 }
    func nextEvent(timeoutMilliseconds: Int) -> KeyEvent? {
      if let event = events.popLast() { return event }
      if timeoutMilliseconds == 0 { return nil }
      return .character("q")
    }
  }

  @Test func aBurstOfKeysIsDrawnOnce() {
    let terminal = BurstTerminal(Array(repeating: .down, count: 10_000))
    var state = explorer(width: 0, height: 0)
    #expect(ExplorerLoop.run(&state, terminal: terminal) == .quit)
    // The first frame, then one per 4,096 keys.
    #expect(terminal.frames <= 4, "\(terminal.frames)")
  }

  @Test func aPromptStopsGrowingAtItsLimit() {
    var editor = LineEditor()
    for _ in 0..<(LineEditor.maximumLength + 100) { _ = editor.handle(.character("x")) }
    #expect(editor.text.count == LineEditor.maximumLength)
    #expect(editor.handle(.character("y")) == .ignored)
  }
}
