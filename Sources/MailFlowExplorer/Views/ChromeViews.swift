import MailFlowModel
import TerminalUI

/// The header line: the title and the rating legend.
enum HeaderView {
  static func render(_ state: ExplorerState, in rect: Rect, into buffer: inout ScreenBuffer) {
    buffer.fill(rect, with: Cell(" ", role: .header))
    var legend: [StyledLine.Span] = []
    for rating in Rating.knowledgeRatings {
      legend.append(StyledLine.Span(rating.symbol(ascii: state.ascii), RatingStyle.role(rating)))
      legend.append(StyledLine.Span(" " + shortLabel(rating) + "  ", .header))
    }
    let line = StyledLine(legend)
    let legendWidth = DisplayWidth.of(line.text)
    if let probe = state.probe {
      // The probed domain, its weakest hop and the state of the probe; the legend where it fits.
      // The legend of all seven ratings stays: with its words where they fit, else the symbols alone,
      // and the status gives way (cut with "…") before the symbols do.
      let legends = [true, false].map { words in
        StyledLine(
          Rating.allCases.flatMap { rating in
            [
              StyledLine.Span(rating.symbol(ascii: state.ascii), RatingStyle.role(rating)),
              StyledLine.Span(words ? " " + shortLabel(rating) + "  " : " ", .header),
            ]
          })
      }
      // The status in full, or without the words on the weakest link when that is what makes room.
      let statuses = [false, true].map { brief in
        StyledLine(
          [StyledLine.Span(" mailflow · " + Punycode.bothForms(probe.domain) + " ", .header)]
            + probeStatus(probe, ascii: state.ascii, brief: brief).spans)
      }
      let fits = { (status: StyledLine, legend: StyledLine) in
        DisplayWidth.of(status.text) + 2 + DisplayWidth.of(legend.text) <= rect.width
      }
      let (status, legend) =
        [(statuses[0], legends[0]), (statuses[0], legends[1]), (statuses[1], legends[1])].first(where: fits)
        ?? (statuses[1], legends[1])
      let legendWidth = DisplayWidth.of(legend.text)
      buffer.put(
        status.truncated(to: max(10, rect.width - legendWidth - 2)), x: rect.x, y: rect.y, clip: rect)
      buffer.put(legend, x: rect.maxX - legendWidth, y: rect.y, clip: rect)
      return
    }
    let long =
      state.mode == .journey ? " mailflow · journey" : " mailflow · how an e-mail travels, hop by hop"
    let title = DisplayWidth.of(long) + 2 + legendWidth <= rect.width ? long : " mailflow"
    let end = buffer.put(title, x: rect.x, y: rect.y, role: .header)
    buffer.put(line, x: max(end + 2, rect.maxX - legendWidth), y: rect.y, clip: rect)
  }

  /// `✘ weak · limited by relay · 1.8 s`, `⠹ probing… 0.8 s`, `report of …`.
  /// `brief` leaves out the words on the weakest link (the rating itself stays) and a report's file.
  static func probeStatus(_ probe: LiveProbe, ascii: Bool, brief: Bool = false) -> StyledLine {
    var parts: [[StyledLine.Span]] = []
    if let overall = probe.overall {
      let rating = [
        StyledLine.Span(probe.phase == .finished ? "" : "so far ", .header),
        RatingStyle.span(overall.rating, ascii: ascii, padded: false),
        StyledLine.Span(" \(overall.rating.rawValue)", .header),
      ]
      parts.append(rating)
      if brief {
      } else if overall.rating == .secure {
        parts.append([StyledLine.Span("every measured hop secure", .header)])
      } else if let hop = overall.limitedBy {
        parts.append([StyledLine.Span("weakest link: \(hop)", .header)])
      }
    }
    switch probe.phase {
    case .running:
      parts.append([StyledLine.Span("\(probe.spinner(ascii: ascii)) probing… \(probe.elapsedText)", .header)])
    case .cancelled:
      parts.append([StyledLine.Span("cancelled after \(probe.elapsedText)", .header)])
    case .finished:
      if let file = probe.file {
        let from = brief ? "" : " (\(file))"
        parts.append([StyledLine.Span("report of \(probe.report?.startedAt ?? "?")\(from)", .header)])
      } else {
        parts.append([StyledLine.Span(probe.elapsedText, .header)])
      }
    }
    var spans: [StyledLine.Span] = []
    for (index, part) in parts.enumerated() {
      if index > 0 { spans.append(StyledLine.Span(" · ", .header)) }
      spans += part
    }
    return StyledLine(spans)
  }

  static func shortLabel(_ rating: Rating) -> String {
    switch rating {
    case .secure: "protected"
    case .weak: "downgradable"
    case .insecure: "cleartext"
    case .broken: "broken"
    case .internal: "internal"
    case .none: "none"
    case .unknown: "unknown"
    }
  }
}

/// The footer line: key hints for the focused pane, from the keymap that handles the keys.
enum FooterView {
  static func render(_ state: ExplorerState, keymap: Keymap, in rect: Rect, into buffer: inout ScreenBuffer) {
    if let prompt = state.prompt {
      renderPrompt(prompt, state: state, keymap: keymap, in: rect, into: &buffer)
      return
    }
    // The pane's own keys (or a status message) on the left; help and quit always on the right.
    let hints = keymap.hints(for: state)
    let global = keymap.hints(for: state, scopes: [.global]).filter {
      state.overlay == nil ? ["help", "quit"].contains($0.text) : $0.text == "help"
    }
    let local = hints.filter { hint in !global.contains { $0 == hint } }
    let globalWidth = global.reduce(0) { $0 + DisplayWidth.of($1.key) + DisplayWidth.of($1.text) + 3 }
    var x = rect.maxX - globalWidth
    for (key, text) in global {
      x = buffer.put(key, x: x, y: rect.y, role: .keyHint)
      x = buffer.put(" " + text, x: x, y: rect.y, role: .muted) + 2
    }
    if let status = state.status {
      // A message keeps its point: it wraps onto the lines the layout gave the footer for it.
      let lines = TextWrapper.wrap(status, width: statusRoom(rect.width, globalWidth: globalWidth))
      for (row, line) in lines.prefix(rect.height).enumerated() {
        let cut = row == rect.height - 1 && lines.count > rect.height
        buffer.put(
          cut
            ? TextWrapper.truncate(line + " …", width: statusRoom(rect.width, globalWidth: globalWidth))
            : line,
          x: rect.x + 1, y: rect.y + row, role: .emphasis)
      }
      return
    }
    x = rect.x + 1
    for (key, text) in local {
      let width = DisplayWidth.of(key) + 1 + DisplayWidth.of(text)
      guard x + width <= rect.maxX - globalWidth - 1 else { break }
      x = buffer.put(key, x: x, y: rect.y, role: .keyHint)
      x = buffer.put(" " + text, x: x, y: rect.y, role: .muted) + 2
    }
  }
}

extension FooterView {
  /// Footer lines never take more than this from the panes.
  static let maximumHeight = 4

  static func statusRoom(_ width: Int, globalWidth: Int) -> Int { max(10, width - globalWidth - 2) }

  /// Lines the footer needs: one, or more for a message (or a prompt's error) that would not fit.
  static func height(_ state: ExplorerState, keymap: Keymap, width: Int) -> Int {
    if let prompt = state.prompt, let error = prompt.error {
      let used = DisplayWidth.of(prompt.label) + DisplayWidth.of(prompt.editor.text) + 4
      guard used + DisplayWidth.of(error) > width - 1 else { return 1 }
      return min(maximumHeight, 1 + TextWrapper.wrap(error, width: max(10, width - 2)).count)
    }
    guard state.prompt == nil, let status = state.status else { return 1 }
    let globalWidth = keymap.hints(for: state, scopes: [.global]).filter {
      state.overlay == nil ? ["help", "quit"].contains($0.text) : $0.text == "help"
    }.reduce(0) { $0 + DisplayWidth.of($1.key) + DisplayWidth.of($1.text) + 3 }
    return min(
      maximumHeight, TextWrapper.wrap(status, width: statusRoom(width, globalWidth: globalWidth)).count)
  }

  /// The prompt on the footer line: label, the text with its cursor, then the error or the keys.
  static func renderPrompt(
    _ prompt: ExplorerState.Prompt, state: ExplorerState, keymap: Keymap, in rect: Rect,
    into buffer: inout ScreenBuffer
  ) {
    var x = buffer.put(prompt.label, x: rect.x + 1, y: rect.y, role: .emphasis)
    let characters = Array(prompt.editor.text)
    let cursor = min(prompt.editor.cursor, characters.count)
    // Keep the cursor in view: show the end of a long path.
    let room = max(10, rect.maxX - x - 30)
    let start = max(0, cursor - room + 1)
    let visible = String(characters[min(start, characters.count)..<min(characters.count, start + room)])
    let textX = x
    x = buffer.put(visible, x: x, y: rect.y, clip: rect)
    let cursorX = textX + DisplayWidth.of(String(characters[min(start, cursor)..<cursor]))
    if cursorX < rect.maxX {
      if cursorX >= x { buffer.put(" ", x: cursorX, y: rect.y) }
      buffer.reverse(Rect(x: cursorX, y: rect.y, width: 1, height: 1))
    }
    x = max(x, cursorX + 1) + 2
    if let error = prompt.error {
      if rect.height == 1 {
        buffer.put(
          TextWrapper.truncate(error, width: rect.maxX - x), x: x, y: rect.y, role: .warning, clip: rect)
      } else {
        // Too long to follow the text: on the lines below, whole.
        let lines = TextWrapper.wrap(error, width: max(10, rect.width - 2))
        for (row, line) in lines.prefix(rect.height - 1).enumerated() {
          buffer.put(line, x: rect.x + 1, y: rect.y + 1 + row, role: .warning, clip: rect)
        }
      }
      return
    }
    for (key, text) in keymap.hints(for: state) {
      let width = DisplayWidth.of(key) + 1 + DisplayWidth.of(text)
      guard x + width <= rect.maxX else { break }
      x = buffer.put(key, x: x, y: rect.y, role: .keyHint)
      x = buffer.put(" " + text, x: x, y: rect.y, role: .muted) + 2
    }
  }
}

/// Shown instead of everything else while the terminal is below the minimum size.
enum TooSmallView {
  static func render(_ state: ExplorerState, into buffer: inout ScreenBuffer) {
    let lines = [
      "terminal too small: need \(ExplorerState.minimumWidth)×\(ExplorerState.minimumHeight), have \(state.width)×\(state.height)",
      "enlarge the window, or press q to quit",
    ]
    var y = max(0, buffer.height / 2 - 1)
    for (i, line) in lines.enumerated() {
      for part in TextWrapper.wrap(line, width: max(1, buffer.width)) {
        let x = max(0, (buffer.width - DisplayWidth.of(part)) / 2)
        buffer.put(part, x: x, y: y, role: i == 0 ? .warning : .muted)
        y += 1
      }
    }
  }
}

/// The help overlay: every binding of the keymap, by scope.
enum HelpOverlay {
  /// Where the overlay sits on a screen of the state's size.
  static func rect(_ state: ExplorerState, keymap: Keymap) -> Rect {
    layout(state, keymap: keymap).rect
  }

  /// The overlay's place and text, computed together (the height depends on the wrapped text).
  static func layout(_ state: ExplorerState, keymap: Keymap) -> (rect: Rect, lines: [StyledLine]) {
    let width = min(state.width - 4, 84)
    let content = lines(keymap: keymap, width: width)
    let height = min(state.height - 2, content.count + 2)
    let rect = Rect(
      x: (state.width - width) / 2, y: (state.height - height) / 2, width: width, height: height)
    return (rect, content)
  }

  /// The overlay's text for an overlay `width` columns wide.
  static func lines(keymap: Keymap, width: Int) -> [StyledLine] {
    let textWidth = width - 4
    var out: [StyledLine] = []
    for scope in Keymap.Scope.allCases {
      let bindings = keymap.bindings.filter { $0.scope == scope }
      guard !bindings.isEmpty else { continue }
      if !out.isEmpty { out.append(.blank) }
      out.append(StyledLine(scope.rawValue, .header))
      for binding in bindings {
        let keys = binding.keys.map(\.label).joined(separator: " ")
        out += StyledLine.wrapped(
          prefix: [StyledLine.Span("  " + TextWrapper.pad(keys, to: 16), .keyHint)], binding.description,
          width: textWidth)
      }
    }
    out.append(.blank)
    out += StyledLine.wrapped(
      "Mouse: click a hop's arrow or row to select it; the wheel scrolls.", role: .muted, width: textWidth)
    return out
  }

  static func render(_ state: ExplorerState, keymap: Keymap, into frame: inout ExplorerFrame) {
    let (rect, content) = layout(state, keymap: keymap)
    OverlayWindow.render(content, in: rect, title: "Help · Esc closes", state: state, into: &frame)
  }
}

/// A window over the screen (help, transcripts): a focused box with scrolled lines and a scroll
/// indicator; clicks inside it belong to it.
enum OverlayWindow {
  /// A window up to 100 columns wide, centred, as tall as its text (at least one line): the text is
  /// made for the width inside it.
  static func centred(_ state: ExplorerState, lines: (Int) -> [StyledLine]) -> (
    rect: Rect, lines: [StyledLine]
  ) {
    let width = min(state.width - 4, 100)
    let content = lines(width - 4)
    let height = min(state.height - 2, max(3, content.count + 2))
    let rect = Rect(
      x: (state.width - width) / 2, y: (state.height - height) / 2, width: width, height: height)
    return (rect, content)
  }

  static func render(
    _ content: [StyledLine], in rect: Rect, title: String, state: ExplorerState,
    into frame: inout ExplorerFrame
  ) {
    frame.buffer.fill(rect)
    frame.buffer.box(rect, title: title, role: .borderFocused, glyphs: state.glyphs)
    frame.hits.append((rect, .overlay))
    var (text, placed) = PaneChrome.drawScrolled(
      content, scroll: state.helpScroll, in: rect, glyphs: state.glyphs, into: &frame.buffer)
    text.matches = PaneChrome.highlight(state, .overlay, in: content, placed: placed, into: &frame.buffer)
    frame.viewport.overlay = text
  }
}

extension KeyEvent {
  /// How a key is written in the help.
  public var label: String {
    switch self {
    case .character(" "): "Space"
    case .character(let c): String(c)
    case .control(let c): "Ctrl-" + c.uppercased()
    case .up: "↑"
    case .down: "↓"
    case .left: "←"
    case .right: "→"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .home: "Home"
    case .end: "End"
    case .tab: "Tab"
    case .backTab: "S-Tab"
    case .enter: "Enter"
    case .escape: "Esc"
    case .backspace: "Bksp"
    case .delete: "Del"
    case .function(let n): "F\(n)"
    case .resize: "resize"
    case .mouse: "mouse"
    }
  }
}
