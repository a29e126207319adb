/// How a role looks on a colour terminal: one table for the ncurses theme and the README's pictures,
/// so a screenshot shows what the terminal shows.
public struct RoleAppearance: Sendable, Equatable {
  /// The eight-colour palette mailflow uses (on the terminal's own background).
  public enum Colour: Sendable, Equatable, CaseIterable {
    case green, yellow, red, cyan, magenta, blue
  }

  public var foreground: Colour?
  /// White on red: `broken` is an outage, not a shade of red.
  public var alarm = false
  public var bold = false
  public var dim = false
  public var underline = false
  public var reverse = false

  public static func of(_ role: StyleRole) -> RoleAppearance {
    switch role {
    case .normal, .server, .border: RoleAppearance()
    case .header, .title, .emphasis: RoleAppearance(bold: true)
    case .borderFocused, .keyHint: RoleAppearance(foreground: .cyan, bold: true)
    case .ratingSecure, .tlsMarker: RoleAppearance(foreground: .green, bold: true)
    case .ratingWeak, .warning: RoleAppearance(foreground: .yellow, bold: true)
    case .ratingInsecure, .attacker: RoleAppearance(foreground: .red, bold: true)
    case .ratingBroken: RoleAppearance(alarm: true, bold: true)
    case .internal, .muted, .note: RoleAppearance(dim: true)
    case .pending: RoleAppearance(foreground: .magenta)
    case .selected: RoleAppearance(reverse: true)
    case .client: RoleAppearance(foreground: .cyan)
    case .link: RoleAppearance(foreground: .blue, underline: true)
    }
  }
}
