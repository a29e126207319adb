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
}
