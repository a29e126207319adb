import MailFlowExplorer
import MailFlowModel
import TerminalUI

/// How command output looks on this terminal: glyphs or ASCII, colour or not. Decided once from the
/// environment by `detect`, a pure function so every combination is testable.
public struct OutputStyle: Sendable, Equatable {
  public enum ColorChoice: String, Sendable, CaseIterable {
    case auto, always, never
  }

  public var ascii: Bool
  public var color: Bool

  public init(ascii: Bool, color: Bool) {
    self.ascii = ascii
    self.color = color
  }

  public static let plain = OutputStyle(ascii: false, color: false)

  /// - Parameters:
  ///   - codeset: the locale's character set (`nl_langinfo(CODESET)`), e.g. `UTF-8` or `ANSI_X3.4-1968`.
  public static func detect(
    asciiFlag: Bool, colorChoice: ColorChoice, environment: [String: String], isTerminal: Bool,
    codeset: String
  ) -> OutputStyle {
    let normalized = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
    let utf8 = normalized == "utf8"
    let color: Bool
    switch colorChoice {
    case .always: color = true
    case .never: color = false
    case .auto:
      // https://no-color.org: any non-empty NO_COLOR disables colour; so does a dumb terminal.
      color = isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
    return OutputStyle(ascii: asciiFlag || !utf8, color: color)
  }

  public func symbol(_ rating: Rating) -> String { rating.symbol(ascii: ascii) }

  /// The rating's symbol padded to the width of the widest one, so option lists line up.
  public func paddedSymbol(_ rating: Rating) -> String {
    let symbol = symbol(rating)
    return symbol + String(repeating: " ", count: max(0, 2 - symbol.count))
  }

  /// `text` in the colour of `rating`.
  public func paint(_ text: String, _ rating: Rating) -> StyledLine {
    StyledLine(text, RatingStyle.role(rating))
  }

  public func paint(_ text: VisibleText, _ rating: Rating) -> StyledLine {
    StyledLine([StyledLine.Span(text, RatingStyle.role(rating))])
  }

  public func bold(_ text: String) -> StyledLine { StyledLine(text, .emphasis) }

  public func dim(_ text: String) -> StyledLine { StyledLine(text, .muted) }

  /// A horizontal rule for table headers.
  public func rule(_ width: Int) -> String {
    String(repeating: ascii ? "-" : "─", count: width)
  }

  /// Finished text for this terminal: in ASCII mode every remaining non-ASCII character (`…`, `→`,
  /// `➔`) gets a plain stand-in, so nothing shows up as a blank or as garbage.
  public func finish(_ text: String) -> String {
    ascii ? ASCIIFallback.string(text) : text
  }

  /// `text` exactly as `render` will print it (visible escapes, ASCII stand-ins): what column widths
  /// are measured on.
  public func shown(_ text: String) -> String { finish(TerminalSafe.visible(text)) }

  /// `shown`, measured: a table cell.
  public func cell(_ text: String) -> VisibleText { VisibleText(text, ascii: ascii) }

  /// The one place command output becomes terminal text: each span is already terminal-safe (see
  /// `StyledLine.Span`), gets its ASCII stand-ins, and its colour as an SGR sequence of our own when
  /// colour is on. One line per element, each ending in a newline.
  public func render(_ lines: [StyledLine]) -> String {
    String(decoding: renderedBytes(lines), as: UTF8.self)
  }

  /// `render` as the bytes to write: a long trace is written in chunks of 500 lines, and making each a
  /// string checked its 100 KB again.
  public func renderedBytes(_ lines: [StyledLine]) -> [UInt8] {
    // Gathered as bytes, sized once: a chunk of a long trace is 500 lines of three spans, and appending
    // each to a string cost more than making them.
    var out: [UInt8] = []
    out.reserveCapacity(
      lines.reduce(0) { $0 + $1.spans.reduce(1) { $0 + $1.text.utf8.count + (color ? 16 : 0) } })
    for line in lines {
      for span in line.spans {
        let text = finish(span.text)
        if color, let code = Self.sgr(span.role) {
          out.append(contentsOf: "\u{1B}[\(code)m".utf8)
          out.append(contentsOf: text.utf8)
          out.append(contentsOf: "\u{1B}[0m".utf8)
        } else {
          out.append(contentsOf: text.utf8)
        }
      }
      out.append(0x0A)
    }
    return out
  }

  /// The terminal attributes of a role in command output; `nil` for plain text.
  static func sgr(_ role: StyleRole) -> String? {
    switch role {
    case .ratingSecure: "32"
    case .ratingWeak: "33"
    case .ratingInsecure: "1;31"
    case .ratingBroken: "1;37;41"
    case .internal, .muted: "2"
    case .pending: "35"
    case .emphasis, .header, .title: "1"
    default: nil
    }
  }

  /// The knowledge ratings with their symbols, one line, for the foot of a table.
  public func legend() -> StyledLine {
    Rating.knowledgeRatings.map { paint(symbol($0), $0) + " " + $0.label }.joined(separator: "   ")
  }
}
