/// What the explorer's event loop needs from a terminal. The ncurses backend implements it; tests use
/// a scripted fake, so the loop itself runs without a terminal.
public protocol TerminalBackend: AnyObject {
  var size: (width: Int, height: Int) { get }
  var glyphsSupported: Bool { get }
  func draw(_ buffer: ScreenBuffer)
  /// The next input event, or `nil` when `timeoutMilliseconds` passed without one.
  func nextEvent(timeoutMilliseconds: Int) -> KeyEvent?
  /// Hands the terminal back and stops the process until the shell continues it (Ctrl-Z).
  func suspend()
}

extension TerminalBackend {
  /// Terminals that cannot stop (tests' scripted ones) carry on.
  public func suspend() {}
}
