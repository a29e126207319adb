/// A plain grid of cells that views draw into. Nothing here touches a terminal: the backend copies a
/// finished buffer to the screen, and tests compare buffers as text.
public struct ScreenBuffer: Sendable, Equatable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set { cells[y * width + x] = newValue }
  }

  /// Writes `text` from (x, y), clipped to `clip` (the whole buffer by default). Returns the column after
  /// the last character written. A wide character that does not fit whole is not drawn; controls and
  /// bidirectional overrides are drawn as visible escapes (`TerminalSafe`), never as themselves.
  @discardableResult
  public mutating func put(
    _ text: some StringProtocol, x: Int, y: Int, role: StyleRole = .normal, reversed: Bool = false,
    clip: Rect? = nil
  ) -> Int {
    let area = clip ?? bounds
    guard y >= area.y, y < area.maxY, y >= 0, y < height else { return x }
    let right = min(area.maxX, width)
    var column = x
    let printableASCII = PrintableASCII.check(text)
    if !printableASCII && text.unicodeScalars.contains(where: TerminalSafe.isUnsafe) {
      // Drawn as visible escapes; the escaped text holds nothing unsafe, so this recurses once.
      return put(TerminalSafe.visible(text), x: x, y: y, role: role, reversed: reversed, clip: clip)
    }
    if printableASCII {
      // Printable ASCII: one cell per byte, without grapheme breaking (the common, hot case).
      let left = max(area.x, 0)
      for byte in text.utf8 {
        if column >= right { break }
        if column >= left {
          cells[y * width + column] = Cell(Unicode.Scalar(byte), role: role, reversed: reversed)
        }
        column += 1
      }
      return column
    }
    for scalar in text.unicodeScalars {
      let w = DisplayWidth.of(scalar)
      if w == 0 { continue }
      if column + w > right { break }
      if column >= max(area.x, 0) {
        self[column, y] = Cell(scalar, role: role, reversed: reversed)
        if w == 2 {
          var continuation = Cell(" ", role: role, reversed: reversed)
          continuation.isContinuation = true
          self[column + 1, y] = continuation
        }
      }
      column += w
    }
    return column
  }

  public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
    let (rows, columns) = visible(rect)
    for y in rows { for x in columns { self[x, y] = cell } }
  }

  /// Turns reverse video on for every cell of `rect` (a selected row), keeping characters and roles.
  public mutating func reverse(_ rect: Rect) {
    let (rows, columns) = visible(rect)
    for y in rows { for x in columns { self[x, y].reversed = true } }
  }

  /// Gives every cell of `rect` another role, keeping characters (a search match among others).
  public mutating func restyle(_ rect: Rect, role: StyleRole) {
    let (rows, columns) = visible(rect)
    for y in rows { for x in columns { self[x, y].role = role } }
  }

  /// The rows and columns of `rect` inside the buffer (empty ranges when it lies outside).
  private func visible(_ rect: Rect) -> (Range<Int>, Range<Int>) {
    let top = max(0, rect.y)
    let left = max(0, rect.x)
    return (top..<max(top, min(height, rect.maxY)), left..<max(left, min(width, rect.maxX)))
  }

  /// A border around `rect` with an optional title in its top edge.
  public mutating func box(_ rect: Rect, title: String? = nil, role: StyleRole, glyphs: Glyphs) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let line = String(repeating: glyphs.horizontal, count: rect.width - 2)
    put(String(glyphs.topLeft) + line + String(glyphs.topRight), x: rect.x, y: rect.y, role: role)
    put(
      String(glyphs.bottomLeft) + line + String(glyphs.bottomRight), x: rect.x, y: rect.maxY - 1, role: role)
    for y in rect.y + 1..<rect.maxY - 1 {
      put(String(glyphs.vertical), x: rect.x, y: y, role: role)
      put(String(glyphs.vertical), x: rect.maxX - 1, y: y, role: role)
    }
    if let title, rect.width > 6 {
      let fitted = TextWrapper.truncate(TerminalSafe.visible(title), width: rect.width - 4)
      put(" \(fitted) ", x: rect.x + 1, y: rect.y, role: role == .borderFocused ? .borderFocused : .title)
    }
  }

  /// The buffer's text, one string per row, trailing spaces removed: the form of text snapshots.
  public var lines: [String] {
    (0..<height).map { y in
      var scalars = String.UnicodeScalarView()
      for x in 0..<width where !self[x, y].isContinuation { scalars.append(self[x, y].character) }
      var line = String(scalars)
      while line.last == " " { line.removeLast() }
      return line
    }
  }

  /// One code character per cell (`StyleRole.code`; upper case when reversed, `#` for reversed
  /// normal cells): the style snapshot that goes with `lines`.
  public var styleLines: [String] {
    (0..<height).map { y in
      var line = ""
      for x in 0..<width {
        let cell = self[x, y]
        let code = cell.role.code
        line.append(cell.reversed ? (code == "." ? "#" : Character(code.uppercased())) : code)
      }
      return line
    }
  }

  /// Text and style snapshots together, as stored in snapshot files.
  public var snapshot: String {
    lines.joined(separator: "\n") + "\n---- styles ----\n" + styleLines.joined(separator: "\n") + "\n"
  }
}
