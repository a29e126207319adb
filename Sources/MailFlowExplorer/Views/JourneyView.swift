import MailFlowModel
import TerminalUI

/// The journey pane: the scenario, the current step's narrative, what an on-path observer can read,
/// and the protocol dialogue — optionally as the observer sees it, encrypted lines masked.
enum JourneyView {
  static func lines(_ state: ExplorerState, width: Int) -> [StyledLine] {
    guard let journey = state.journey, let step = state.journeyStep else {
      return [StyledLine("The knowledge base has no journeys.", .muted)]
    }
    let base = state.knowledge
    let hop = base.hop(step.hopID)
    var out: [StyledLine] = []
    out += StyledLine.wrapped(
      prefix: [
        StyledLine.Span(journey.name, .title),
        StyledLine.Span(" · scenario \(state.scenario + 1) of \(state.journeys.count) · ", .muted),
      ], "\(journey.sender) → \(journey.recipient)", role: .muted, width: width, indent: 2)
    out += StyledLine.wrapped(journey.summary, role: .muted, width: width)
    out.append(.blank)

    let rating = base.rating(of: step)
    out += StyledLine.wrapped(
      prefix: [
        StyledLine.Span("Step \(state.step + 1) of \(journey.steps.count)", .header),
        StyledLine.Span("  \(hop.map { "\($0.label) \($0.fromLabel) → \($0.toLabel)" } ?? step.hopID)  "),
        RatingStyle.span(rating, ascii: state.ascii, padded: false), StyledLine.Span(" "),
      ], step.title, role: .emphasis, width: width, indent: 2)
    out += StyledLine.wrapped(step.narrative, width: width)
    out.append(.blank)
    let observerRole: StyleRole =
      switch step.observer {
      case .everything: .ratingInsecure
      case .metadata: .ratingWeak
      case .nothing: .internal
      }
    out += StyledLine.wrapped(
      prefix: [
        StyledLine.Span("An on-path observer reads: "), StyledLine.Span(step.observer.label, observerRole),
        StyledLine.Span(" — "),
      ],
      step.observerNote, role: .muted, width: width, indent: 2)
    out.append(.blank)
    out.append(
      StyledLine(
        state.observerView
          ? "Transcript as an on-path observer sees it (o: show it in clear)"
          : "Transcript (o: as an on-path observer sees it)", .header))
    out += transcript(step, observerView: state.observerView, glyphs: state.glyphs, width: width)
    return out
  }

  static func transcript(_ step: JourneyStep, observerView: Bool, glyphs: Glyphs, width: Int) -> [StyledLine]
  {
    let encrypted = step.encryptedLines
    var out: [StyledLine] = []
    for (line, isEncrypted) in zip(step.transcript, encrypted) {
      let prefix = line.speaker.prefix
      let role: StyleRole =
        switch line.speaker {
        case .client: .client
        case .server: .server
        case .tls: .tlsMarker
        case .attacker: .attacker
        case .note: .note
        }
      var text = line.text
      var textRole = role
      if observerView && line.speaker != .note {
        if step.observer == .nothing {
          text = "(not on the network)"
          textRole = .muted
        } else if isEncrypted {
          let mask: Character = glyphs == .ascii ? "#" : "░"
          text =
            String(repeating: mask, count: max(3, min(DisplayWidth.of(line.text), width - 16)))
            + " (encrypted)"
          textRole = .muted
        }
      }
      out += StyledLine.wrapped(
        prefix: [StyledLine.Span("  "), StyledLine.Span(prefix, role)], text, role: textRole, width: width)
    }
    return out
  }

  static func render(
    _ state: ExplorerState, in rect: Rect, columns: Int = 1, into frame: inout ExplorerFrame
  ) {
    let title = "Journey" + (state.journey.map { ": \($0.name)" } ?? "")
    PaneChrome.draw(
      rect, title: title, focused: state.focus == .journey, into: &frame.buffer, glyphs: state.glyphs)
    frame.hits.append((rect.inner, .pane(.journey)))
    let content = lines(state, width: PaneChrome.textWidth(rect, columns: columns))
    var (text, placed) = PaneChrome.drawScrolled(
      content, scroll: state.journeyScroll, in: rect, columns: columns, glyphs: state.glyphs,
      into: &frame.buffer)
    text.matches = PaneChrome.highlight(state, .journey, in: content, placed: placed, into: &frame.buffer)
    frame.viewport.journey = text
  }
}
