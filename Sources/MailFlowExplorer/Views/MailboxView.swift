import MailFlowModel
import MailFlowTrace
import TerminalUI

/// The mailbox list over the whole screen (the footer stays): what has been read so far, the ratings of
/// the relay hops as a bar, then the sending domains — or one domain's messages — with the selected row
/// kept in view.
enum MailboxOverlay {
  /// Lines above the rows: the totals, the bar, the order and filter, the column heads.
  static let headerLines = 4

  static func render(_ state: ExplorerState, into frame: inout ExplorerFrame) {
    guard let browser = state.mailbox else { return }
    let rect = Rect(x: 0, y: 0, width: state.width, height: max(3, state.height - 1))
    let title =
      browser.domain.map { "Mailbox · \($0) · Esc back" }
      ?? "Mailbox · \(FileName.last(browser.path)) · Esc closes"
    frame.buffer.fill(rect)
    frame.buffer.box(rect, title: title, role: .borderFocused, glyphs: state.glyphs)
    frame.hits.append((rect, .overlay))
    let inner = rect.inner
    var y = inner.y
    let summary = browser.summary
    let skipped = summary.skipped.values.reduce(0, +)
    let status =
      browser.loading
      ? "\(spinner(state)) reading… \(summary.messagesRead) messages so far"
      : "\(summary.messagesRead) messages traced, \(skipped) skipped"
        + (browser.failure.map { " · stopped: \($0)" } ?? "")
    let tenths = Int((summary.encryptedShare * 10).rounded())
    frame.buffer.put(
      status
        + " · every network hop encrypted: \(summary.encryptedEveryHop) (\(tenths / 10).\(tenths % 10) %)",
      x: inner.x + 1, y: y, role: browser.failure == nil ? .emphasis : .warning, clip: inner)
    y += 1
    bar(
      summary.ratingsByStep["relay"] ?? [:], state: state, x: inner.x + 1, y: y, width: inner.width - 2,
      into: &frame.buffer)
    y += 1
    let order =
      "order: \(browser.sort.rawValue) (s)"
      + (browser.filter.map { " · only rows with '\($0)' (Esc: all)" } ?? "")
    frame.buffer.put(order, x: inner.x + 1, y: y, role: .muted, clip: inner)
    y += 1
    let head =
      browser.domain == nil
      ? "   " + TextWrapper.pad("worst", to: markWidth)
        + columns(["messages", "cleartext"], "sending domain")
      : "   " + TextWrapper.pad("weakest", to: markWidth) + columns(["date", "cleartext hops"], "message")
    frame.buffer.put(head, x: inner.x + 1, y: y, role: .header, clip: inner)
    y += 1
    let visible = max(1, inner.maxY - y)
    let count = browser.rowCount
    let first = max(0, min(browser.selected - visible / 2, count - visible))
    for row in first..<min(count, first + visible) {
      let selected = row == browser.selected
      let (rating, text) = line(browser, row: row, state: state)
      let x = frame.buffer.put(selected ? " ▸ " : "   ", x: inner.x + 1, y: y, role: .selected, clip: inner)
      let after = frame.buffer.put(
        TextWrapper.pad(rating.symbol(ascii: state.ascii), to: markWidth), x: x, y: y,
        role: RatingStyle.role(rating), reversed: selected, clip: inner)
      frame.buffer.put(
        text, x: after, y: y, role: selected ? .selected : .normal, reversed: selected, clip: inner)
      y += 1
    }
    if count == 0 {
      frame.buffer.put(
        browser.loading ? "nothing yet…" : "no rows", x: inner.x + 4, y: y, role: .muted, clip: inner)
    }
    frame.viewport.overlay = ExplorerViewport.Text(total: count, visible: visible)
  }

  /// The same spinner as a probe's, turning with the clock.
  static func spinner(_ state: ExplorerState) -> String {
    let frames = state.glyphs.spinner
    let tick = Int(
      state.now.components.seconds * 10 + state.now.components.attoseconds / 100_000_000_000_000_000)
    return frames.isEmpty ? "" : String(frames[tick % frames.count])
  }

  /// The rating mark's column, wide enough for its heading.
  static let markWidth = 9
  /// The other columns' widths: a count or date, then a count, then the rest.
  static let columnWidths = [12, 16]

  /// Cells padded to their columns, then the last one as it is.
  static func columns(_ cells: [String], _ last: String) -> String {
    zip(cells, columnWidths).map { TextWrapper.pad($0, to: $1) }.joined() + last
  }

  /// The text of one row after its rating mark.
  static func line(_ browser: MailboxBrowser, row: Int, state: ExplorerState) -> (Rating, String) {
    if browser.domain == nil {
      let domain = browser.domainRows[row]
      return (domain.worst, columns([String(domain.messages), "\(domain.cleartextShare) %"], domain.domain))
    }
    let entry = browser.messageRows[row]
    let place = entry.offset.map { "\(FileName.last(entry.file))@\($0)" } ?? FileName.last(entry.file)
    return (
      entry.weakest,
      columns([String(entry.date?.prefix(10) ?? "?"), String(entry.cleartextHops)], entry.messageId ?? place)
    )
  }

  /// The relay hops' ratings as one bar: each rating's share of the width, in its colour.
  static func bar(
    _ counts: [String: Int], state: ExplorerState, x: Int, y: Int, width: Int, into buffer: inout ScreenBuffer
  ) {
    let ratings: [Rating] = [.secure, .weak, .insecure, .unknown]
    let total = ratings.reduce(0) { $0 + (counts[$1.rawValue] ?? 0) }
    var column = buffer.put("relay hops ", x: x, y: y, role: .muted)
    guard total > 0 else { return }
    let room = max(10, width - 40)
    for rating in ratings {
      let count = counts[rating.rawValue] ?? 0
      guard count > 0 else { continue }
      let cells = max(1, count * room / total)
      column = buffer.put(
        String(repeating: state.ascii ? "#" : "█", count: cells), x: column, y: y,
        role: RatingStyle.role(rating))
    }
    let legend = ratings.compactMap { rating -> String? in
      counts[rating.rawValue].map { "\(rating.symbol(ascii: state.ascii)) \($0)" }
    }.joined(separator: "  ")
    buffer.put(" " + legend, x: column, y: y, role: .muted)
  }
}

/// The last part of a path, for titles and rows.
enum FileName {
  static func last(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
