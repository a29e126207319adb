import MailFlowModel
import TerminalUI

/// The details pane: everything about the selected hop (roles, every option with its rating and why,
/// threats and defences, RFCs to open), or the RFC opened from it.
enum DetailsView {
  /// The pane's text for a given text width. Lines that belong to an RFC link carry its number.
  static func lines(_ state: ExplorerState, width: Int) -> [StyledLine] {
    if let number = state.openRFC, let entry = state.knowledge.rfc(number) {
      return rfcLines(entry, state: state, width: width)
    }
    return hopLines(state, width: width)
  }

  /// The RFC links in the content, in order of appearance, each with its first line.
  static func links(_ lines: [StyledLine]) -> [ExplorerViewport.Text.Link] {
    var seen: [ExplorerViewport.Text.Link] = []
    for (index, line) in lines.enumerated() {
      if let link = line.link, seen.last?.number != link { seen.append(.init(number: link, line: index)) }
    }
    return seen
  }

  static func hopLines(_ state: ExplorerState, width: Int) -> [StyledLine] {
    let base = state.knowledge
    let hop = state.hop
    let ascii = state.ascii
    // A probed hop starts with what was measured; what the hop could be follows.
    var out: [StyledLine] = ProbeDetailsView.lines(state, width: width)
    let direction =
      hop.direction == .pull ? "pulled: the receiving side connects" : "pushed: the sending side connects"
    out += StyledLine.wrapped(
      prefix: [StyledLine.Span("\(hop.label) \(hop.title)", .title), StyledLine.Span("  ")],
      "\(hop.fromLabel) → \(hop.toLabel) · \(direction)\(hop.repeatable ? ", one or more times" : "")",
      width: width, indent: 2)
    out += StyledLine.wrapped(hop.summary, width: width)

    out.append(.blank)
    out.append(StyledLine("Roles", .header))
    var roleIDs: [String] = []
    for id in hop.fromRoles + hop.toRoles where !roleIDs.contains(id) { roleIDs.append(id) }
    for role in roleIDs.compactMap(base.role) {
      out.append(
        StyledLine([
          StyledLine.Span("  "), StyledLine.Span(role.id, .emphasis), StyledLine.Span("  " + role.name),
        ]))
      out += StyledLine.wrapped(
        prefix: [StyledLine.Span("    ")], role.definition, role: .normal, width: width)
    }

    out.append(.blank)
    out.append(StyledLine("Ways to carry this hop", .header))
    for option in hop.options {
      let rating = base.rating(of: option)
      out += StyledLine.wrapped(
        prefix: [StyledLine.Span("  "), RatingStyle.span(rating, ascii: ascii), StyledLine.Span(" ")],
        base.describe(option), role: .emphasis, width: width)
      if let mode = base.mode(option.modeID) {
        out += StyledLine.wrapped(prefix: [StyledLine.Span("     ")], mode.why, role: .normal, width: width)
      }
    }

    let threats = base.threats(on: hop)
    if !threats.isEmpty {
      out.append(.blank)
      out.append(StyledLine("Threats and defences", .header))
      for threat in threats {
        out += StyledLine.wrapped(
          prefix: [
            StyledLine.Span("  \(state.glyphs.bullet) "), StyledLine.Span(threat.name, .warning),
            StyledLine.Span(" · ", .muted),
          ], "\(threat.attacker.rawValue) attacker", role: .muted, width: width, indent: 4)
        out += StyledLine.wrapped(prefix: [StyledLine.Span("    ")], threat.description, width: width)
        // The defences this hop can use; all of them where the hop lists none.
        let available = threat.defendedBy.filter { id in hop.options.contains { $0.modeID == id } }
        let stoppers = (available.isEmpty ? threat.defendedBy : available).compactMap(base.mode).map {
          "\($0.rating.symbol(ascii: ascii)) \($0.name)"
        }
        out += StyledLine.wrapped(
          prefix: [StyledLine.Span("    stopped by: ", .muted)], stoppers.joined(separator: ", "),
          role: .ratingSecure, width: width, indent: 4)
        out += StyledLine.wrapped(
          prefix: [StyledLine.Span("    ")], threat.defence, role: .muted, width: width)
      }
    }

    out.append(.blank)
    out.append(StyledLine("RFCs (↑/↓ highlight, Enter opens)", .header))
    for entry in hop.rfcs.compactMap(base.rfc) {
      out += StyledLine.wrapped(
        prefix: [
          StyledLine.Span("  "), StyledLine.Span("RFC \(entry.number)", .link), StyledLine.Span("  "),
        ],
        entry.title, width: width, indent: 12, link: entry.number)
    }
    return out
  }

  static func rfcLines(_ entry: RFCEntry, state: ExplorerState, width: Int) -> [StyledLine] {
    let base = state.knowledge
    var out: [StyledLine] = []
    out += StyledLine.wrapped("RFC \(entry.number): \(entry.title)", role: .title, width: width)
    out.append(StyledLine("\(entry.year) · \(entry.status) · rfc-editor.org/rfc/rfc\(entry.number)", .muted))
    out.append(.blank)
    out += StyledLine.wrapped(entry.summary, width: width)
    out.append(.blank)
    out.append(StyledLine("Concerns", .header))
    func field(_ name: String, _ values: [String]) {
      guard !values.isEmpty else { return }
      out += StyledLine.wrapped(
        prefix: [StyledLine.Span("  " + TextWrapper.pad(name, to: 11), .emphasis)],
        values.joined(separator: ", "),
        width: width)
    }
    field("roles", entry.concerns.roles.map { id in base.role(id).map { "\(id) (\($0.name))" } ?? id })
    field("hops", entry.concerns.hops.compactMap(base.hop).map { "\($0.label) \($0.title)" })
    field(
      "modes",
      entry.concerns.modes.compactMap(base.mode).map { "\($0.rating.symbol(ascii: state.ascii)) \($0.name)" })
    field("protocols", entry.concerns.protocols.compactMap(base.mailProtocol).map(\.nameWithPort))
    for number in entry.obsoletedBy {
      out.append(.blank)
      out.append(
        StyledLine(
          [StyledLine.Span("  Obsoleted by "), StyledLine.Span("RFC \(number)", .link)], link: number))
    }
    out.append(.blank)
    out.append(StyledLine("Esc: back to the hop", .muted))
    return out
  }

  static func render(
    _ state: ExplorerState, in rect: Rect, columns: Int = 1, into frame: inout ExplorerFrame
  ) {
    let title = state.openRFC.map { "RFC \($0)" } ?? "Details: \(state.hop.label) \(state.hop.title)"
    PaneChrome.draw(
      rect, title: title, focused: state.focus == .details, into: &frame.buffer, glyphs: state.glyphs)
    frame.hits.append((rect.inner, .pane(.details)))
    let content = lines(state, width: PaneChrome.textWidth(rect, columns: columns))
    var (text, placed) = PaneChrome.drawScrolled(
      content, scroll: state.detailsScroll, in: rect, columns: columns, glyphs: state.glyphs,
      into: &frame.buffer)
    text.links = links(content)
    text.matches = PaneChrome.highlight(state, .details, in: content, placed: placed, into: &frame.buffer)
    frame.viewport.details = text
    let selectedLink = state.detailsLink.flatMap { index in
      text.links.indices.contains(index) ? text.links[index].number : nil
    }
    for (line, lineRect) in placed {
      guard let link = content[line].link else { continue }
      if link == selectedLink && state.focus == .details { frame.buffer.reverse(lineRect) }
      frame.hits.append((lineRect, .link(link)))
    }
  }
}
