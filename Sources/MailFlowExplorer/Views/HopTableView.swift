import MailFlowModel
import TerminalUI

/// The seed's hop table as a pane: #, sender, receiver, and the protocols and ports of each hop with
/// their ratings. In full form options flow onto as many lines as the width needs; in compact form
/// (small terminals) each hop is one line, its options best first, so every hop and its best (or
/// measured) rating stay on screen. The pane scrolls to keep the selected hop in view.
enum HopTableView {
  enum Form: Sendable, Equatable {
    /// Every option of every hop, in the seed's words.
    case full
    /// A line per hop: the measured rating, then the options as rating chips, best first.
    case compact
  }

  struct Columns {
    var number: Int
    var sender: Int
    var receiver: Int
    var options: Int
  }

  static func columns(_ state: ExplorerState, width: Int) -> Columns {
    let hops = state.knowledge.hops
    let number = max(1, hops.map { DisplayWidth.of($0.label) }.max() ?? 1)
    let sender = max(6, hops.map { DisplayWidth.of($0.fromLabel) }.max() ?? 6)
    let receiver = max(8, hops.map { DisplayWidth.of($0.toLabel) }.max() ?? 8)
    // Borders (2), a column of padding each side (2) and two spaces between columns (6).
    let options = max(10, width - 2 - 2 - number - sender - receiver - 3 * 2)
    return Columns(number: number, sender: sender, receiver: receiver, options: options)
  }

  /// The lines of each hop's protocols column.
  static func rows(_ state: ExplorerState, width: Int, form: Form = .full) -> [[StyledLine]] {
    let base = state.knowledge
    let column = columns(state, width: width).options
    if form == .compact { return base.hops.map { [compactRow($0, state: state, width: column)] } }
    return base.hops.map { hop in
      var lines: [StyledLine] = []
      var current = StyledLine()
      var used = 0
      for option in hop.options {
        let text = column >= 90 ? base.describe(option) : base.describeShort(option)
        let token = [
          RatingStyle.span(base.rating(of: option), ascii: state.ascii), StyledLine.Span(" " + text),
        ]
        let tokenWidth = token.reduce(0) { $0 + DisplayWidth.of($1.text) }
        if tokenWidth > column {
          // Too long for one line even alone: a line of its own, wrapped under its text.
          if used > 0 { lines.append(current) }
          let wrapped = StyledLine.wrapped(prefix: [token[0], StyledLine.Span(" ")], text, width: column)
          lines += wrapped.dropLast()
          current = wrapped.last ?? StyledLine()
          used = column
          continue
        }
        if used > 0 && used + 2 + tokenWidth > column {
          lines.append(current)
          current = StyledLine()
          used = 0
        }
        if used > 0 {
          current.spans.append(StyledLine.Span("  "))
          used += 2
        }
        current.spans += token
        used += tokenWidth
      }
      lines.append(current)
      // With a probe, what the domain's servers actually do.
      if let measured = state.measured(hop) {
        let changed = !(state.probe?.changes(of: hop.id).isEmpty ?? true)
        lines.insert(
          StyledLine([
            StyledLine.Span(changed ? "changed: " : "measured: ", changed ? .warning : .muted),
            RatingStyle.span(measured.rating, ascii: state.ascii),
            StyledLine.Span(" " + TextWrapper.truncate(measured.summary, width: max(1, column - 12)), .muted),
          ]), at: 0)
      } else if state.isProbing(hop), let probe = state.probe {
        lines.insert(
          StyledLine("measured: \(probe.spinner(ascii: state.ascii)) probing… \(probe.elapsedText)", .muted),
          at: 0)
      }
      // In a journey, say which way the scenario carries this hop.
      if let used = state.journeyStep(on: hop) {
        lines.append(
          StyledLine([
            StyledLine.Span("this journey: ", .muted),
            RatingStyle.span(base.rating(of: used), ascii: state.ascii),
            StyledLine.Span(" " + base.describeShort(used), .muted),
          ]))
      }
      return lines
    }
  }

  /// One hop on one line: with a probe, its measured rating first; then its options as chips, best
  /// first, cut with "…" where the width ends.
  static func compactRow(_ hop: Hop, state: ExplorerState, width: Int) -> StyledLine {
    let base = state.knowledge
    var spans: [StyledLine.Span] = []
    if let measured = state.measured(hop) {
      spans += [StyledLine.Span("measured ", .muted), RatingStyle.span(measured.rating, ascii: state.ascii)]
    } else if state.isProbing(hop), let probe = state.probe {
      spans.append(StyledLine.Span("measured \(probe.spinner(ascii: state.ascii))", .muted))
    }
    let options = hop.options.enumerated().sorted { a, b in
      let (x, y) = (base.rating(of: a.element).strength ?? -2, base.rating(of: b.element).strength ?? -2)
      return x != y ? x > y : a.offset < b.offset
    }
    for (_, option) in options {
      if !spans.isEmpty { spans.append(StyledLine.Span("  ")) }
      spans += [
        RatingStyle.span(base.rating(of: option), ascii: state.ascii),
        StyledLine.Span(" " + base.describeShort(option)),
      ]
    }
    return StyledLine(spans).truncated(to: width)
  }

  /// Rows the whole table needs in a form, borders and the heading included.
  static func naturalHeight(_ state: ExplorerState, width: Int, form: Form = .full) -> Int {
    3 + rows(state, width: width, form: form).reduce(0) { $0 + $1.count }
  }

  static func render(
    _ state: ExplorerState, in rect: Rect, form: Form = .full, into frame: inout ExplorerFrame
  ) {
    PaneChrome.draw(
      rect, title: "Hops", focused: state.focus == .table, into: &frame.buffer, glyphs: state.glyphs)
    let inner = rect.inner
    guard inner.height >= 2 else { return }
    let c = columns(state, width: rect.width)
    let positions = [inner.x + 1, inner.x + 1 + c.number + 2, inner.x + 1 + c.number + 2 + c.sender + 2]
    let optionsX = positions[2] + c.receiver + 2
    let headers = ["#", "sender", "receiver"]
    for (x, text) in zip(positions, headers) {
      frame.buffer.put(text, x: x, y: inner.y, role: .header, clip: inner)
    }
    frame.buffer.put("protocols and ports", x: optionsX, y: inner.y, role: .header, clip: inner)

    let all = rows(state, width: rect.width, form: form)
    let body = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
    // Scroll just enough to show the whole selected hop (or its start, when it is taller than the pane).
    let startOfSelected = all.prefix(state.selectedHop).reduce(0) { $0 + $1.count }
    let endOfSelected =
      startOfSelected + (all.indices.contains(state.selectedHop) ? all[state.selectedHop].count : 0)
    var offset = max(0, endOfSelected - body.height)
    offset = min(offset, startOfSelected)
    let total = all.reduce(0) { $0 + $1.count }

    var line = 0
    for (index, hopLines) in all.enumerated() {
      let hop = state.knowledge.hops[index]
      for (k, styled) in hopLines.enumerated() {
        defer { line += 1 }
        let y = body.y + line - offset
        guard y >= body.y, y < body.maxY else { continue }
        let selected = index == state.selectedHop
        if k == 0 {
          frame.buffer.put(hop.label, x: positions[0], y: y, role: .emphasis, clip: body)
          frame.buffer.put(hop.fromLabel, x: positions[1], y: y, clip: body)
          frame.buffer.put(hop.toLabel, x: positions[2], y: y, clip: body)
        }
        frame.buffer.put(styled, x: optionsX, y: y, clip: body)
        let rowRect = Rect(x: body.x, y: y, width: body.width, height: 1)
        if selected { frame.buffer.reverse(rowRect) }
        frame.hits.append((rowRect, .hop(index, in: .table)))
      }
    }
    PaneChrome.drawScrollIndicator(
      rect, first: offset, visible: body.height, total: total, into: &frame.buffer)
  }
}
