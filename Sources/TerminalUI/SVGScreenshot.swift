/// A screen buffer as an SVG picture, in the colours `RoleAppearance` gives each role on a dark
/// terminal: the README's screenshots are drawn from the same buffers the snapshot tests check, never
/// by hand.
public enum SVGScreenshot {
  static let cellWidth = 8.4
  static let lineHeight = 17.0
  static let fontSize = 14.0
  static let background = "#1d1f21"
  static let text = "#d5d8d6"

  static func hex(_ colour: RoleAppearance.Colour) -> String {
    switch colour {
    case .green: "#8ccf6b"
    case .yellow: "#f0c674"
    case .red: "#e5534b"
    case .cyan: "#6cc5d9"
    case .magenta: "#c397d8"
    case .blue: "#81a2e8"
    }
  }

  public static func render(_ buffer: ScreenBuffer, title: String) -> String {
    let width = Double(buffer.width) * cellWidth + 16
    let height = Double(buffer.height) * lineHeight + 16
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(format(width))" height="\(format(height))" \
      viewBox="0 0 \(format(width)) \(format(height))" role="img" aria-label="\(escape(title))">
      <title>\(escape(title))</title>
      <rect width="100%" height="100%" rx="6" fill="\(background)"/>
      <g font-family="'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace" font-size="\(format(fontSize))" \
      xml:space="preserve">

      """
    for y in 0..<buffer.height {
      // Runs of cells that look alike, each drawn where its first column is.
      var x = 0
      while x < buffer.width {
        let first = buffer[x, y]
        var end = x + 1
        var characters = first.isContinuation ? "" : String(first.character)
        while end < buffer.width, buffer[end, y].role == first.role, buffer[end, y].reversed == first.reversed
        {
          if !buffer[end, y].isContinuation { characters.append(Character(buffer[end, y].character)) }
          end += 1
        }
        out += run(characters, x: x, columns: end - x, y: y, cell: first)
        x = end
      }
    }
    return out + "</g>\n</svg>\n"
  }

  static func run(_ characters: String, x: Int, columns: Int, y: Int, cell: Cell) -> String {
    let appearance = RoleAppearance.of(cell.role)
    var foreground = appearance.foreground.map(hex) ?? text
    var fill: String?
    if appearance.alarm {
      foreground = "#ffffff"
      fill = hex(.red)
    }
    if cell.reversed != appearance.reverse {
      fill = foreground
      foreground = background
    }
    let left = 8 + Double(x) * cellWidth
    let top = 8 + Double(y) * lineHeight
    var out = ""
    if let fill {
      out +=
        "<rect x=\"\(format(left))\" y=\"\(format(top))\" width=\"\(format(Double(columns) * cellWidth))\" "
        + "height=\"\(format(lineHeight))\" fill=\"\(fill)\"/>\n"
    }
    guard characters.contains(where: { $0 != " " }) else { return out }
    var attributes = "x=\"\(format(left))\" y=\"\(format(top + lineHeight - 4))\" fill=\"\(foreground)\""
    if appearance.bold { attributes += " font-weight=\"bold\"" }
    if appearance.dim { attributes += " opacity=\"0.6\"" }
    if appearance.underline { attributes += " text-decoration=\"underline\"" }
    return out + "<text \(attributes)>\(escape(characters))</text>\n"
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(character)
      }
    }
    return out
  }

  /// Numbers as the picture writes them: no trailing ".0", at most one decimal.
  static func format(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
  }
}
