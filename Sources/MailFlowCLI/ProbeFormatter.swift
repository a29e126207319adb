import MailFlowDNS
import MailFlowModel
import MailFlowProbe
import MailFlowReport
import TerminalUI

/// `mailflow probe` as text: the hops with their measured ratings, then the evidence.
enum ProbeFormatter {
  static func render(
    _ report: ProbeReport, name: DomainName, knowledge: KnowledgeBase, style: OutputStyle, transcript: Bool,
    fixes: Bool = true
  ) -> String {
    var lines: [StyledLine] = []
    let overall = style.paint(
      style.symbol(report.overall.rating) + " " + report.overall.rating.rawValue, report.overall.rating)
    lines.append(
      style.bold("\(name)") + "  overall: " + overall
        + (report.overall.rating == .secure
          ? " (every measured hop is secure)"
          : report.overall.limitedBy.map { " (weakest link: \($0))" } ?? "")
        + "  · \(report.durationMs) ms")
    lines.append("")
    for hop in report.hops {
      let known = knowledge.hop(hop.id.rawValue)
      let label = known.map { "\($0.label) \($0.fromLabel) → \($0.toLabel)" } ?? hop.id.rawValue
      let rating = style.paint(style.paddedSymbol(hop.rating), hop.rating)
      lines.append("  " + rating + " " + TextWrapper.pad(style.shown(label), to: 28) + " \(hop.summary)")
      for note in hop.notes { lines.append(String(repeating: " ", count: 34) + "note: \(note)") }
    }
    for hop in report.hops {
      if let sts = hop.mtaSts {
        lines.append("")
        lines.append(style.bold("MTA-STS") + " (\(sts.policyURL))")
        for fact in sts.facts { lines.append(Self.line(fact, indent: 2, style: style)) }
      }
      if let rpt = hop.tlsRpt {
        lines.append("")
        lines.append(style.bold(rpt.fact.label) + ": " + rpt.fact.text)
      }
      if let authenticity = hop.authenticity {
        lines.append("")
        lines.append(
          style.bold("Who may send as \(report.domain)") + " (SPF, DMARC: what receiving servers check)")
        for fact in authenticity.facts { lines.append(Self.line(fact, indent: 2, style: style)) }
      }
    }
    if let autoconfig = report.autoconfig {
      lines.append("")
      lines.append(style.bold("autoconfig"))
      for attempt in autoconfig.attempts {
        lines.append("  \(attempt.url): \(attempt.error ?? "found")")
      }
      for server in autoconfig.servers {
        lines.append("    \(server.type) \(server.host):\(server.port) \(server.socketType)")
      }
    }
    for hop in report.hops where !hop.endpoints.isEmpty {
      lines.append("")
      lines.append(style.bold("\(hop.id.rawValue) endpoints"))
      for endpoint in hop.endpoints {
        lines.append(
          "  " + style.paint(style.paddedSymbol(endpoint.rating), endpoint.rating) + " " + endpoint.heading)
        for fact in endpoint.facts { lines.append(Self.line(fact, indent: 6, style: style)) }
        if transcript {
          for line in endpoint.transcript { lines.append("        " + line.speaker.prefix + line.text) }
        }
      }
    }
    if fixes {
      for hop in report.hops {
        let advice = report.fixes(for: hop)
        guard !advice.isEmpty else { continue }
        lines.append("")
        lines.append(style.bold("How to fix: \(hop.id.rawValue)"))
        for fix in advice {
          for (index, fact) in fix.facts.enumerated() {
            lines.append(Self.line(fact, indent: index == 0 ? 2 : 4, style: style))
          }
        }
      }
    }
    lines.append("")
    lines.append(style.bold("DNS"))
    for lookup in report.dns { lines.append(StyledLine("  " + lookup.fact.line)) }
    return style.render(lines)
  }

  /// The checklist, a line per check: its status word, title and detail.
  static func checklist(_ report: ProbeReport, style: OutputStyle) -> [StyledLine] {
    let checks = report.checks ?? Checklist.checks(report)
    // Titles in one column as wide as the longest (within reason: host names can be long).
    let titleWidth = min(48, checks.map { DisplayWidth.of($0.title) }.max() ?? 0)
    return checks.map { check in
      let rating = check.status.rating
      return "  " + style.paint(TextWrapper.pad(check.status.rawValue, to: 8), rating)
        + StyledLine(
          TextWrapper.pad(check.title, to: titleWidth) + " " + check.detail)
    }
  }

  /// One evidence row as a line of text: TLSA records one step further in, judgements with their symbol.
  static func line(_ fact: EvidenceFact, indent: Int, style: OutputStyle) -> StyledLine {
    let margin = String(repeating: " ", count: indent)
    switch fact.kind {
    case .record: return StyledLine(margin + "  " + fact.label + " " + fact.text)
    case .publish: return StyledLine(margin + "  " + fact.text)
    case .rated(let rating): return margin + style.paint(style.symbol(rating), rating) + " " + fact.line
    case .plain, .warning: return StyledLine(margin + fact.line)
    }
  }
}
