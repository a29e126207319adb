import Glibc
import MailFlowModel
import MailFlowTrace
import TerminalUI

/// `mailflow trace` as text: the message, one line per hop (step with its roles, from → by, protocol,
/// TLS, rating, delay), the total transit time, the weakest hop, then the notes and authentication.
enum TraceFormatter {
  /// The text in pieces, in order, to `emit` as the bytes to write: a trace of 20,000 hops is 9 MB of text, written as it is
  /// made rather than gathered into one string first.
  static func render(
    _ report: TraceReport, knowledge: KnowledgeBase, style: OutputStyle, emit: ([UInt8]) -> Void
  ) {
    // The few lines around the two long parts (a row and a paragraph per hop) are rendered as they
    // come; the long parts are rendered in chunks on every core (20,000 hops are 60,000 lines).
    var lines: [StyledLine] = []
    func flush() {
      emit(style.renderedBytes(lines))
      lines.removeAll()
    }
    let m = report.message
    for (label, value) in [
      ("From", m.from), ("To", m.to), ("Subject", m.subject), ("Date", m.date), ("Message-ID", m.messageId),
    ] {
      if let value { lines.append(style.bold(TextWrapper.pad(label, to: 11)) + value) }
    }
    lines.append("")

    let headers = ["#", "step", "roles", "from → by", "protocol", "TLS", "rating", "delay"].map(style.cell)
    // Cells of our own — a step, its roles, a rating — are made terminal-safe and measured once each, not
    // once per hop (a trace can have 20,000).
    var stepCells: [HopID: (step: VisibleText, roles: VisibleText)] = [:]
    for step in HopID.allCases {
      let roles = knowledge.hop(step.rawValue).map { "\($0.fromLabel) → \($0.toLabel)" } ?? ""
      stepCells[step] = (style.cell(step.rawValue), style.cell(roles))
    }
    var ratingCells: [Rating: VisibleText] = [:]
    for rating in Rating.allCases {
      ratingCells[rating] = style.cell(style.symbol(rating) + " " + rating.rawValue)
    }
    // Rows are made on every core, each cell made visible and measured once. Hops are read in place, by
    // index: passing each one on copies it (a dozen strings retained and released, from both cores).
    let hops = report.hops
    let rows: [(cells: [VisibleText], rating: Rating)] = ParallelMap.map(Array(hops.indices)) {
      [stepCells, ratingCells] i in
      let rating = hops[i].rating
      let from = hops[i].from.map { $0.host ?? $0.address ?? $0.helo ?? "?" } ?? "(local)"
      let tls = hops[i].tls.map { [$0.version, $0.cipher].compactMap { $0 }.joined(separator: " ") } ?? "-"
      let own = stepCells[hops[i].step] ?? (style.cell(hops[i].step.rawValue), .empty)
      let cells = [
        style.cell(String(hops[i].index)), own.step, own.roles, style.cell("\(from) → \(hops[i].by ?? "?")"),
        style.cell(hops[i].with ?? "?"), style.cell(tls), ratingCells[rating] ?? style.cell(rating.rawValue),
        style.cell(delay(hops[i].delaySeconds)),
      ]
      return (cells, rating)
    }
    let widths = rows.reduce(headers.map(\.width)) { widest, row in
      zip(widest, row.cells).map { max($0, $1.width) }
    }
    let rowLength = widths.reduce(0, +) * 2 + 2 * widths.count
    // Each row as at most three spans (before the rating, the rating, after it), not a span per cell:
    // a trace of 20,000 hops draws 20,000 rows. Each is gathered in one buffer, the cells padded to the
    // widths measured above (no cell is wider than its column), and its spans not checked again.
    @Sendable func line(_ cells: [VisibleText], rating: Rating? = nil) -> StyledLine {
      var row = VisibleText.Builder(capacity: rowLength)
      let start = row.mark
      var ratingStart = start
      var ratingEnd = start
      for i in cells.indices {
        if i == 6 { ratingStart = row.mark }
        row.append(cells[i])
        guard i < cells.count - 1 else { break }
        row.appendSpaces(widths[i] - cells[i].width)
        if i == 6 { ratingEnd = row.mark }
        row.appendSpaces(2)
      }
      let end = row.mark
      // Without trailing spaces (a row ends in cells of our own: the rating, the delay).
      row.dropTrailingSpaces()
      let before = row.text(from: start, to: ratingStart)
      let middle = row.text(from: ratingStart, to: ratingEnd)
      let after = row.text(from: ratingEnd, to: end)
      var spans: [StyledLine.Span] = []
      spans.reserveCapacity(3)
      if !before.string.isEmpty { spans.append(StyledLine.Span(before)) }
      if !middle.string.isEmpty {
        spans += rating.map { style.paint(middle, $0).spans } ?? [StyledLine.Span(middle)]
      }
      if !after.string.isEmpty { spans.append(StyledLine.Span(after)) }
      return StyledLine(spans)
    }
    lines.append(style.bold(line(headers).text))
    lines.append(StyledLine(style.rule(widths.reduce(0, +) + 2 * (widths.count - 1))))
    flush()
    renderedInChunks(Array(rows.indices), style: style, emit: emit) { indices in
      indices.map { line(rows[$0].cells, rating: rows[$0].rating) }
    }
    lines.append("")

    if let total = report.totalSeconds {
      lines.append(
        "Total transit time: \(duration(total))"
          + (total < 0 ? " (clock skew: a server's clock is behind the sender's)" : ""))
    }
    let overall = report.overall
    var verdict =
      "Weakest hop: "
      + style.paint(style.symbol(overall.rating) + " " + overall.rating.rawValue, overall.rating)
    // Hops are read in place, by index: iterating them copies each one (a dozen strings).
    if let index = overall.limitedBy, let hop = hops.indices.first(where: { hops[$0].index == index }) {
      verdict += " (hop \(index), \(hops[hop].step.rawValue))"
    }
    lines.append(verdict)
    let unread = hops.indices.count { !hops[$0].parsed }
    if unread > 0 {
      // The total and the weakest hop cover only what could be read: say so beside them.
      lines.append(
        "(\(unread) of \(report.hops.count) Received fields could not be read: the time and the weakest hop "
          + "are of the others)")
    }

    lines.append("")
    lines.append(style.bold("Hop by hop"))
    flush()
    // Most notes repeat from hop to hop: each distinct one is wrapped once per chunk of hops.
    renderedInChunks(Array(hops.indices), style: style, emit: emit) { indices in
      var lines: [StyledLine] = []
      typealias Wrapped = (note: String, lines: [StyledLine])
      var wrapped: [String: Wrapped] = [:]
      // The previous hop's notes, compared first: a hop's notes are most often its neighbour's, and
      // comparing bytes costs less than hashing them.
      var previous: [Wrapped] = []
      var current: [Wrapped] = []
      for i in indices {
        // One string, one span: the raw field is checked for terminal safety once.
        lines.append(StyledLine("  \(hops[i].index). " + (hops[i].parsed ? "" : "[unparsed] ") + hops[i].raw))
        current.removeAll(keepingCapacity: true)
        for (k, note) in hops[i].notes.enumerated() {
          // Keys compare canonically (`é` and `e` with a combining accent are one key): a note is shown
          // from the cache only when its bytes are the same.
          if k < previous.count, sameBytes(previous[k].note, note) {
            current.append(previous[k])
          } else if let known = wrapped[note], sameBytes(known.note, note) {
            current.append(known)
          } else {
            let noteLines = TextWrapper.wrap(TerminalSafe.visible(note), width: 96).enumerated().map {
              StyledLine(($0 == 0 ? "     - " : "       ") + $1)
            }
            if wrapped.count < 4096 { wrapped[note] = (note, noteLines) }
            current.append((note, noteLines))
          }
          lines += current[current.count - 1].lines
        }
        swap(&previous, &current)
      }
      return lines
    }

    let auth = report.authentication
    if !auth.results.isEmpty || auth.arcSets > 0 || auth.tlsRequiredNo || m.returnPath != nil {
      lines.append("")
      lines.append(style.bold("Authentication (as recorded, not verified)"))
      if let returnPath = m.returnPath { lines.append("  Return-Path: \(returnPath)") }
      for result in auth.results {
        lines.append(
          "  \(result.method)=\(result.result)" + (result.detail.map { " \($0)" } ?? "")
            + "  (by \(result.authservId))")
      }
      if auth.arcSets > 0 {
        lines.append("  ARC: \(auth.arcSets) set(s) present (a forwarder vouched for earlier results)")
      }
      if auth.tlsRequiredNo {
        lines.append("  TLS-Required: No — the sender asked relays to deliver even without TLS (RFC 8689)")
      }
    }
    flush()
  }

  /// The lines `make` draws for each chunk of `items`, rendered, in order; the chunks on every core.
  static func renderedInChunks<Item: Sendable>(
    _ items: [Item], style: OutputStyle, emit: ([UInt8]) -> Void,
    _ make: @escaping @Sendable (ArraySlice<Item>) -> [StyledLine]
  ) {
    let chunks = stride(from: 0, to: items.count, by: 512).map { items[$0..<min(items.count, $0 + 512)] }
    ParallelMap.map(chunks, minimumChunk: 1, sequentialBelow: 2) { style.renderedBytes(make($0)) }.forEach(
      emit)
  }

  /// Equal byte for byte (`==` is canonical equivalence), over the strings' contiguous UTF-8: iterating
  /// `utf8` generically cost more than wrapping the note did.
  static func sameBytes(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    let same = a.utf8.withContiguousStorageIfAvailable { a in
      b.utf8.withContiguousStorageIfAvailable { b in
        a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
      }
    }
    return (same ?? nil) ?? a.utf8.elementsEqual(b.utf8)
  }

  static func delay(_ seconds: Int?) -> String {
    guard let seconds else { return "" }
    return seconds < 0 ? "\(duration(seconds)) (clock skew)" : duration(seconds)
  }

  /// `0 s`, `42 s`, `3 min 5 s`, `2 h 1 min`, `-12 s`.
  static func duration(_ seconds: Int) -> String {
    if seconds < 0 { return "-" + duration(-seconds) }
    if seconds < 60 { return "\(seconds) s" }
    if seconds < 3600 { return "\(seconds / 60) min \(seconds % 60) s" }
    if seconds < 86_400 { return "\(seconds / 3600) h \(seconds % 3600 / 60) min" }
    return "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h"
  }
}
