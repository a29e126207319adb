import TerminalUI

/// The explorer's state and the one way to change it. The render pass reports what it laid out (the
/// viewport) back into the state as an action; before an action that depends on what is on screen —
/// scrolling, paging, Tab, Enter on a link — a state changed since the last frame is laid out again
/// (not drawn) and its viewport reduced first. So the reducer pages with the sizes the user will see
/// and never calls a view, and a burst of keys is laid out only where a key needs it.
public struct ExplorerStore: Sendable {
  public private(set) var state: ExplorerState
  public let keymap: Keymap
  /// The last frame laid out (drawn, or laid out for a key in a burst).
  public private(set) var frame: ExplorerFrame
  /// The state `frame` was laid out from, after its viewport was reduced.
  private var laidOut: ExplorerState?

  public init(_ state: ExplorerState, keymap: Keymap = .standard) {
    self.state = state
    self.keymap = keymap
    frame = ExplorerFrame(buffer: ScreenBuffer(width: 0, height: 0))
  }

  /// Reduces an action (after laying out the current state when the action depends on the screen).
  @discardableResult
  public mutating func send(_ action: ExplorerAction) -> [ExplorerEffect] {
    if dependsOnScreen(action) { layOut() }
    let effects = ExplorerReducer.reduce(&state, action, keymap: keymap)
    // A new size may hide the focused pane: the focus moves at once, not at the next frame.
    if case .resize = action { layOut() }
    return effects
  }

  /// A mouse event at a cell. `asDrawn`: resolved against the frame on screen (the first event since
  /// the last draw); otherwise the state is laid out again first, so a click after other input in the
  /// same burst hits where the user aimed.
  @discardableResult
  public mutating func mouse(_ event: MouseEvent, asDrawn: Bool) -> [ExplorerEffect] {
    if !asDrawn || laidOut == nil { layOut() }
    return ExplorerReducer.reduce(
      &state, .mouse(event.kind, frame.target(x: event.x, y: event.y)), keymap: keymap)
  }

  /// The frame to draw for the current state.
  public mutating func render() -> ExplorerFrame {
    layOut()
    return frame
  }

  /// Lays the current state out, if it changed, and reduces the viewport the layout reports.
  public mutating func layOut() {
    guard state != laidOut else { return }
    for _ in 0..<2 {
      frame = ExplorerRenderer.render(state, keymap: keymap)
      let before = state
      _ = ExplorerReducer.reduce(&state, .viewport(frame.viewport), keymap: keymap)
      // The viewport may move the focus off a pane that is gone: the frame is laid out once more.
      if state == before { break }
    }
    laidOut = state
  }

  /// Mouse events, and keys whose meaning depends on what the screen shows: paging, Tab, Enter on a
  /// highlighted link.
  func dependsOnScreen(_ action: ExplorerAction) -> Bool {
    if case .mouse = action { return true }
    guard case .key(let key) = action, state.prompt == nil else { return false }
    switch keymap.intent(for: key, in: state) {
    case .focusNext, .focusPrevious, .open, .lineUp, .lineDown, .pageUp, .pageDown, .top, .bottom: return true
    default: return false
    }
  }
}
