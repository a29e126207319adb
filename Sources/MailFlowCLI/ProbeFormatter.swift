import MailFlowDNS
import MailFlowModel
import MailFlowProbe
import MailFlowReport
import TerminalUI

/// `mailflow probe` as text: the hops with their measured ratings, then the evidence.
enum ProbeFormatter {
  static func render(
    _ report: ProbeReport, name: DomainName, knowledge: KnowledgeBase, style: OutputStyle, transcript: Bool
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
        lines.append("  TXT: \(sts.txt ?? "none")")
        if let mode = sts.mode {
          lines.append(
            "  policy: mode \(mode.rawValue), mx \(sts.mxPatterns.joined(separator: " ")), max_age \(sts.maxAge ?? 0)"
          )
        }
        for match in sts.mxMatches {
          lines.append(
            "  "
              + style.paint(
                style.symbol(match.satisfied ? .secure : .weak), match.satisfied ? .secure : .weak)
              + " \(match.host)" + (match.satisfied ? " satisfies the policy" : ": \(match.reason ?? "?")"))
        }
        if let error = sts.error { lines.append("  error: \(error)") }
      }
      if let rpt = hop.tlsRpt {
        lines.append("")
        lines.append(
          style.bold("TLS-RPT") + ": "
            + (rpt.error.map { "invalid (\($0))" } ?? "reports to \(rpt.rua.joined(separator: ", "))"))
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
          "  " + style.paint(style.paddedSymbol(endpoint.rating), endpoint.rating)
            + " \(endpoint.service) \(endpoint.place)"
            + (endpoint.sourceText.map { "  (from \($0))" } ?? ""))
        let smtp = endpoint.service.isSMTP
        if !endpoint.extensions.isEmpty {
          lines.append(
            "      \(smtp ? "EHLO" : "capabilities"): " + endpoint.extensions.joined(separator: ", "))
        }
        if !endpoint.extensionsAfterTLS.isEmpty && !smtp {
          lines.append("      after TLS: " + endpoint.extensionsAfterTLS.joined(separator: ", "))
        }
        if let starttls = endpoint.starttls {
          lines.append("      STARTTLS: \(starttls ? "offered" : "not offered")")
        }
        if let loginDisabled = endpoint.loginDisabled {
          lines.append("      LOGINDISABLED before TLS: \(loginDisabled ? "yes (good)" : "no")")
        }
        if let methods = endpoint.authBeforeTLS, !methods.isEmpty {
          lines.append("      password methods before TLS: " + methods.joined(separator: " "))
        }
        if let tls = endpoint.tls {
          lines.append("      TLS: \(tls.version ?? "?")\(tls.cipher.map { ", \($0)" } ?? "")")
          lines.append(
            "      certificate: \(tls.subject ?? "?") issued by \(tls.issuer ?? "?"), valid until \(tls.notAfter ?? "?")"
          )
          lines.append(
            "      trust: \(tls.pkixValid ? "PKIX valid" : "not PKIX-valid (\(tls.error ?? "?"))"), name \(tls.nameMatch ? "matches" : "does not match")"
          )
        }
        lines.append("      DANE: \(endpoint.dane.summary)")
        for record in endpoint.dane.tlsa {
          lines.append("        TLSA \(record.summary)")
        }
        if let error = endpoint.error { lines.append("      error: \(error)") }
        if transcript {
          for line in endpoint.transcript { lines.append("        " + line.speaker.prefix + line.text) }
        }
      }
    }
    lines.append("")
    lines.append(style.bold("DNS"))
    for lookup in report.dns {
      let records = lookup.records.isEmpty ? "" : "  " + lookup.records.joined(separator: ", ")
      lines.append(
        "  \(lookup.name) \(lookup.type): \(lookup.status.rawValue)\(lookup.reason.map { " (\($0))" } ?? "")\(records)"
      )
    }
    return style.render(lines)
  }
}
