import CNcursesw
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

/// The only code that talks to ncurses: draws a `ScreenBuffer`, reads keys, mouse and resizes. All of it
/// runs on one thread, as ncurses requires.
public final class CursesTerminal: TerminalBackend {
  public enum StartError: Error, CustomStringConvertible {
    case cannotInitialize
    public var description: String { "cannot initialise the terminal (is TERM set to a known terminal?)" }
  }

  private let window: UnsafeMutablePointer<WINDOW>
  private let theme: CursesTheme
  private var ended = false
  private var hungUp = false
  public let glyphsSupported: Bool

  /// Takes over the terminal. `color` is the user's wish; it is honoured only if the terminal has colour.
  public init(color: Bool, unicode: Bool) throws(StartError) {
    setlocale(LC_ALL, "")
    mf_install_signal_handlers()
    // newterm rather than initscr: initscr exits the process when TERM is unknown.
    guard let screen = mf_new_terminal() else { throw .cannotInitialize }
    _ = set_term(screen)
    guard let window = stdscr_window() else { throw .cannotInitialize }
    self.window = window
    // raw rather than cbreak: Ctrl-C arrives as a key and quits like q (a SIGINT from elsewhere is
    // still handled, through the signal flag).
    raw()
    noecho()
    nonl()
    keypad(window, true)
    mf_define_extra_keys()
    curs_set(0)
    set_escdelay(25)
    mousemask(mf_mouse_mask(), nil)
    mouseinterval(0)
    let colors = color && has_colors()
    if colors {
      start_color()
      CursesTheme.installPairs()
    }
    theme = CursesTheme(colors: colors)
    glyphsSupported = unicode
  }

  deinit { end() }

  /// Gives the terminal back: leaves curses mode so the shell is usable again. Safe to call twice.
  public func end() {
    guard !ended else { return }
    ended = true
    endwin()
  }

  public func suspend() {
    mf_suspend()
  }

  public var size: (width: Int, height: Int) {
    (Int(getmaxx(window)), Int(getmaxy(window)))
  }

  public func draw(_ buffer: ScreenBuffer) {
    let (width, height) = size
    for y in 0..<min(height, buffer.height) {
      for x in 0..<min(width, buffer.width) {
        let cell = buffer[x, y]
        if cell.isContinuation { continue }
        let (attributes, pair) = theme.attributes(for: cell)
        _ = mf_put_cell(
          window, Int32(y), Int32(x), wchar_t(bitPattern: cell.character.value), attributes, pair)
      }
    }
    wnoutrefresh(window)
    doupdate()
  }

  public func nextEvent(timeoutMilliseconds: Int) -> KeyEvent? {
    wtimeout(window, Int32(timeoutMilliseconds))
    var character: wint_t = 0
    let result = wget_wch(window, &character)
    if result == ERR {
      if mf_terminal_hung_up() != 0 { hungUp = true }
      return nil
    }
    if result == mf_key_code_yes() { return functionKey(Int32(character)) }
    return characterKey(UInt32(character))
  }

  /// SIGINT, SIGTERM or SIGHUP received since the last call, if any; a terminal that has gone away
  /// counts as SIGHUP, so a closed window never leaves the explorer polling a dead terminal.
  public func takePendingSignal() -> Int32? {
    let number = mf_take_pending_signal()
    if number != 0 { return number }
    return hungUp ? SIGHUP : nil
  }

  private func characterKey(_ value: UInt32) -> KeyEvent? {
    switch value {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    case 1...26: return Unicode.Scalar(value + 96).map { .control(Character($0)) }
    case 0, 28...31, 0x80...0x9F: return nil  // other control characters are not keys we use
    default: return Unicode.Scalar(value).map { .character(Character($0)) }
    }
  }

  private func functionKey(_ code: Int32) -> KeyEvent? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_BTAB: return .backTab
    case KEY_ENTER: return .enter
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_RESIZE:
      let (width, height) = size
      return .resize(width: width, height: height)
    case KEY_MOUSE:
      var event = MEVENT()
      guard getmouse(&event) == OK else { return nil }
      let x = Int(event.x)
      let y = Int(event.y)
      if mf_mouse_is_wheel_up(event.bstate) != 0 { return .mouse(MouseEvent(.wheelUp, x: x, y: y)) }
      if mf_mouse_is_wheel_down(event.bstate) != 0 { return .mouse(MouseEvent(.wheelDown, x: x, y: y)) }
      if mf_mouse_is_click(event.bstate) != 0 { return .mouse(MouseEvent(.click, x: x, y: y)) }
      return nil
    case KEY_F0...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
    default: return nil
    }
  }
}
