import TerminalUI

/// The border and title of a pane, highlighted when the pane has focus.
enum PaneChrome {
  static func draw(
    _ rect: Rect, title: String, focused: Bool, into buffer: inout ScreenBuffer, glyphs: Glyphs
  ) {
    buffer.box(rect, title: title, role: focused ? .borderFocused : .border, glyphs: glyphs)
  }

  /// A scroll position indicator in the bottom-right border, e.g. ` 12-20/45 `.
  static func drawScrollIndicator(
    _ rect: Rect, first: Int, visible: Int, total: Int, into buffer: inout ScreenBuffer
  ) {
    guard total > visible, rect.width > 16 else { return }
    let text = " \(first + 1)-\(min(total, first + visible))/\(total) "
    buffer.put(text, x: rect.maxX - 2 - DisplayWidth.of(text), y: rect.maxY - 1, role: .muted)
  }

  /// Text width of each column inside a boxed pane: a column of padding each side, three between
  /// columns (a rule in the middle).
  static func textWidth(_ rect: Rect, columns: Int = 1) -> Int {
    max(10, (rect.width - 4 - 3 * (columns - 1)) / max(1, columns))
  }

  /// Draws the lines of a scrolled text that fit inside a boxed `rect` — in `columns` columns read
  /// down then across, like a newspaper — from the requested scroll kept within the text, with the
  /// scroll indicator. Returns what was laid out (for the viewport) and where each drawn line went.
  @discardableResult
  static func drawScrolled(
    _ content: [StyledLine], scroll requested: Int, in rect: Rect, columns: Int = 1, glyphs: Glyphs,
    into buffer: inout ScreenBuffer
  ) -> (text: ExplorerViewport.Text, placed: [(line: Int, rect: Rect)]) {
    let inner = rect.inner
    let columns = max(1, columns)
    let width = textWidth(rect, columns: columns)
    let text = ExplorerViewport.Text(total: content.count, visible: inner.height * columns)
    let scroll = text.clamped(requested)
    var placed: [(line: Int, rect: Rect)] = []
    // When the rest of the text fits, the columns share it evenly instead of the first taking it all.
    let rest = content.count - scroll
    let rows = rest < text.visible ? max(1, (rest + columns - 1) / columns) : inner.height
    for column in 0..<columns {
      let x = inner.x + 1 + column * (width + 3)
      if column > 0 {
        for row in 0..<inner.height {
          buffer.put(String(glyphs.vertical), x: x - 2, y: inner.y + row, role: .border, clip: inner)
        }
      }
      let area = Rect(
        x: x, y: inner.y, width: column == columns - 1 ? inner.maxX - x : width, height: inner.height)
      for row in 0..<rows {
        let line = scroll + column * rows + row
        guard line < content.count else { break }
        buffer.put(content[line], x: x, y: area.y + row, clip: area)
        placed.append((line, Rect(x: x - 1, y: area.y + row, width: width + 2, height: 1)))
      }
    }
    drawScrollIndicator(rect, first: scroll, visible: text.visible, total: content.count, into: &buffer)
    return (text, placed)
  }

  /// With a search shown in this pane: each occurrence of the word in the drawn lines in reverse video,
  /// and the lines that match (for `n` and `N`). Nothing without one.
  static func highlight(
    _ state: ExplorerState, _ target: ExplorerState.Search.Target, in content: [StyledLine],
    placed: [(line: Int, rect: Rect)], into buffer: inout ScreenBuffer
  ) -> [Int] {
    guard let search = state.search, search.target == target, SearchFeature.applies(search, to: state) else {
      return []
    }
    // The current match in reverse video, the others in the warning colour (bold and underlined
    // without colour), so `n` visibly moves even between matches already on screen.
    for (line, rect) in placed {
      let characters = Array(content[line].text)
      for range in SearchFeature.occurrences(of: search.query, in: content[line].text) {
        let x = rect.x + 1 + DisplayWidth.of(String(characters[..<range.lowerBound]))
        let width = DisplayWidth.of(String(characters[range]))
        let cells = Rect(x: x, y: rect.y, width: max(0, min(width, rect.maxX - x)), height: 1)
        if line == search.current { buffer.reverse(cells) } else { buffer.restyle(cells, role: .warning) }
      }
    }
    return content.indices.filter { SearchFeature.contains(content[$0].text, search.query) }
  }
}
