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

  /// Draws the lines of a scrolled text that fit inside a boxed `rect`, from the requested scroll kept
  /// within the text, with the scroll indicator; returns what was laid out, for the viewport.
  @discardableResult
  static func drawScrolled(
    _ content: [StyledLine], scroll requested: Int, in rect: Rect, into buffer: inout ScreenBuffer
  ) -> ExplorerViewport.Text {
    let inner = rect.inner
    let text = ExplorerViewport.Text(total: content.count, visible: inner.height)
    let scroll = text.clamped(requested)
    for row in 0..<inner.height where scroll + row < content.count {
      buffer.put(content[scroll + row], x: inner.x + 1, y: inner.y + row, clip: inner)
    }
    drawScrollIndicator(rect, first: scroll, visible: inner.height, total: content.count, into: &buffer)
    return text
  }
}
