import TerminalUI

/// The event loop: one owner of the state and of every terminal call. Input becomes an action, the
/// store's reducer updates the state, the renderer draws it and reports what it laid out. Mouse events
/// are resolved against the frame that is on screen, so a click hits what the user sees. Effects are
/// handed to `perform`, which starts them elsewhere and returns at once; their answers, like every
/// result of work done in the background, come back only as actions through `inbox`, drained between
/// keys, so input is never blocked.
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
  ///   - inbox: actions produced in the background since the last call (effect answers, probe results).
  ///   - clock: the current time, for spinners and elapsed times (injected so tests control it).
  ///   - perform: starts an effect outside the loop; it must not wait for it.
  public static func run(
    _ state: inout ExplorerState, terminal: some TerminalBackend, keymap: Keymap = .standard,
    pendingSignal: () -> Int32? = { nil }, afterFirstFrame: () -> Bool = { false },
    inbox: () -> [ExplorerAction] = { [] }, clock: () -> Duration = { .zero },
    perform: (ExplorerEffect) -> Void = { _ in }
  ) -> Outcome {
    var store = ExplorerStore(state, keymap: keymap)
    defer { state = store.state }
    let (width, height) = terminal.size
    store.send(.tick(clock()))
    store.send(.resize(width: width, height: height))
    for action in inbox() { store.send(action) }
    terminal.draw(store.render().buffer)
    if afterFirstFrame() { return .quit }

    /// Hands the effects of a reduced action to the edge; `false` when the user quit. Suspending is the
    /// loop's own: it owns the terminal, and draws the same screen again (at the size it has now).
    func performed(_ effects: [ExplorerEffect]) -> Bool {
      for effect in effects {
        switch effect {
        case .quit: return false
        case .suspend:
          terminal.suspend()
          let (width, height) = terminal.size
          store.send(.resize(width: width, height: height))
          terminal.draw(store.render().buffer)
        default: perform(effect)
        }
      }
      return true
    }

    while true {
      if let signal = pendingSignal() { return .signal(signal) }
      let animating = store.state.probe?.isRunning == true
      let event = terminal.nextEvent(
        timeoutMilliseconds: animating ? animationMilliseconds : pollMilliseconds)
      // The clock is read on every turn, so a probe started after a long idle time starts from now.
      store.send(.tick(clock()))
      let before = store.state
      // Input already waiting (a paste, a held key, 10,000 keys at once) is reduced as one burst and
      // drawn once: a burst costs one frame, not one frame per key.
      var next = event
      var burst = 0
      while let current = next {
        let effects: [ExplorerEffect]
        switch current {
        case .mouse(let mouse): effects = store.mouse(mouse, asDrawn: burst == 0)
        case .resize(let width, let height): effects = store.send(.resize(width: width, height: height))
        default: effects = store.send(.key(current))
        }
        guard performed(effects) else { return .quit }
        burst += 1
        next = burst < maximumBurst ? terminal.nextEvent(timeoutMilliseconds: 0) : nil
      }
      for action in inbox() { guard performed(store.send(action)) else { return .quit } }
      if store.state.probe?.isRunning == true || animating { store.send(.tick(clock())) }
      if event != nil || store.state != before { terminal.draw(store.render().buffer) }
    }
  }
}
