import MailFlowModel
import MailFlowTrace
import TerminalUI

/// The mailbox list over the whole screen (the footer stays): what has been read so far, the ratings of
/// the relay hops as a bar, then the sending domains — or one domain's messages — with the selected row
/// kept in view.
enum MailboxOverlay {
  static func render(_ state: ExplorerState, into frame: inout ExplorerFrame) {
    guard let browser = state.mailbox else { return }
    let title =
      browser.domain.map { "Mailbox · \($0) · Esc back" }
      ?? "Mailbox · \(FileName.last(browser.path)) · Esc closes"
    let inner = ListOverlay.window(state, title: title, into: &frame)
    var y = inner.y
    let summary = browser.summary
    let skipped = summary.skipped.values.reduce(0, +)
    let status =
      browser.loading
      ? "\(ListOverlay.spinner(state)) reading… \(summary.messagesRead) messages so far"
      : "\(summary.messagesRead) messages traced, \(skipped) skipped"
        + (browser.failure.map { " · stopped: \($0)" } ?? "")
    let tenths = Int((summary.encryptedShare * 10).rounded())
    frame.buffer.put(
      status
        + " · every network hop encrypted: \(summary.encryptedEveryHop) (\(tenths / 10).\(tenths % 10) %)",
      x: inner.x + 1, y: y, role: browser.failure == nil ? .emphasis : .warning, clip: inner)
    y += 1
    var relay: [Rating: Int] = [:]
    for (name, count) in summary.ratingsByStep["relay"] ?? [:] {
      if let rating = Rating(rawValue: name) { relay[rating] = count }
    }
    ListOverlay.bar(
      "relay hops", relay, state: state, x: inner.x + 1, y: y, width: inner.width - 2, into: &frame.buffer)
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
    // The rows once per frame: filtering and ordering them is the costly part.
    let domainRows = browser.domain == nil ? browser.domainRows : []
    let messageRows = browser.domain == nil ? [] : browser.messageRows
    let count = browser.domain == nil ? domainRows.count : messageRows.count
    ListOverlay.rows(count: count, selected: browser.selected, from: y, in: inner, into: &frame) {
      row, line, selected, buffer in
      let (rating, text) = Self.line(row, domains: domainRows, messages: messageRows)
      let x = buffer.put(selected ? " ▸ " : "   ", x: inner.x + 1, y: line, role: .selected, clip: inner)
      let after = buffer.put(
        TextWrapper.pad(rating.symbol(ascii: state.ascii), to: markWidth), x: x, y: line,
        role: RatingStyle.role(rating), reversed: selected, clip: inner)
      buffer.put(
        text, x: after, y: line, role: selected ? .selected : .normal, reversed: selected, clip: inner)
    }
    if count == 0 {
      frame.buffer.put(
        browser.loading ? "nothing yet…" : "no rows", x: inner.x + 4, y: y, role: .muted, clip: inner)
    }
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
  static func line(
    _ row: Int, domains: [MailboxBrowser.DomainRow], messages: [MailboxBrowser.Entry]
  ) -> (Rating, String) {
    if !domains.isEmpty {
      let domain = domains[row]
      return (domain.worst, columns([String(domain.messages), "\(domain.cleartextShare) %"], domain.domain))
    }
    let entry = messages[row]
    let place = entry.offset.map { "\(FileName.last(entry.file))@\($0)" } ?? FileName.last(entry.file)
    return (
      entry.weakest,
      columns([String(entry.date?.prefix(10) ?? "?"), String(entry.cleartextHops)], entry.messageId ?? place)
    )
  }
}

/// The last part of a path, for titles and rows.
enum FileName {
  static func last(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
