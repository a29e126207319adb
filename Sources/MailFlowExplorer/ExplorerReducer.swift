import MailFlowModel
import MailFlowReport
import TerminalUI

/// The explorer's only state transition: `reduce(&state, action)`. Pure; the event loop feeds it
/// actions and performs the effects it returns.
public enum ExplorerReducer {
  /// The file name `s` proposes. A report opened from a file may hold any `domain`: only a name made
  /// of letters, digits, hyphens and dots (a host name's syntax) goes into the file name, so no escape,
  /// slash or control character can reach the prompt or the file system.
  static func proposedFileName(domain: String, startedAt: String) -> String {
    let stamp = String(
      startedAt.unicodeScalars.filter { ("0"..."9").contains($0) }.prefix(12).map(Character.init))
    let labels = domain.lowercased().split(separator: ".", omittingEmptySubsequences: false)
    let hostName =
      domain.utf8.count <= 253 && !labels.isEmpty
      && labels.allSatisfy { label in
        (1...63).contains(label.count) && label.first != "-" && label.last != "-"
          && label.unicodeScalars.allSatisfy {
            $0 == "-" || ("a"..."z").contains($0) || ("0"..."9").contains($0)
          }
      }
    let name = hostName ? "mailflow-\(domain.lowercased())" : "mailflow-report"
    return name + (stamp.isEmpty ? "" : "-\(stamp)") + ".json"
  }

  /// Lines the mouse wheel scrolls at a time.
  static let wheelLines = 3
  /// Domains the probe prompt remembers.
  public static let historyLimit = 100

  public static func reduce(
    _ state: inout ExplorerState, _ action: ExplorerAction, keymap: Keymap = .standard
  ) -> [ExplorerEffect] {
    switch action {
    case .resize(let width, let height):
      state.width = width
      state.height = height
      if !state.focusablePanes.contains(state.focus) { state.focus = state.focusablePanes.first ?? .diagram }
      return []
    case .key(.resize(let width, let height)):
      return reduce(&state, .resize(width: width, height: height))
    case .key(let key) where state.prompt != nil:
      return promptKey(key, &state, keymap: keymap)
    case .messageLoaded(_, let request?) where request != state.awaitedRequest,
      .reportSaved(_, let request?) where request != state.awaitedRequest:
      return []  // answered after the user moved on: dropped
    case .messageLoaded(.success(let journey), _):
      state.awaitedRequest = nil
      state.prompt = nil
      state.tracedJourneys.insert(journey, at: 0)
      // Just after the probed domain's own journey, when there is one.
      state.scenario = state.probe?.journey == nil ? 0 : 1
      state.mode = .explore
      toggleJourney(&state)
      return []
    case .messageLoaded(.failure(let error), _):
      state.awaitedRequest = nil
      state.prompt?.waiting = false
      if state.prompt == nil { state.prompt = ExplorerState.Prompt(purpose: .openMessage) }
      state.prompt?.error = error.message
      return []
    case .probeStarted(let generation, let domain):
      guard generation == state.probeGeneration else { return [] }
      if state.prompt?.purpose == .probeDomain { state.prompt = nil }
      if let current = state.probe, current.report != nil { state.previousProbe = current }
      state.probe = LiveProbe(domain: domain, generation: generation, startedAt: state.now)
      state.domainHistory.removeAll { $0 == domain }
      state.domainHistory.append(domain)
      if state.domainHistory.count > historyLimit { state.domainHistory.removeFirst() }
      journeysChanged(&state)
      return []
    case .probeRejected(let generation, let reason):
      guard generation == state.probeGeneration else { return [] }
      if state.prompt == nil { state.prompt = ExplorerState.Prompt(purpose: .probeDomain) }
      state.prompt?.error = reason
      return []
    case .probeHop(let generation, let hop):
      guard var probe = state.probe, probe.generation == generation, probe.isRunning else { return [] }
      probe.hops.removeAll { $0.id == hop.id }
      probe.hops.append(hop)
      state.probe = probe
      return []
    case .probeFinished(let generation, let report):
      guard var probe = state.probe, probe.generation == generation, probe.isRunning else { return [] }
      probe.report = report
      probe.hops = report.hops
      probe.phase = .finished
      probe.elapsed = .milliseconds(report.durationMs)
      probe.journey = ProbeJourney.make(report)
      state.probe = probe
      state.previousProbe = nil
      journeysChanged(&state)
      return []
    case .tick(let now):
      state.now = now
      if state.probe?.isRunning == true, let started = state.probe?.startedAt {
        state.probe?.elapsed = now - started
      }
      return []
    case .reportSaved(.success(let path), _):
      state.awaitedRequest = nil
      if state.prompt?.purpose == .saveReport { state.prompt = nil }
      state.status = "saved the report to \(path)"
      return []
    case .reportSaved(.failure(let error), _):
      state.awaitedRequest = nil
      state.prompt?.waiting = false
      if state.prompt == nil { state.prompt = ExplorerState.Prompt(purpose: .saveReport) }
      state.prompt?.error = error.message
      return []
    case .probeRequested(let domain):
      state.probeGeneration += 1
      return [.startProbe(domain: domain, generation: state.probeGeneration)]
    case .historyLoaded(let domains):
      state.domainHistory = Array(domains.suffix(historyLimit))
      return []
    case .reportOpened(let report, let file):
      state.probe = LiveProbe(report: report, file: file)
      journeysChanged(&state)
      return []
    case .key(let key):
      state.status = nil
      let asked = state.reprobeAsked
      state.reprobeAsked = false
      if asked, keymap.intent(for: key, in: state) == .reprobe, let domain = state.probe?.domain {
        state.probeGeneration += 1
        return [.startProbe(domain: domain, generation: state.probeGeneration)]
      }
      if state.isTooSmall {
        // Only quitting makes sense until the terminal is large enough again.
        return keymap.intent(for: key, in: state) == .quit ? perform(.quit, on: &state, keymap: keymap) : []
      }
      guard let intent = keymap.intent(for: key, in: state) else { return [] }
      return perform(intent, on: &state, keymap: keymap)
    case .mouse(let kind, let target):
      guard !state.isTooSmall, let target else { return [] }
      return mouse(kind, on: target, &state, keymap: keymap)
    }
  }

  public static func perform(
    _ intent: Intent, on state: inout ExplorerState, keymap: Keymap = .standard
  ) -> [ExplorerEffect] {
    switch intent {
    case .quit:
      state.quitRequested = true
      return [.quit]
    case .toggleHelp:
      state.overlay = state.overlay == .help ? nil : .help
      state.helpScroll = 0
    case .closeOverlay:
      state.overlay = nil
    case .focusNext, .focusPrevious:
      let panes = state.focusablePanes
      let current = panes.firstIndex(of: state.focus) ?? 0
      let step = intent == .focusNext ? 1 : panes.count - 1
      state.focus = panes[(current + step) % max(1, panes.count)]
    case .previousHop: selectHop(state.selectedHop - 1, &state)
    case .nextHop: selectHop(state.selectedHop + 1, &state)
    case .jumpToHop(let index):
      guard state.knowledge.hops.indices.contains(index) else { return [] }
      if state.mode == .journey {
        goToStep(onHop: index, &state)
      } else {
        selectHop(index, &state)
      }
    case .open: open(&state)
    case .back:
      if state.openRFC != nil {
        state.openRFC = nil
        state.detailsScroll = state.detailsReturnScroll
      } else {
        state.focus = .table
      }
    case .lineUp, .lineDown, .pageUp, .pageDown, .top, .bottom:
      scroll(intent, &state, keymap: keymap)
    case .toggleJourney:
      toggleJourney(&state)
    case .nextStep: goToStep(state.step + 1, &state)
    case .previousStep: goToStep(state.step - 1, &state)
    case .nextScenario, .previousScenario:
      let count = state.journeys.count
      guard count > 0 else { return [] }
      let hop = state.selectedHop
      state.scenario = (state.scenario + (intent == .nextScenario ? 1 : count - 1)) % count
      goToStep(onHop: hop, &state)
    case .toggleObserver:
      state.observerView.toggle()
    case .openMessagePrompt:
      state.overlay = nil
      state.prompt = ExplorerState.Prompt(purpose: .openMessage)
    case .probePrompt:
      state.overlay = nil
      state.prompt = ExplorerState.Prompt(purpose: .probeDomain)
    case .cancelProbe:
      guard let probe = state.probe, probe.isRunning else { return [] }
      state.probe?.phase = .cancelled
      state.probe?.elapsed = state.now - probe.startedAt
      if let previous = state.previousProbe {
        // Cancelling a re-probe brings back what was shown before it.
        state.probe = previous
        state.previousProbe = nil
        journeysChanged(&state)
        state.status = "probe of \(probe.domain) cancelled; showing the earlier result"
        return [.cancelProbe]
      }
      state.status = "probe of \(state.probe?.domain ?? "") cancelled"
      return [.cancelProbe]
    case .reprobe:
      guard let probe = state.probe else { return [] }
      let domain = probe.domain
      if probe.file != nil {
        // Opened offline: whatever resolver, ports or trust anchors made the report are not known.
        state.reprobeAsked = true
        state.status =
          "a saved report: r again probes \(domain) live with this run's options, not the report's"
        return []
      }
      state.probeGeneration += 1
      return [.startProbe(domain: domain, generation: state.probeGeneration)]
    case .saveReport:
      guard let probe = state.probe else { return [] }
      guard let report = probe.report else {
        state.status =
          probe.isRunning
          ? "nothing to save yet: the probe is still running" : "nothing to save: the probe was cancelled"
        return []
      }
      state.prompt = ExplorerState.Prompt(
        purpose: .saveReport, text: Self.proposedFileName(domain: report.domain, startedAt: report.startedAt))
    case .showTranscripts:
      let measured = state.probe?.hop(state.hop.id)
      guard measured?.endpoints.contains(where: { !$0.transcript.isEmpty }) == true else {
        if let hop = measured {
          state.status = "no dialogue on this hop: \(hop.summary)"
        } else if state.probe?.isPending(state.hop.id) == true {
          state.status = "no transcript yet: this hop is still being probed"
        } else {
          state.status = "no transcript for this hop: the probe measures hops 1, 3… and N"
        }
        return []
      }
      state.overlay = .transcript
      state.helpScroll = 0
    case .promptSubmit, .promptCancel, .promptEdit:
      break  // handled by promptKey while a prompt is open
    }
    return []
  }

  /// Keys while a prompt is open: Enter submits, Esc cancels, everything else edits the line.
  static func promptKey(_ key: KeyEvent, _ state: inout ExplorerState, keymap: Keymap) -> [ExplorerEffect] {
    guard var prompt = state.prompt else { return [] }
    if prompt.purpose == .probeDomain, key == .up || key == .down {
      browseHistory(up: key == .up, &prompt, history: state.domainHistory)
      state.prompt = prompt
      return []
    }
    switch prompt.editor.handle(key) {
    case .cancel:
      state.prompt = nil
      state.awaitedRequest = nil  // a late answer is dropped
      if prompt.waiting && prompt.purpose == .probeDomain {
        // The probe was asked for and may already run: its start and results are dropped, and it stops.
        state.probeGeneration += 1
        return [.cancelProbe]
      }
      return []
    case .submit where prompt.waiting:
      return []  // the answer to the last Enter is still coming
    case .submit:
      let text = String(prompt.editor.text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
      guard !text.isEmpty else {
        prompt.error =
          switch prompt.purpose {
          case .openMessage: "type the path of a message file, or Esc to cancel"
          case .probeDomain: "type a domain such as example.net, or Esc to cancel"
          case .saveReport: "type a file name, or Esc to cancel"
          }
        state.prompt = prompt
        return []
      }
      prompt.waiting = true
      state.prompt = prompt
      switch prompt.purpose {
      case .openMessage:
        state.lastRequest += 1
        state.awaitedRequest = state.lastRequest
        return [.openMessage(text, request: state.lastRequest)]
      case .probeDomain:
        state.probeGeneration += 1
        return [.startProbe(domain: text, generation: state.probeGeneration)]
      case .saveReport:
        guard let report = state.probe?.report else {
          state.prompt = nil
          return []
        }
        state.lastRequest += 1
        state.awaitedRequest = state.lastRequest
        return [.saveReport(path: text, report: report, request: state.lastRequest)]
      }
    case .edited:
      prompt.error = nil
      state.prompt = prompt
    case .ignored:
      break
    }
    return []
  }

  /// Up goes to older domains, Down back towards the line being typed.
  static func browseHistory(up: Bool, _ prompt: inout ExplorerState.Prompt, history: [String]) {
    guard !history.isEmpty else { return }
    if prompt.historyIndex == nil { prompt.draft = prompt.editor.text }
    let current = prompt.historyIndex ?? history.count
    let next = up ? max(0, current - 1) : current + 1
    if next >= history.count {
      prompt.historyIndex = nil
      prompt.editor = LineEditor(text: prompt.draft)
    } else {
      prompt.historyIndex = next
      prompt.editor = LineEditor(text: history[next])
    }
    prompt.error = nil
  }

  // MARK: - Hops and steps

  static func selectHop(_ index: Int, _ state: inout ExplorerState) {
    let clamped = max(0, min(state.knowledge.hops.count - 1, index))
    guard clamped != state.selectedHop else { return }
    state.selectedHop = clamped
    state.detailsScroll = 0
    state.detailsLink = nil
    state.openRFC = nil
  }

  static func goToStep(_ index: Int, _ state: inout ExplorerState) {
    guard let journey = state.journey, !journey.steps.isEmpty else { return }
    state.step = max(0, min(journey.steps.count - 1, index))
    state.journeyScroll = 0
    if let hop = state.knowledge.hops.firstIndex(where: { $0.id == journey.steps[state.step].hopID }) {
      selectHop(hop, &state)
    }
  }

  /// The scenario's first step on a hop, or the nearest step before it when the scenario skips it.
  static func goToStep(onHop hop: Int, _ state: inout ExplorerState) {
    guard let journey = state.journey else { return }
    let hops = state.knowledge.hops
    let position = { (step: JourneyStep) in hops.firstIndex { $0.id == step.hopID } ?? 0 }
    let index =
      journey.steps.firstIndex { position($0) == hop }
      ?? journey.steps.lastIndex { position($0) < hop } ?? 0
    goToStep(index, &state)
  }

  /// The probe's journey comes first in the list: when it appears, disappears or changes, a journey
  /// being stepped through would silently become another one. Journey mode is left instead.
  static func journeysChanged(_ state: inout ExplorerState) {
    state.scenario = 0
    state.step = 0
    if state.mode == .journey {
      state.mode = .explore
      state.focus = .diagram
    }
  }

  static func toggleJourney(_ state: inout ExplorerState) {
    if state.mode == .journey {
      state.mode = .explore
      state.focus = .diagram
      return
    }
    guard state.journeys.contains(where: { !$0.steps.isEmpty }) else { return }
    if state.journey?.steps.isEmpty ?? true {
      state.scenario = state.journeys.firstIndex { !$0.steps.isEmpty } ?? 0
    }
    state.mode = .journey
    state.overlay = nil
    state.focus = .journey
    state.observerView = false
    goToStep(0, &state)
  }

  static func open(_ state: inout ExplorerState) {
    switch state.focus {
    case .diagram, .table:
      state.focus = state.contentPane
    case .details:
      let content = detailsContent(state)
      let links = DetailsView.links(content.lines)
      guard let index = state.detailsLink, links.indices.contains(index) else { return }
      state.detailsReturnScroll = state.detailsScroll
      state.openRFC = links[index]
      state.detailsScroll = 0
      state.detailsLink = nil
    case .journey:
      break
    }
  }

  // MARK: - Scrolling

  static func detailsContent(_ state: ExplorerState) -> (lines: [StyledLine], visible: Int) {
    guard let rect = ExplorerLayout(state).content else { return ([], 0) }
    return (DetailsView.lines(state, width: DetailsView.textWidth(rect)), rect.inner.height)
  }

  static func scroll(_ intent: Intent, _ state: inout ExplorerState, keymap: Keymap = .standard) {
    if let overlay = state.overlay {
      let (rect, lines) =
        overlay == .help ? HelpOverlay.layout(state, keymap: keymap) : TranscriptOverlay.layout(state)
      state.helpScroll = scrolled(state.helpScroll, intent, total: lines.count, visible: rect.inner.height)
      return
    }
    switch state.focus {
    case .details:
      scrollDetails(intent, &state)
    case .journey:
      switch intent {
      case .top: goToStep(0, &state)
      case .bottom: goToStep(Int.max / 2, &state)
      default:
        guard let rect = ExplorerLayout(state).content else { return }
        let total = JourneyView.lines(state, width: DetailsView.textWidth(rect)).count
        state.journeyScroll = scrolled(state.journeyScroll, intent, total: total, visible: rect.inner.height)
      }
    case .diagram, .table:
      break
    }
  }

  /// Up and down move between the RFC links that are on screen, and scroll when there is none to move
  /// to; paging and Home/End only scroll.
  static func scrollDetails(_ intent: Intent, _ state: inout ExplorerState) {
    let (lines, visible) = detailsContent(state)
    let links = DetailsView.links(lines)
    let firstLine = { (link: Int) in lines.firstIndex { $0.link == link } ?? 0 }
    let scroll = DetailsView.clampedScroll(state.detailsScroll, total: lines.count, visible: visible)
    let onScreen = { (index: Int) in
      links.indices.contains(index) && (scroll..<scroll + visible).contains(firstLine(links[index]))
    }
    switch intent {
    case .lineDown:
      let after = (state.detailsLink ?? -1) + 1
      if let next = links.indices.first(where: { $0 >= after && onScreen($0) }) {
        state.detailsLink = next
      } else {
        state.detailsScroll = scrolled(scroll, .lineDown, total: lines.count, visible: visible)
      }
    case .lineUp:
      if let current = state.detailsLink,
        let previous = links.indices.last(where: { $0 < current && onScreen($0) })
      {
        state.detailsLink = previous
      } else if scroll > 0 {
        state.detailsScroll = scroll - 1
        if let current = state.detailsLink, !onScreen(current) { state.detailsLink = nil }
      } else {
        state.detailsLink = nil
      }
    default:
      state.detailsScroll = scrolled(scroll, intent, total: lines.count, visible: visible)
      if let current = state.detailsLink, !links.isEmpty {
        let newScroll = state.detailsScroll
        let line = firstLine(links[min(current, links.count - 1)])
        if !(newScroll..<newScroll + visible).contains(line) { state.detailsLink = nil }
      }
    }
  }

  static func scrolled(_ scroll: Int, _ intent: Intent, total: Int, visible: Int) -> Int {
    let page = max(1, visible - 1)
    let target =
      switch intent {
      case .lineUp: scroll - 1
      case .lineDown: scroll + 1
      case .pageUp: scroll - page
      case .pageDown: scroll + page
      case .top: 0
      case .bottom: total
      default: scroll
      }
    return DetailsView.clampedScroll(target, total: total, visible: visible)
  }

  // MARK: - Mouse

  static func mouse(
    _ kind: MouseEvent.Kind, on target: HitTarget, _ state: inout ExplorerState, keymap: Keymap
  )
    -> [ExplorerEffect]
  {
    switch (kind, target) {
    case (.click, .hop(let index, let pane)):
      state.focus = pane
      if state.mode == .journey { goToStep(onHop: index, &state) } else { selectHop(index, &state) }
    case (.click, .link(let number)):
      state.focus = .details
      state.detailsReturnScroll = state.detailsScroll
      state.openRFC = number
      state.detailsScroll = 0
      state.detailsLink = nil
    case (.click, .pane(let pane)):
      state.focus = pane
    case (.click, .overlay):
      break
    case (.wheelUp, _), (.wheelDown, _):
      let up = kind == .wheelUp
      switch target {
      case .overlay:
        for _ in 0..<wheelLines { scroll(up ? .lineUp : .lineDown, &state, keymap: keymap) }
      case .hop(_, .diagram), .hop(_, .table), .pane(.diagram), .pane(.table):
        if state.mode == .journey {
          goToStep(state.step + (up ? -1 : 1), &state)
        } else {
          selectHop(state.selectedHop + (up ? -1 : 1), &state)
        }
      default:
        let pane = state.contentPane
        let saved = state.focus
        state.focus = pane
        for _ in 0..<wheelLines {
          if pane == .details {
            let (lines, visible) = detailsContent(state)
            state.detailsScroll = scrolled(
              DetailsView.clampedScroll(state.detailsScroll, total: lines.count, visible: visible),
              up ? .lineUp : .lineDown, total: lines.count, visible: visible)
          } else {
            scroll(up ? .lineUp : .lineDown, &state)
          }
        }
        state.focus = saved
      }
    }
    return []
  }
}
