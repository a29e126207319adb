/// What a cell means, not how it looks: views emit roles, and one theme per terminal maps them to
/// colours or, without colour, to bold/underline/reverse.
public enum StyleRole: Character, Sendable, CaseIterable {
  case normal = "."
  case header = "h"
  case title = "t"
  case border = "b"
  case borderFocused = "f"
  case ratingSecure = "g"
  case ratingWeak = "y"
  case ratingInsecure = "r"
  case ratingBroken = "x"
  case `internal` = "i"
  case pending = "p"
  case muted = "m"
  case selected = "s"
  case client = "c"
  case server = "v"
  case tlsMarker = "l"
  case attacker = "a"
  case note = "n"
  case link = "u"
  case keyHint = "k"
  case warning = "w"
  case emphasis = "e"

  /// The single character used for this role in style snapshots.
  public var code: Character { rawValue }
}
