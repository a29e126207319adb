/// Plain-ASCII stand-ins for the few non-ASCII characters mailflow's text uses, for terminals and
/// locales without UTF-8 (`--ascii`, `LANG=C`), where they would show as blanks or garbage.
public enum ASCIIFallback {
  /// One-column stand-ins, so a screen keeps its layout cell for cell.
  public static func scalar(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    if scalar.isASCII { return scalar }
    switch scalar {
    case "…": return "+"
    case "➔", "→", "►", "▶": return ">"
    case "←", "◄", "◀": return "<"
    case "↑": return "^"
    case "↓": return "v"
    case "·", "—", "–", "─", "━", "═": return "-"
    case "│", "┃": return "|"
    case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": return "+"
    case "•": return "*"
    case "░", "▒", "█": return "#"
    case "✔": return "v"
    case "✘": return "x"
    case "∅": return "0"
    case "×": return "x"
    default: return "?"
    }
  }

  /// Text for line-oriented output, where widths need not be kept: `…` becomes `...`, `→` `->`.
  public static func string(_ text: String) -> String {
    guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "…": out += "..."
      case "→", "➔": out += "->"
      case "←": out += "<-"
      case "—": out += "--"
      default: out.unicodeScalars.append(Self.scalar(scalar))
      }
    }
    return out
  }
}

extension ScreenBuffer {
  /// Replaces every non-ASCII character with its one-column ASCII stand-in.
  public mutating func transliterateToASCII() {
    for y in 0..<height {
      for x in 0..<width where !self[x, y].character.isASCII {
        self[x, y].character = ASCIIFallback.scalar(self[x, y].character)
      }
    }
  }
}
