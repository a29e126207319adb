import MailFlowModel
import MailFlowReport
import TerminalUI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The measured side of a probed hop: its rating and why, each endpoint's evidence (discovery source,
/// STARTTLS or implicit TLS, TLS version and cipher, the certificate and its trust, DANE record by
/// record), MTA-STS and TLS-RPT on the relay, and the DNS lookups behind it with their DNSSEC status.
enum ProbeDetailsView {
  static func lines(_ state: ExplorerState, width: Int) -> [StyledLine] {
    guard let probe = state.probe, LiveProbe.measuredHops.contains(state.hop.id), state.mode == .explore
    else {
      return []
    }
    let ascii = state.ascii
    var out: [StyledLine] = []
    let origin = probe.file.map { "report of \(probe.report?.startedAt ?? "?") (\($0))" } ?? "probed"
    out += StyledLine.wrapped(
      "Measured at \(Punycode.bothForms(probe.domain)) · \(origin)", role: .header, width: width, indent: 2)
    guard let hop = probe.hop(state.hop.id) else {
      let text =
        probe.isRunning
        ? "\(probe.spinner(ascii: ascii)) probing… \(probe.elapsedText)"
        : "not measured: \(probe.missingHopReason)"
      out.append(StyledLine("  " + text, .muted))
      out.append(.blank)
      return out
    }
    out += StyledLine.wrapped(
      prefix: [StyledLine.Span("  "), RatingStyle.span(hop.rating, ascii: ascii), StyledLine.Span(" ")],
      hop.summary,
      role: .emphasis, width: width, indent: 4)
    for note in hop.notes {
      out += StyledLine.wrapped(
        prefix: [StyledLine.Span("    note: ", .warning)], note, width: width, indent: 4)
    }
    if let since = probe.comparedWith {
      let changes = probe.changes(of: state.hop.id)
      out.append(.blank)
      out.append(StyledLine("  Changed since \(since)" + (changes.isEmpty ? ": nothing" : ""), .header))
      for change in changes {
        out += StyledLine.wrapped(
          prefix: [StyledLine.Span("    ")], change.line, role: change.worse ? .warning : .normal,
          width: width,
          indent: 6)
      }
    }
    for endpoint in hop.endpoints {
      out.append(.blank)
      out += StyledLine.wrapped(
        prefix: [
          StyledLine.Span("  "), RatingStyle.span(endpoint.rating, ascii: ascii), StyledLine.Span(" "),
        ],
        endpoint.heading, role: .emphasis, width: width, indent: 4)
      for fact in endpoint.facts { out += Self.lines(fact, indent: 4, ascii: ascii, width: width) }
    }
    if let sts = hop.mtaSts {
      out.append(.blank)
      out.append(StyledLine("  MTA-STS (\(sts.policyURL))", .header))
      for fact in sts.facts { out += Self.lines(fact, indent: 4, ascii: ascii, width: width) }
    }
    if let rpt = hop.tlsRpt {
      out.append(.blank)
      out += StyledLine.wrapped(
        prefix: [StyledLine.Span("  \(rpt.fact.label): ", .header)], rpt.fact.text, width: width, indent: 4)
    }
    if let authenticity = hop.authenticity {
      out.append(.blank)
      out.append(StyledLine("  Who may send as \(probe.domain) (SPF, DMARC)", .header))
      for fact in authenticity.facts { out += Self.lines(fact, indent: 4, ascii: ascii, width: width) }
    }
    let fixes = probe.report.map { $0.fixes(for: hop) } ?? hop.fixes ?? []
    if !fixes.isEmpty {
      out.append(.blank)
      out.append(StyledLine("  How to fix", .header))
      for fix in fixes {
        for (index, fact) in fix.facts.enumerated() {
          out += Self.lines(fact, indent: index == 0 ? 4 : 6, ascii: ascii, width: width)
        }
      }
    }
    let lookups = relevantLookups(hop, report: probe.report)
    if !lookups.isEmpty {
      out.append(.blank)
      out.append(StyledLine("  DNS lookups (DNSSEC)", .header))
      for lookup in lookups {
        let fact = lookup.fact
        let role: StyleRole =
          switch lookup.status {
          case .secure: .ratingSecure
          case .bogus: .ratingBroken
          default: .muted
          }
        out += StyledLine.wrapped(
          prefix: [
            StyledLine.Span("    \(fact.label): "), StyledLine.Span(lookup.status.rawValue, role),
            StyledLine.Span(" "),
          ],
          String(fact.text.dropFirst(lookup.status.rawValue.count).drop { $0 == " " }), width: width,
          indent: 6)
      }
    }
    out.append(.blank)
    out.append(StyledLine("  t shows the protocol transcripts", .muted))
    out.append(.blank)
    return out
  }

  /// One evidence row, wrapped: the same words as the CLI's text output, styled by kind.
  static func lines(_ fact: EvidenceFact, indent: Int, ascii: Bool, width: Int) -> [StyledLine] {
    let margin = StyledLine.Span(String(repeating: " ", count: indent))
    switch fact.kind {
    case .publish:
      return StyledLine.wrapped(prefix: [margin], fact.text, role: .client, width: width, indent: indent + 2)
    case .record(let matched):
      return StyledLine.wrapped(
        prefix: [margin, StyledLine.Span("  \(fact.label) ")], fact.text,
        role: matched ? .ratingSecure : .muted,
        width: width, indent: indent + 4)
    case .rated(let rating):
      return StyledLine.wrapped(
        prefix: [margin, RatingStyle.span(rating, ascii: ascii), StyledLine.Span(" ")], fact.line,
        width: width,
        indent: indent + 2)
    case .warning:
      return StyledLine.wrapped(
        prefix: [margin, StyledLine.Span("\(fact.label): ", .warning)], fact.text, width: width,
        indent: indent + 2)
    case .plain:
      return StyledLine.wrapped(prefix: [margin], fact.line, width: width, indent: indent + 2)
    }
  }

  /// The lookups that belong to a hop: its discovery (MX, SRV, MTA-STS, TLS-RPT, autoconfig) and its
  /// endpoints' addresses and TLSA records.
  static func relevantLookups(_ hop: ProbeReport.Hop, report: ProbeReport?) -> [ProbeReport.Lookup] {
    // Reports since version 2 say which lookups belong to the hop; each is shown once.
    if let lookups = hop.lookups {
      var seen: [ProbeReport.Lookup] = []
      for lookup in lookups where !seen.contains(lookup) { seen.append(lookup) }
      return seen
    }
    // Version 1 kept them only in `dns`: matched to the hop by name, as well as that allows.
    guard let report else { return [] }
    let hosts = Set(hop.endpoints.map { $0.host.lowercased() })
    let domain = report.domain.lowercased() + "."
    let labels: [String] =
      switch hop.id {
      case .relay: ["_mta-sts.", "_smtp._tls.", "mta-sts."]
      case .submission: ["_submissions._tcp.", "_submission._tcp.", "autoconfig.", "smtp.", "mail."]
      default:
        [
          "_imaps._tcp.", "_imap._tcp.", "_pop3s._tcp.", "_pop3._tcp.", "autoconfig.", "imap.", "pop.",
          "mail.",
        ]
      }
    let names = Set(labels.map { $0 + domain })
    var seen: [ProbeReport.Lookup] = []
    for lookup in report.dns {
      let name = lookup.name.lowercased()
      // The domain itself: its MX for the relay, its address (autoconfig's second URL) for the others.
      let ownName = name == domain ? (lookup.type == "MX") == (hop.id == .relay) : names.contains(name)
      let owns = hosts.contains(name) || hosts.contains { name.hasSuffix("." + $0) } || ownName
      if owns && !seen.contains(lookup) { seen.append(lookup) }
    }
    return seen
  }

}

/// How an endpoint was found, in words: `found through SRV _imaps._tcp, autoconfig`, `guessed from the
/// common name`, `given on the command line`.
func foundThrough(_ endpoint: ProbeReport.Endpoint) -> String {
  guard !endpoint.sources.isEmpty else { return "found in a way the report does not say" }
  return endpoint.sources.map { source in
    switch source {
    case .mx: "found through MX"
    case .implicitMX: "found as the implicit MX (the domain has no MX records)"
    case .srv: "found through SRV \(endpoint.service.srvLabel)"
    case .autoconfig: "found through autoconfig"
    case .guess: "guessed from the common name"
    case .commandLine: "given on the command line"
    }
  }.joined(separator: ", ")
}

/// The protocol transcripts of the selected hop's probed endpoints, in a window over the screen.
enum TranscriptOverlay {
  static func lines(_ state: ExplorerState, width: Int) -> [StyledLine] {
    guard let hop = state.probe?.hop(state.hop.id) else { return [] }
    var out: [StyledLine] = []
    for endpoint in hop.endpoints where !endpoint.transcript.isEmpty {
      if !out.isEmpty { out.append(.blank) }
      out.append(
        StyledLine(
          "\(endpoint.service) \(endpoint.place)",
          .header))
      for line in endpoint.transcript {
        let role: StyleRole =
          switch line.speaker {
          case .client: .emphasis
          case .server: .normal
          case .tls: .ratingSecure
          case .attacker: .attacker
          case .note: .muted
          }
        out += StyledLine.wrapped(
          prefix: [StyledLine.Span(line.speaker.prefix, role)], line.text, role: role, width: width, indent: 3
        )
      }
    }
    return out
  }

  static func layout(_ state: ExplorerState) -> (rect: Rect, lines: [StyledLine]) {
    OverlayWindow.centred(state) { lines(state, width: $0) }
  }

  static func render(_ state: ExplorerState, into frame: inout ExplorerFrame) {
    let (rect, content) = layout(state)
    OverlayWindow.render(
      content, in: rect, title: "Transcript · \(state.hop.label) \(state.hop.title) · Esc closes",
      state: state,
      into: &frame)
  }
}

/// The probed domain's checklist as a window: a line per check, its status as a rating mark.
enum ChecklistOverlay {
  static func lines(_ state: ExplorerState, width: Int) -> [StyledLine] {
    guard let report = state.probe?.report else { return [] }
    var out: [StyledLine] = []
    for check in report.checks ?? Checklist.checks(report) {
      let rating = check.status.rating
      out += StyledLine.wrapped(
        prefix: [
          RatingStyle.span(rating, ascii: state.ascii), StyledLine.Span(" "),
          StyledLine.Span(check.title, .emphasis),
          StyledLine.Span("  "),
        ],
        check.detail, role: .muted, width: width, indent: 4)
    }
    return out
  }

  static func render(_ state: ExplorerState, into frame: inout ExplorerFrame) {
    let (rect, content) = OverlayWindow.centred(state) { lines(state, width: $0) }
    OverlayWindow.render(
      content, in: rect, title: "Checklist · \(state.probe?.domain ?? "") · Esc closes", state: state,
      into: &frame)
  }
}
