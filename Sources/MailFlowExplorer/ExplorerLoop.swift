import TerminalUI

/// The event loop: one owner of the state and of every terminal call. Input becomes an action, the
/// reducer updates the state, the renderer draws it. Mouse events are resolved against the frame that
/// is on screen, so a click hits what the user sees.
public enum ExplorerLoop {
  public enum Outcome: Sendable, Equatable {
    case quit
    /// Ended by SIGINT, SIGTERM or SIGHUP.
    case signal(Int32)
  }

  /// How long to wait for input before polling for signals again.
  static let pollMilliseconds = 200

  public static func run(
    _ state: inout ExplorerState, terminal: some TerminalBackend, keymap: Keymap = .standard,
    pendingSignal: () -> Int32? = { nil }, afterFirstFrame: () -> Bool = { false },
    perform: (ExplorerEffect) -> ExplorerAction? = { _ in nil }
  ) -> Outcome {
    let (width, height) = terminal.size
    _ = ExplorerReducer.reduce(&state, .resize(width: width, height: height), keymap: keymap)
    var frame = ExplorerRenderer.render(state, keymap: keymap)
    terminal.draw(frame.buffer)
    if afterFirstFrame() { return .quit }
    while true {
      if let signal = pendingSignal() { return .signal(signal) }
      guard let event = terminal.nextEvent(timeoutMilliseconds: pollMilliseconds) else { continue }
      let action: ExplorerAction
      switch event {
      case .mouse(let mouse): action = .mouse(mouse.kind, frame.target(x: mouse.x, y: mouse.y))
      case .resize(let width, let height): action = .resize(width: width, height: height)
      default: action = .key(event)
      }
      // Effects are performed here, at the edge, and their results come back as actions.
      var pending = ExplorerReducer.reduce(&state, action, keymap: keymap)
      while let effect = pending.first {
        pending.removeFirst()
        if effect == .quit { return .quit }
        if let result = perform(effect) { pending += ExplorerReducer.reduce(&state, result, keymap: keymap) }
      }
      frame = ExplorerRenderer.render(state, keymap: keymap)
      terminal.draw(frame.buffer)
    }
  }
}
