import Glibc
import MailFlowModel
import MailFlowTrace
import TerminalUI

/// `mailflow trace` as text: the message, one line per hop (step with its roles, from → by, protocol,
/// TLS, rating, delay), the total transit time, the weakest hop, then the notes and authentication.
enum TraceFormatter {
  /// The text in pieces, in order, to `emit`: a trace of 20,000 hops is 9 MB of text, written as it is
  /// made rather than gathered into one string first.
  static func render(
    _ report: TraceReport, knowledge: KnowledgeBase, style: OutputStyle, emit: (String) -> Void
  ) {
    // The few lines around the two long parts (a row and a paragraph per hop) are rendered as they
    // come; the long parts are rendered in chunks on every core (20,000 hops are 60,000 lines).
    var lines: [StyledLine] = []
    func flush() {
      emit(style.render(lines))
      lines.removeAll()
    }
    let m = report.message
    for (label, value) in [
      ("From", m.from), ("To", m.to), ("Subject", m.subject), ("Date", m.date), ("Message-ID", m.messageId),
    ] {
      if let value { lines.append(style.bold(TextWrapper.pad(label, to: 11)) + value) }
    }
    lines.append("")

    let headers = ["#", "step", "roles", "from → by", "protocol", "TLS", "rating", "delay"]
    // Cells of our own — a step, its roles, a rating — are made terminal-safe and measured once each, not
    // once per hop (a trace can have 20,000).
    typealias Cell = (text: String, width: Int)
    @Sendable func cell(_ text: String) -> Cell {
      let shown = style.shown(text)  // measured as it will be shown
      return (shown, DisplayWidth.of(shown))
    }
    var stepCells: [HopID: (step: Cell, roles: Cell)] = [:]
    for step in HopID.allCases {
      let roles = knowledge.hop(step.rawValue).map { "\($0.fromLabel) → \($0.toLabel)" } ?? ""
      stepCells[step] = (cell(step.rawValue), cell(roles))
    }
    var ratingCells: [Rating: Cell] = [:]
    for rating in Rating.allCases { ratingCells[rating] = cell(style.symbol(rating) + " " + rating.rawValue) }
    // Rows are made on every core, each with its cells' widths and its rating. Hops are read in place, by
    // index: passing each one on copies it (a dozen strings retained and released, from both cores).
    let hops = report.hops
    let rows: [(cells: [String], widths: [Int], rating: Rating)] = ParallelMap.map(Array(hops.indices)) {
      [stepCells, ratingCells] i in
      let rating = hops[i].rating
      let from = hops[i].from.map { $0.host ?? $0.address ?? $0.helo ?? "?" } ?? "(local)"
      let tls = hops[i].tls.map { [$0.version, $0.cipher].compactMap { $0 }.joined(separator: " ") } ?? "-"
      let own = stepCells[hops[i].step] ?? (cell(hops[i].step.rawValue), cell(""))
      let cells = [
        cell(String(hops[i].index)), own.step, own.roles, cell("\(from) → \(hops[i].by ?? "?")"),
        cell(hops[i].with ?? "?"), cell(tls), ratingCells[rating] ?? cell(rating.rawValue),
        cell(delay(hops[i].delaySeconds)),
      ]
      return (cells.map(\.text), cells.map(\.width), rating)
    }
    let headerWidths = headers.map { DisplayWidth.of($0) }
    let widths = rows.reduce(headerWidths) { widest, row in zip(widest, row.widths).map { max($0, $1) } }
    let rowLength = widths.reduce(0, +) + 2 * widths.count
    // Each row as at most three spans (before the rating, the rating, after it), not a span per cell:
    // a trace of 20,000 hops draws 20,000 rows. Each is gathered as bytes, the cells padded from the
    // widths measured above (no cell is wider than its column).
    @Sendable func line(_ cells: [String], _ cellWidths: [Int], rating: Rating? = nil) -> StyledLine {
      var parts: [[UInt8]] = [[], [], []]
      parts[0].reserveCapacity(rowLength)
      for i in cells.indices {
        let part = i < 6 ? 0 : i == 6 ? 1 : 2
        parts[part].append(contentsOf: cells[i].utf8)
        guard i < cells.count - 1 else { break }
        parts[part].append(contentsOf: repeatElement(0x20, count: max(0, widths[i] - cellWidths[i])))
        parts[i == 6 ? 2 : part].append(contentsOf: repeatElement(0x20, count: 2))
      }
      // Without trailing spaces (a row ends in cells of our own: the rating, the delay).
      for index in parts.indices.reversed() {
        while parts[index].last == 0x20 { parts[index].removeLast() }
        if !parts[index].isEmpty { break }
      }
      let text = parts.map { String(decoding: $0, as: UTF8.self) }
      let middle = rating.map { style.paint(text[1], $0) } ?? StyledLine(text[1])
      let spans = [StyledLine.Span(text[0])] + middle.spans + [StyledLine.Span(text[2])]
      return StyledLine(spans.filter { !$0.text.isEmpty })
    }
    lines.append(style.bold(line(headers, headerWidths).text))
    lines.append(StyledLine(style.rule(widths.reduce(0, +) + 2 * (widths.count - 1))))
    flush()
    renderedInChunks(Array(rows.indices), style: style, emit: emit) { indices in
      indices.map { line(rows[$0].cells, rows[$0].widths, rating: rows[$0].rating) }
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
      var wrapped: [String: (note: String, lines: [StyledLine])] = [:]
      for i in indices {
        lines.append("  \(hops[i].index). " + (hops[i].parsed ? "" : "[unparsed] ") + hops[i].raw)
        for note in hops[i].notes {
          // Keys compare canonically (`é` and `e` with a combining accent are one key): a note is shown
          // from the cache only when its bytes are the same.
          if let known = wrapped[note], sameBytes(known.note, note) {
            lines += known.lines
            continue
          }
          let noteLines = TextWrapper.wrap(TerminalSafe.visible(note), width: 96).enumerated().map {
            StyledLine(($0 == 0 ? "     - " : "       ") + $1)
          }
          if wrapped.count < 4096 { wrapped[note] = (note, noteLines) }
          lines += noteLines
        }
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
    _ items: [Item], style: OutputStyle, emit: (String) -> Void,
    _ make: @escaping @Sendable (ArraySlice<Item>) -> [StyledLine]
  ) {
    let chunks = stride(from: 0, to: items.count, by: 512).map { items[$0..<min(items.count, $0 + 512)] }
    ParallelMap.map(chunks, minimumChunk: 1, sequentialBelow: 2) { style.render(make($0)) }.forEach(emit)
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
