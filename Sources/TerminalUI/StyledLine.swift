/// A line of text made of styled spans, ready to be drawn into a buffer.
public struct StyledLine: Sendable, Equatable {
  public struct Span: Sendable, Equatable {
    /// Always terminal-safe: text from outside enters a line only through `init`, which shows controls
    /// and bidirectional overrides visibly (`TerminalSafe`), so widths are measured on what is drawn.
    public private(set) var text: String
    public var role: StyleRole

    public init(_ text: String, _ role: StyleRole = .normal) {
      self.text = TerminalSafe.visible(text)
      self.role = role
    }

    /// Text already made visible is not checked again.
    public init(_ text: VisibleText, _ role: StyleRole = .normal) {
      self.text = text.string
      self.role = role
    }
  }

  public var spans: [Span]
  /// An id the line links to (an RFC number, say), for selection and mouse hits.
  public var link: Int?

  public init(_ spans: [Span] = [], link: Int? = nil) {
    self.spans = spans
    self.link = link
  }

  public init(_ text: String, _ role: StyleRole = .normal, link: Int? = nil) {
    self.init([Span(text, role)], link: link)
  }

  public static let blank = StyledLine()

  public var text: String { spans.map(\.text).joined() }

  /// The line cut to `width` columns, ending in "…" when something was cut (so a reader knows).
  public func truncated(to width: Int) -> StyledLine {
    guard DisplayWidth.of(text) > width else { return self }
    var result = StyledLine(link: link)
    var room = width
    for span in spans {
      let spanWidth = DisplayWidth.of(span.text)
      if spanWidth < room || (spanWidth == room && span == spans.last) {
        result.spans.append(span)
        room -= spanWidth
        continue
      }
      // Something follows that does not fit: this span ends the line with the ellipsis.
      if room > 0 {
        let (head, _) = TextWrapper.split(Substring(span.text), atWidth: room - 1)
        result.spans.append(Span(String(head) + "…", span.role))
      }
      break
    }
    return result
  }

  /// `prefix` followed by `text` wrapped to `width`; continuation lines are indented to line up under
  /// the text (or by `indent` when given). Every resulting line carries `link`.
  public static func wrapped(
    prefix: [Span] = [], _ text: String, role: StyleRole = .normal, width: Int, indent: Int? = nil,
    link: Int? = nil
  ) -> [StyledLine] {
    let prefixWidth = prefix.reduce(0) { $0 + DisplayWidth.of($1.text) }
    let hanging = indent ?? prefixWidth
    // Wrapped as drawn: an escape takes the columns of its visible form.
    let first = TextWrapper.wrap(TerminalSafe.visible(text), width: max(1, width - prefixWidth))
    guard let head = first.first else { return [StyledLine(prefix, link: link)] }
    var lines = [StyledLine(prefix + [Span(head, role)], link: link)]
    let margin = Span(String(repeating: " ", count: hanging))
    // Continuation lines are as wide as the first unless the indent differs from the prefix; only then
    // is the rest wrapped a second time.
    let rest =
      hanging == prefixWidth
      ? Array(first.dropFirst())
      : first.count > 1
        ? TextWrapper.wrap(first.dropFirst().joined(separator: " "), width: max(1, width - hanging)) : []
    for line in rest { lines.append(StyledLine([margin, Span(line, role)], link: link)) }
    return lines
  }
}

extension ScreenBuffer {
  /// Draws a styled line at (x, y), clipped to `clip`.
  @discardableResult
  public mutating func put(_ line: StyledLine, x: Int, y: Int, reversed: Bool = false, clip: Rect) -> Int {
    var column = x
    for span in line.spans {
      column = put(span.text, x: column, y: y, role: span.role, reversed: reversed, clip: clip)
    }
    return column
  }
}

/// Lines of command output are written like strings — `"  TXT: \(record)"`, `style.bold(name) + " ok"` —
/// while styles stay out of band as spans: no escape sequence is ever mixed into the text, so nothing
/// from outside can forge one, and every interpolated value passes through `Span.init`.
extension StyledLine: ExpressibleByStringInterpolation {
  public struct StringInterpolation: StringInterpolationProtocol {
    var spans: [Span] = []

    public init(literalCapacity: Int, interpolationCount: Int) {}

    public mutating func appendLiteral(_ literal: String) {
      if !literal.isEmpty { spans.append(Span(literal)) }
    }

    /// A styled line keeps its spans.
    public mutating func appendInterpolation(_ line: StyledLine) { spans += line.spans }

    public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
      appendLiteral(value.description)
    }
  }

  public init(stringLiteral value: String) { self.init(value) }

  public init(stringInterpolation: StringInterpolation) { self.init(stringInterpolation.spans) }

  public static func + (lhs: StyledLine, rhs: StyledLine) -> StyledLine {
    StyledLine(lhs.spans + rhs.spans, link: lhs.link ?? rhs.link)
  }

  public static func + (lhs: StyledLine, rhs: String) -> StyledLine { lhs + StyledLine(rhs) }

  public static func + (lhs: String, rhs: StyledLine) -> StyledLine { StyledLine(lhs) + rhs }

  public static func += (lhs: inout StyledLine, rhs: StyledLine) { lhs = lhs + rhs }

  public static func += (lhs: inout StyledLine, rhs: String) { lhs = lhs + rhs }

  /// The line without trailing spaces (spans that end up empty are dropped).
  public func trimmingTrailingSpaces() -> StyledLine {
    var copy = self
    while let last = copy.spans.last {
      var text = Substring(last.text)
      while text.last == " " { text.removeLast() }
      if text.isEmpty {
        copy.spans.removeLast()
        continue
      }
      copy.spans[copy.spans.count - 1] = Span(String(text), last.role)
      break
    }
    return copy
  }
}

extension Sequence where Element == StyledLine {
  /// The lines joined into one, `separator` between them (unstyled).
  public func joined(separator: String) -> StyledLine {
    var result = StyledLine()
    for (i, line) in enumerated() {
      if i > 0 && !separator.isEmpty { result.spans.append(StyledLine.Span(separator)) }
      result.spans += line.spans
    }
    return result
  }
}

extension StyledLine: CustomStringConvertible {
  /// The plain text: a styled line that ends up in a `String` loses its styles, not its words.
  public var description: String { text }
}
