import MailFlowModel
import TerminalUI

/// The message-submission diagram: the roles as boxes, each hop an arrow with its number and rating,
/// the sender and recipient sides labelled, the last hop drawn as the recipient's pull.
enum DiagramView {
  /// The boxes in order: where the first hop starts, then where each hop arrives. A repeatable hop
  /// (relay) arrives at its last role (the MX); a hop into several roles at once shows them joined.
  static func nodes(_ hops: [Hop]) -> [String] {
    guard let first = hops.first else { return [] }
    return [first.fromRoles.joined(separator: "➔")]
      + hops.map { hop in
        hop.repeatable ? (hop.toRoles.last ?? hop.toLabel) : hop.toRoles.joined(separator: "➔")
      }
  }

  /// The rating each hop's arrow shows: the best available in the knowledge view; in a journey, the
  /// way the journey carries the hop (the current step's, where it is on that hop), or `unknown` for a
  /// hop the journey never takes (a traced message has not been read yet, say).
  static func ratings(_ state: ExplorerState) -> [Rating] {
    let base = state.knowledge
    return base.hops.map { hop in
      if state.mode == .journey { return state.journeyStep(on: hop).map(base.rating(of:)) ?? .unknown }
      if let measured = state.measured(hop) { return measured.rating }
      if state.isProbing(hop) { return .unknown }
      if state.probe != nil && LiveProbe.measuredHops.contains(hop.id) { return .unknown }
      return base.bestRating(of: hop)
    }
  }

  static func render(_ state: ExplorerState, in rect: Rect, into frame: inout ExplorerFrame) {
    let glyphs = state.glyphs
    let base = state.knowledge
    PaneChrome.draw(
      rect, title: title(state), focused: state.focus == .diagram, into: &frame.buffer, glyphs: glyphs)
    let inner = rect.inner
    guard inner.height >= 3, !base.hops.isEmpty else { return }

    let labels = nodes(base.hops)
    let boxWidths = labels.map { DisplayWidth.of($0) + 4 }
    let gaps = labels.count - 1
    let ratings = ratings(state)
    let numbers = base.hops.indices.prefix(gaps).map { i in
      let mark =
        state.isProbing(base.hops[i])
        ? state.probe?.spinner(ascii: state.ascii) ?? "" : ratings[i].symbol(ascii: state.ascii)
      return "\(base.hops[i].label) \(mark)"
    }
    // Each arrow is at least as wide as its number and rating plus a space each side, so a label never
    // runs into a box; the room left is shared evenly.
    let captions = base.hops.prefix(gaps).map { hop in
      hop.direction == .pull ? "pull" : (hop.repeatable ? "1..n" : "")
    }
    let minimumGaps = zip(numbers, captions).map { max(3, DisplayWidth.of($0) + 2, DisplayWidth.of($1) + 2) }
    let free = inner.width - 2 - boxWidths.reduce(0, +) - minimumGaps.reduce(0, +)
    let extra = max(0, min(18 - (minimumGaps.max() ?? 0), free / max(1, gaps)))
    let gapWidths = minimumGaps.map { $0 + extra }
    let used = boxWidths.reduce(0, +) + gapWidths.reduce(0, +)
    var x = inner.x + max(0, (inner.width - used) / 2)
    let top = inner.y
    var nodeSpans: [(Int, Int)] = []

    for (i, label) in labels.enumerated() {
      let w = boxWidths[i]
      let highlighted =
        base.hops.indices.contains(state.selectedHop)
        && (i == state.selectedHop || i == state.selectedHop + 1)
      let role: StyleRole = highlighted ? .emphasis : .normal
      let line = String(repeating: glyphs.horizontal, count: w - 2)
      frame.buffer.put(
        String(glyphs.topLeft) + line + String(glyphs.topRight), x: x, y: top, role: role, clip: inner)
      frame.buffer.put(
        String(glyphs.vertical) + " " + label + " " + String(glyphs.vertical), x: x, y: top + 1, role: role,
        clip: inner)
      frame.buffer.put(
        String(glyphs.bottomLeft) + line + String(glyphs.bottomRight), x: x, y: top + 2, role: role,
        clip: inner)
      nodeSpans.append((x, x + w))
      x += w
      guard i < gaps else { break }

      let hop = base.hops[i]
      let gapWidth = gapWidths[i]
      let selected = i == state.selectedHop
      let arrowRole = RatingStyle.role(ratings[i])
      let number = numbers[i]
      let gapRect = Rect(x: x, y: top, width: gapWidth, height: 3)
      frame.buffer.put(
        TextWrapper.pad(center(number, gapWidth), to: gapWidth), x: x, y: top, role: arrowRole,
        reversed: selected,
        clip: inner)
      let shaft = String(
        repeating: selected ? glyphs.heavyHorizontal : glyphs.horizontal, count: gapWidth - 1)
      let arrow =
        hop.direction == .pull ? String(glyphs.arrowLeft) + shaft : shaft + String(glyphs.arrowRight)
      frame.buffer.put(arrow, x: x, y: top + 1, role: arrowRole, reversed: selected, clip: inner)
      let caption = captions[i]
      frame.buffer.put(
        TextWrapper.pad(center(caption, gapWidth), to: gapWidth), x: x, y: top + 2, role: .muted,
        reversed: selected, clip: inner)
      frame.hits.append((gapRect, .hop(i, in: .diagram)))
      x += gapWidth
    }

    drawSides(state, nodeSpans: nodeSpans, rect: rect, into: &frame.buffer)
    if inner.height >= 4 {
      frame.buffer.put(
        description(state).truncated(to: inner.width - 1), x: inner.x + 1, y: top + 3, clip: inner)
    }
  }

  /// "sender side" and "recipient side" in the top border, centred over their boxes: the boxes up to the
  /// relay hop's sender belong to the sender, the rest to the recipient.
  private static func drawSides(
    _ state: ExplorerState, nodeSpans: [(Int, Int)], rect: Rect, into buffer: inout ScreenBuffer
  ) {
    guard let relay = state.knowledge.hops.firstIndex(where: \.repeatable), relay + 1 < nodeSpans.count else {
      return
    }
    let sides = [
      (" sender side ", nodeSpans[0].0, nodeSpans[relay].1),
      (" recipient side ", nodeSpans[relay + 1].0, nodeSpans[nodeSpans.count - 1].1),
    ]
    // Each label lies over its own side, after whatever is already in the border (the title,
    // the sender label). When the title leaves no room for that, the border says just "Diagram"; a
    // label that still does not fit over its side is left out rather than put over the other side.
    let full = title(state)
    for candidate in [full, "Diagram"] {
      var taken = rect.x + 2 + DisplayWidth.of(" \(candidate) ")
      var placements: [(String, Int)] = []
      for (index, (text, from, to)) in sides.enumerated() {
        let width = DisplayWidth.of(text)
        let start = max(taken + 2, from + (to - from - width) / 2)
        // The sender's label may reach over the relay's arrow, not over the recipient's boxes.
        let limit = index + 1 < sides.count ? sides[index + 1].1 - 1 : rect.maxX - 1
        guard start + width <= limit else { continue }
        placements.append((text, start))
        taken = start + width
      }
      guard placements.count == sides.count || candidate != full else { continue }
      if candidate != full {
        PaneChrome.draw(
          rect, title: candidate, focused: state.focus == .diagram, into: &buffer, glyphs: state.glyphs)
      }
      for (text, start) in placements { buffer.put(text, x: start, y: rect.y, role: .header) }
      return
    }
  }

  /// Says what the arrows' ratings are: the best each hop can do, or how this journey carries it.
  static func title(_ state: ExplorerState) -> String {
    if state.mode == .journey { return "Diagram · this journey" }
    if let probe = state.probe { return "Diagram · measured at \(Punycode.bothForms(probe.domain))" }
    return "Diagram · best option per hop"
  }

  /// One line on the selected hop (explore) or the current step (journey).
  static func description(_ state: ExplorerState) -> StyledLine {
    let hop = state.hop
    let base = state.knowledge
    if state.mode == .journey, let step = state.journeyStep {
      let rating = base.rating(of: step)
      return StyledLine([
        StyledLine.Span("\(hop.label) \(hop.title): ", .emphasis),
        RatingStyle.span(rating, ascii: state.ascii),
        StyledLine.Span(" " + step.title),
      ])
    }
    if let measured = state.measured(hop) {
      return StyledLine([
        StyledLine.Span("\(hop.label) \(hop.title): ", .emphasis),
        RatingStyle.span(measured.rating, ascii: state.ascii, padded: false),
        StyledLine.Span(" " + measured.summary),
      ])
    }
    if state.isProbing(hop), let probe = state.probe {
      return StyledLine([
        StyledLine.Span("\(hop.label) \(hop.title): ", .emphasis),
        StyledLine.Span(
          "\(probe.spinner(ascii: state.ascii)) probing \(Punycode.bothForms(probe.domain))… \(probe.elapsedText)",
          .muted),
      ])
    }
    if let probe = state.probe, LiveProbe.measuredHops.contains(hop.id) {
      return StyledLine([
        StyledLine.Span("\(hop.label) \(hop.title): ", .emphasis),
        StyledLine.Span("not measured: \(probe.missingHopReason)", .muted),
      ])
    }
    let best = hop.options.first { base.rating(of: $0) == base.bestRating(of: hop) }
    var spans = [StyledLine.Span("\(hop.label) \(hop.title): \(hop.fromLabel) → \(hop.toLabel)", .emphasis)]
    if let best {
      spans += [
        StyledLine.Span("   best: "),
        RatingStyle.span(base.rating(of: best), ascii: state.ascii, padded: false),
        StyledLine.Span(" " + base.describe(best)),
      ]
    }
    return StyledLine(spans)
  }

  private static func center(_ text: String, _ width: Int) -> String {
    let w = DisplayWidth.of(text)
    guard w < width else { return text }
    return String(repeating: " ", count: (width - w) / 2) + text
  }
}
