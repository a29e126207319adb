import CNcursesw
import TerminalUI

/// Maps style roles to curses attributes: colours by meaning when the terminal has colour and the user
/// wants it, bold/underline/dim otherwise (NO_COLOR, monochrome terminals).
struct CursesTheme {
  let colors: Bool

  private enum Pair: Int16 {
    case green = 1, yellow, red, cyan, magenta, blue, alarm
  }

  /// Sets up the colour pairs; call after `start_color`.
  static func installPairs() {
    use_default_colors()
    init_pair(Pair.green.rawValue, Int16(COLOR_GREEN), -1)
    init_pair(Pair.yellow.rawValue, Int16(COLOR_YELLOW), -1)
    init_pair(Pair.red.rawValue, Int16(COLOR_RED), -1)
    init_pair(Pair.cyan.rawValue, Int16(COLOR_CYAN), -1)
    init_pair(Pair.magenta.rawValue, Int16(COLOR_MAGENTA), -1)
    init_pair(Pair.blue.rawValue, Int16(COLOR_BLUE), -1)
    // `broken` is an outage, not a shade of red: white on red, unlike any other role.
    init_pair(Pair.alarm.rawValue, Int16(COLOR_WHITE), Int16(COLOR_RED))
  }

  func attributes(for cell: Cell) -> (attr_t, Int16) {
    var (attributes, pair) = colors ? colored(cell.role) : monochrome(cell.role)
    if cell.reversed { attributes |= mf_attr_reverse() }
    return (attributes, pair)
  }

  /// From the one table of how roles look (which the README's screenshots use too).
  private func colored(_ role: StyleRole) -> (attr_t, Int16) {
    let appearance = RoleAppearance.of(role)
    var attributes: attr_t = 0
    if appearance.bold { attributes |= mf_attr_bold() }
    if appearance.dim { attributes |= mf_attr_dim() }
    if appearance.underline { attributes |= mf_attr_underline() }
    if appearance.reverse { attributes |= mf_attr_reverse() }
    if appearance.alarm { return (attributes, Pair.alarm.rawValue) }
    let pair: Pair? =
      switch appearance.foreground {
      case .green: .green
      case .yellow: .yellow
      case .red: .red
      case .cyan: .cyan
      case .magenta: .magenta
      case .blue: .blue
      case nil: nil
      }
    return (attributes, pair?.rawValue ?? 0)
  }

  /// Without colour, ratings must still be told apart: ✔ bold, ✘ underlined, ✘✘ bold and underlined,
  /// ⊘ (broken) bold in reverse video.
  private func monochrome(_ role: StyleRole) -> (attr_t, Int16) {
    let bold = mf_attr_bold()
    let underline = mf_attr_underline()
    switch role {
    case .normal, .server, .border, .client, .pending: return (0, 0)
    case .header, .title, .emphasis, .borderFocused, .keyHint, .ratingSecure, .tlsMarker: return (bold, 0)
    case .ratingWeak, .link: return (underline, 0)
    case .ratingInsecure, .attacker, .warning: return (bold | underline, 0)
    case .ratingBroken: return (bold | mf_attr_reverse(), 0)
    case .internal, .muted, .note: return (mf_attr_dim(), 0)
    case .selected: return (mf_attr_reverse(), 0)
    }
  }
}
