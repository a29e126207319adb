import TerminalUI

/// The event loop: one owner of the state and of every terminal call. Input becomes an action, the
/// reducer updates the state, the renderer draws it. Mouse events are resolved against the frame that
/// is on screen, so a click hits what the user sees. Work done elsewhere (a probe running in the
/// background) reaches the state only through `inbox`, drained between keys, so input is never blocked.
public enum ExplorerLoop {
  public enum Outcome: Sendable, Equatable {
    case quit
    /// Ended by SIGINT, SIGTERM or SIGHUP.
    case signal(Int32)
  }

  /// How long to wait for input before polling for signals again.
  static let pollMilliseconds = 200
  /// While something animates (a probe's spinner), the screen is refreshed this often.
  static let animationMilliseconds = 100
  /// Events reduced before the screen is drawn again, so even an endless stream shows progress.
  static let maximumBurst = 4096

  /// - Parameters:
  ///   - inbox: actions produced in the background since the last call (probe results).
  ///   - clock: the current time, for spinners and elapsed times (injected so tests control it).
  public static func run(
    _ state: inout ExplorerState, terminal: some TerminalBackend, keymap: Keymap = .standard,
    pendingSignal: () -> Int32? = { nil }, afterFirstFrame: () -> Bool = { false },
    inbox: () -> [ExplorerAction] = { [] }, clock: () -> Duration = { .zero },
    perform: (ExplorerEffect) -> ExplorerAction? = { _ in nil }
  ) -> Outcome {
    let (width, height) = terminal.size
    _ = ExplorerReducer.reduce(&state, .tick(clock()), keymap: keymap)
    _ = ExplorerReducer.reduce(&state, .resize(width: width, height: height), keymap: keymap)
    for action in inbox() { _ = ExplorerReducer.reduce(&state, action, keymap: keymap) }
    var frame = ExplorerRenderer.render(state, keymap: keymap)
    terminal.draw(frame.buffer)
    if afterFirstFrame() { return .quit }

    /// Reduces an action and performs its effects at the edge; `false` when the user quit.
    func apply(_ action: ExplorerAction) -> Bool {
      var pending = ExplorerReducer.reduce(&state, action, keymap: keymap)
      while let effect = pending.first {
        pending.removeFirst()
        if effect == .quit { return false }
        if let result = perform(effect) { pending += ExplorerReducer.reduce(&state, result, keymap: keymap) }
      }
      return true
    }

    while true {
      if let signal = pendingSignal() { return .signal(signal) }
      let animating = state.probe?.isRunning == true
      let event = terminal.nextEvent(
        timeoutMilliseconds: animating ? animationMilliseconds : pollMilliseconds)
      // The clock is read on every turn, so a probe started after a long idle time starts from now.
      _ = ExplorerReducer.reduce(&state, .tick(clock()), keymap: keymap)  // only the reducer changes state
      let before = state
      // Input already waiting (a paste, a held key, 10,000 keys at once) is reduced as one burst and
      // drawn once: a burst costs one frame, not one frame per key.
      var next = event
      var burst = 0
      while let current = next {
        let action: ExplorerAction
        switch current {
        case .mouse(let mouse):
          // A click is resolved against what is on screen: after other input in this burst, the frame
          // is laid out again first (not drawn), so the click hits where the user aimed.
          if burst > 0 && state != before { frame = ExplorerRenderer.render(state, keymap: keymap) }
          action = .mouse(mouse.kind, frame.target(x: mouse.x, y: mouse.y))
        case .resize(let width, let height): action = .resize(width: width, height: height)
        default: action = .key(current)
        }
        guard apply(action) else { return .quit }
        burst += 1
        next = burst < maximumBurst ? terminal.nextEvent(timeoutMilliseconds: 0) : nil
      }
      for action in inbox() { guard apply(action) else { return .quit } }
      if state.probe?.isRunning == true || animating { _ = apply(.tick(clock())) }
      if event != nil || state != before {
        frame = ExplorerRenderer.render(state, keymap: keymap)
        terminal.draw(frame.buffer)
      }
    }
  }
}
