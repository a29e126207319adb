/// A line of text made of styled spans, ready to be drawn into a buffer.
public struct StyledLine: Sendable, Equatable {
  public struct Span: Sendable, Equatable {
    public var text: String
    public var role: StyleRole

    public init(_ text: String, _ role: StyleRole = .normal) {
      self.text = text
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
    let first = TextWrapper.wrap(text, width: max(1, width - prefixWidth))
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
