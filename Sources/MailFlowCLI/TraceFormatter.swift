import MailFlowModel
import MailFlowTrace
import TerminalUI

/// `mailflow trace` as text: the message, one line per hop (step with its roles, from → by, protocol,
/// TLS, rating, delay), the total transit time, the weakest hop, then the notes and authentication.
enum TraceFormatter {
  static func render(_ report: TraceReport, knowledge: KnowledgeBase, style: OutputStyle) -> String {
    var lines: [StyledLine] = []
    let m = report.message
    for (label, value) in [
      ("From", m.from), ("To", m.to), ("Subject", m.subject), ("Date", m.date), ("Message-ID", m.messageId),
    ] {
      if let value { lines.append(style.bold(TextWrapper.pad(label, to: 11)) + value) }
    }
    lines.append("")

    let headers = ["#", "step", "roles", "from → by", "protocol", "TLS", "rating", "delay"]
    let rows: [[String]] = report.hops.map { hop in
      let knowledgeHop = knowledge.hop(hop.step.rawValue)
      let roles = knowledgeHop.map { "\($0.fromLabel) → \($0.toLabel)" } ?? ""
      let from = hop.from.map { $0.host ?? $0.address ?? $0.helo ?? "?" } ?? "(local)"
      let tls = hop.tls.map { [$0.version, $0.cipher].compactMap { $0 }.joined(separator: " ") } ?? "-"
      return [
        String(hop.index), hop.step.rawValue, roles, "\(from) → \(hop.by ?? "?")", hop.with ?? "?", tls,
        style.symbol(hop.rating) + " " + hop.rating.rawValue, delay(hop),
      ].map(style.shown)  // measured as they will be shown
    }
    var widths = headers.map { DisplayWidth.of($0) }
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
    }
    // Each row as at most three spans (before the rating, the rating, after it), not a span per cell:
    // a trace of 20,000 hops draws 20,000 rows.
    func line(_ cells: [String], rating: Rating? = nil) -> StyledLine {
      var parts = ["", "", ""]
      for (i, cell) in cells.enumerated() {
        let part = i < 6 ? 0 : i == 6 ? 1 : 2
        parts[part] += i == cells.count - 1 ? cell : TextWrapper.pad(cell, to: widths[i])
        if i < cells.count - 1 { parts[i == 6 ? 2 : part] += "  " }
      }
      let middle = rating.map { style.paint(parts[1], $0) } ?? StyledLine(parts[1])
      let spans = [StyledLine.Span(parts[0])] + middle.spans + [StyledLine.Span(parts[2])]
      return StyledLine(spans.filter { !$0.text.isEmpty }).trimmingTrailingSpaces()
    }
    lines.append(style.bold(line(headers).text))
    lines.append(StyledLine(style.rule(widths.reduce(0, +) + 2 * (widths.count - 1))))
    for (hop, row) in zip(report.hops, rows) { lines.append(line(row, rating: hop.rating)) }
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
    if let index = overall.limitedBy, let hop = report.hops.first(where: { $0.index == index }) {
      verdict += " (hop \(index), \(hop.step.rawValue))"
    }
    lines.append(verdict)
    let unread = report.hops.filter { !$0.parsed }.count
    if unread > 0 {
      // The total and the weakest hop cover only what could be read: say so beside them.
      lines.append(
        "(\(unread) of \(report.hops.count) Received fields could not be read: the time and the weakest hop "
          + "are of the others)")
    }

    lines.append("")
    lines.append(style.bold("Hop by hop"))
    // Most notes repeat from hop to hop: each distinct one is wrapped once.
    var wrapped: [String: [StyledLine]] = [:]
    for hop in report.hops {
      lines.append("  \(hop.index). " + (hop.parsed ? "" : "[unparsed] ") + hop.raw)
      for note in hop.notes {
        if let known = wrapped[note] {
          lines += known
          continue
        }
        let noteLines = TextWrapper.wrap(TerminalSafe.visible(note), width: 96).enumerated().map {
          StyledLine(($0 == 0 ? "     - " : "       ") + $1)
        }
        if wrapped.count < 4096 { wrapped[note] = noteLines }
        lines += noteLines
      }
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
    return style.render(lines)
  }

  static func delay(_ hop: TraceReport.Hop) -> String {
    guard let seconds = hop.delaySeconds else { return "" }
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
