import MailFlowModel
import TerminalUI

/// What the mailbox and scan lists share: a window over the whole screen (the footer stays), bars of
/// ratings, and rows drawn around the selected one.
enum ListOverlay {
  /// Draws the window; returns the area inside it.
  static func window(_ state: ExplorerState, title: String, into frame: inout ExplorerFrame) -> Rect {
    let rect = Rect(x: 0, y: 0, width: state.width, height: max(3, state.height - 1))
    frame.buffer.fill(rect)
    frame.buffer.box(rect, title: title, role: .borderFocused, glyphs: state.glyphs)
    frame.hits.append((rect, .overlay))
    return rect.inner
  }

  /// Rows from `y` to the bottom of `inner`, the selected one in view, each drawn by `draw(row, y,
  /// selected)`; tells the viewport how many fit (for paging).
  static func rows(
    count: Int, selected: Int, from y: Int, in inner: Rect, into frame: inout ExplorerFrame,
    draw: (Int, Int, Bool, inout ScreenBuffer) -> Void
  ) {
    let visible = max(1, inner.maxY - y)
    let first = max(0, min(selected - visible / 2, count - visible))
    var line = y
    for row in first..<min(count, first + visible) {
      draw(row, line, row == selected, &frame.buffer)
      line += 1
    }
    frame.viewport.overlay = ExplorerViewport.Text(total: count, visible: visible)
  }

  /// One bar: each rating's share of the width, in its colour, then the counts.
  static func bar(
    _ label: String, _ counts: [Rating: Int], state: ExplorerState, x: Int, y: Int, width: Int,
    into buffer: inout ScreenBuffer
  ) {
    let ratings: [Rating] = [.secure, .weak, .insecure, .broken, .none, .internal, .unknown]
    let total = ratings.reduce(0) { $0 + (counts[$1] ?? 0) }
    var column = buffer.put(TextWrapper.pad(label, to: 12), x: x, y: y, role: .muted)
    guard total > 0 else { return }
    let room = max(10, width - 52)
    for rating in ratings {
      guard let count = counts[rating], count > 0 else { continue }
      column = buffer.put(
        String(repeating: state.ascii ? "#" : "█", count: max(1, count * room / total)), x: column, y: y,
        role: RatingStyle.role(rating))
    }
    let legend = ratings.compactMap { rating in
      counts[rating].map { "\(rating.symbol(ascii: state.ascii)) \($0)" }
    }
    buffer.put(" " + legend.joined(separator: "  "), x: column, y: y, role: .muted)
  }

  /// The spinner of a list that is still loading, turning with the clock.
  static func spinner(_ state: ExplorerState) -> String {
    let frames = state.glyphs.spinner
    let tick = Int(
      state.now.components.seconds * 10 + state.now.components.attoseconds / 100_000_000_000_000_000)
    return frames.isEmpty ? "" : String(frames[tick % frames.count])
  }
}
