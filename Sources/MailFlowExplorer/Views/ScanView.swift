import MailFlowModel
import TerminalUI

/// The scan list over the whole screen: how many domains, a bar per hop of the ratings, then a row
/// per domain with its ratings, the selected one kept in view.
enum ScanOverlay {
  static let columns: [ScanBrowser.Column] = [.overall, .submission, .relay, .retrieval]
  static let columnWidth = 12

  static func render(_ state: ExplorerState, into frame: inout ExplorerFrame) {
    guard let browser = state.scan else { return }
    let inner = ListOverlay.window(
      state, title: "Scan · \(FileName.last(browser.path)) · Esc closes", into: &frame)
    var y = inner.y
    let status =
      (browser.loading
        ? "\(ListOverlay.spinner(state)) reading… \(browser.rows.count) domains so far"
        : "\(browser.rows.count) domains")
      + (browser.unreadable > 0
        ? " · \(browser.unreadable) line\(browser.unreadable == 1 ? "" : "s") not a scan's report" : "")
      + (browser.failure.map { " · stopped: \($0)" } ?? "")
    frame.buffer.put(
      status, x: inner.x + 1, y: y, role: browser.failure == nil ? .emphasis : .warning, clip: inner)
    y += 1
    for column in columns {
      ListOverlay.bar(
        column.rawValue, browser.counts(column), state: state, x: inner.x + 1, y: y, width: inner.width - 2,
        into: &frame.buffer)
      y += 1
    }
    let order =
      "order: \(browser.sort.rawValue)\(browser.sort == .domain ? "" : ", worst first") (s)"
      + (browser.filter.map {
        " · \(browser.shownRows.count) of \(browser.rows.count) with '\($0)' (Esc: all)"
      } ?? "")
    frame.buffer.put(order, x: inner.x + 1, y: y, role: .muted, clip: inner)
    y += 1
    let head = "   " + columns.map { TextWrapper.pad($0.rawValue, to: columnWidth) }.joined() + "domain"
    frame.buffer.put(head, x: inner.x + 1, y: y, role: .header, clip: inner)
    y += 1
    let rows = browser.shownRows
    ListOverlay.rows(count: rows.count, selected: browser.selected, from: y, in: inner, into: &frame) {
      index, line, selected, buffer in
      let row = rows[index]
      var x = buffer.put(selected ? " ▸ " : "   ", x: inner.x + 1, y: line, role: .selected, clip: inner)
      for column in columns {
        let rating = row.rating(column) ?? .unknown
        buffer.put(
          rating.symbol(ascii: state.ascii), x: x, y: line, role: RatingStyle.role(rating),
          reversed: selected,
          clip: inner)
        x += columnWidth
      }
      buffer.put(
        row.domain, x: x, y: line, role: selected ? .selected : .normal, reversed: selected, clip: inner)
    }
    if rows.isEmpty {
      frame.buffer.put(
        browser.loading ? "nothing yet…" : "no rows", x: inner.x + 4, y: y, role: .muted, clip: inner)
    }
  }
}
