import MailFlowModel
import MailFlowReport
import TerminalUI

/// The explorer's only state transition: `reduce(&state, action)`. Pure; the event loop feeds it
/// actions and performs the effects it returns. It routes each action and intent to the feature that
/// owns it (prompt, probe, journey, details, overlays) and keeps only what is shared: the terminal's
/// size, the viewport the last frame laid out, the clock, focus, and the mouse.
public enum ExplorerReducer {
  /// Lines the mouse wheel scrolls at a time.
  static let wheelLines = 3
  /// Domains the probe prompt remembers.
  public static let historyLimit = ProbeFeature.historyLimit

  public static func reduce(
    _ state: inout ExplorerState, _ action: ExplorerAction, keymap: Keymap = .standard
  ) -> [ExplorerEffect] {
    switch action {
    case .resize(let width, let height):
      state.width = width
      state.height = height
      return []
    case .key(.resize(let width, let height)):
      return reduce(&state, .resize(width: width, height: height))
    case .viewport(let viewport):
      state.viewport = viewport
      if !viewport.panes.contains(state.focus) { state.focus = viewport.panes.first ?? .diagram }
      SearchFeature.viewportArrived(&state)
      return []
    case .tick(let now):
      state.now = now
      ProbeFeature.tick(&state)
      return []
    case .key(let key) where state.prompt != nil:
      return PromptFeature.key(key, &state)
    case .messageLoaded(_, let request?) where request != state.awaitedRequest,
      .reportSaved(_, let request?) where request != state.awaitedRequest:
      return []  // answered after the user moved on: dropped
    case .messageLoaded(let result, _):
      state.awaitedRequest = nil
      switch result {
      case .success(let journey):
        // A message opened from the mailbox list: its journey replaces the list (M brings it back).
        if state.overlay == .mailbox {
          state.overlay = nil
          state.status = nil
        }
        JourneyFeature.add(journey, &state)
      case .failure(let error) where state.overlay == .mailbox:
        // A message of the mailbox list that cannot be read again (a Maildir file renamed meanwhile).
        state.status = error.message
      case .failure(let error): PromptFeature.refused(.openMessage, error.message, &state)
      }
      return []
    case .probeStarted, .probeRejected, .probeHop, .probeFinished, .probeRequested, .historyLoaded,
      .reportOpened, .reportSaved, .reportNameProposed:
      return ProbeFeature.reduce(&state, action)
    case .mailboxProgress, .mailboxFinished:
      return MailboxFeature.reduce(&state, action)
    case .scanProgress, .scanFinished:
      return ScanFeature.reduce(&state, action)
    case .key(let key):
      state.status = nil
      let asked = state.reprobeAsked
      state.reprobeAsked = false
      let intent = keymap.intent(for: key, in: state)
      if asked, intent == .reprobe, let domain = state.probe?.domain {
        return ProbeFeature.start(domain, &state)
      }
      // Only quitting makes sense until the terminal is large enough again.
      guard let intent, !state.isTooSmall || intent == .quit else { return [] }
      return perform(intent, on: &state)
    case .mouse(let kind, let target):
      guard !state.isTooSmall, let target else { return [] }
      mouse(kind, on: target, &state)
      return []
    }
  }

  public static func perform(_ intent: Intent, on state: inout ExplorerState) -> [ExplorerEffect] {
    // A list (mailbox, scan) takes the moving, opening and going-back keys while it is shown; M shows
    // the one there is.
    let listIntents: [Intent] = [
      .lineUp, .lineDown, .pageUp, .pageDown, .top, .bottom, .open, .back, .showList, .cycleSort,
    ]
    if listIntents.contains(intent) {
      if state.overlay == .scan || (intent == .showList && state.scan != nil && state.overlay != .mailbox) {
        return ScanFeature.perform(intent, &state)
      }
      if state.overlay == .mailbox || intent == .showList || intent == .cycleSort {
        return MailboxFeature.perform(intent, &state)
      }
    }
    switch intent {
    case .quit:
      state.quitRequested = true
      return [.quit]
    case .focusNext, .focusPrevious:
      let panes = state.viewport.panes
      let current = panes.firstIndex(of: state.focus) ?? 0
      let step = intent == .focusNext ? 1 : panes.count - 1
      state.focus = panes[(current + step) % max(1, panes.count)]
    case .previousHop: DetailsFeature.selectHop(state.selectedHop - 1, &state)
    case .nextHop: DetailsFeature.selectHop(state.selectedHop + 1, &state)
    case .jumpToHop(let index):
      guard state.knowledge.hops.indices.contains(index) else { return [] }
      if state.mode == .journey {
        JourneyFeature.goToStep(onHop: index, &state)
      } else {
        DetailsFeature.selectHop(index, &state)
      }
    case .open:
      switch state.focus {
      case .diagram, .table: state.focus = state.contentPane
      case .details: DetailsFeature.openHighlightedLink(&state)
      case .journey: break
      }
    case .back:
      if !DetailsFeature.closeRFC(&state) { state.focus = .table }
    case .lineUp, .lineDown, .pageUp, .pageDown, .top, .bottom:
      if state.overlay != nil {
        OverlayFeature.scroll(intent, &state)
      } else if state.focus == .details {
        DetailsFeature.scroll(intent, &state)
      } else if state.focus == .journey || state.mode == .journey {
        JourneyFeature.scroll(intent, &state)
      } else if intent == .top || intent == .bottom {
        DetailsFeature.selectHop(intent == .top ? 0 : state.knowledge.hops.count - 1, &state)
      }
    case .toggleHelp, .closeOverlay, .showTranscripts, .showChecklist:
      OverlayFeature.perform(intent, &state)
    case .toggleJourney, .nextStep, .previousStep, .nextScenario, .previousScenario, .toggleObserver:
      JourneyFeature.perform(intent, &state)
    case .openMessagePrompt:
      PromptFeature.open(.openMessage, &state)
    case .probePrompt:
      PromptFeature.open(.probeDomain, &state)
    case .cancelProbe, .reprobe, .saveReport, .knowledgeView:
      return ProbeFeature.perform(intent, &state)
    case .searchPrompt, .nextMatch, .previousMatch, .clearSearch:
      SearchFeature.perform(intent, &state)
    case .suspend:
      return [.suspend]
    case .showList, .cycleSort:
      return MailboxFeature.perform(intent, &state)
    case .promptSubmit, .promptCancel, .promptEdit:
      break  // handled by the prompt while it is open
    }
    return []
  }

  /// A line scrolled by an intent within a text of `total` lines of which `visible` fit.
  static func scrolled(_ scroll: Int, _ intent: Intent, in text: ExplorerViewport.Text) -> Int {
    let page = max(1, text.visible - 1)
    let target =
      switch intent {
      case .lineUp: scroll - 1
      case .lineDown: scroll + 1
      case .pageUp: scroll - page
      case .pageDown: scroll + page
      case .top: 0
      case .bottom: text.total
      default: scroll
      }
    return text.clamped(target)
  }

  /// A list's selected row moved by an intent, among `count` rows of which `visible` fit (the mailbox
  /// and scan lists).
  static func selected(_ selected: Int, _ intent: Intent, count: Int, visible: Int) -> Int {
    let page = max(1, visible - 1)
    let target =
      switch intent {
      case .lineUp: selected - 1
      case .lineDown: selected + 1
      case .pageUp: selected - page
      case .pageDown: selected + page
      case .top: 0
      case .bottom: count - 1
      default: selected
      }
    return max(0, min(count - 1, target))
  }

  // MARK: - Mouse

  static func mouse(_ kind: MouseEvent.Kind, on target: HitTarget, _ state: inout ExplorerState) {
    switch (kind, target) {
    case (.click, .hop(let index, let pane)):
      state.focus = pane
      if state.mode == .journey {
        JourneyFeature.goToStep(onHop: index, &state)
      } else {
        DetailsFeature.selectHop(index, &state)
      }
    case (.click, .link(let number)):
      state.focus = .details
      DetailsFeature.openRFC(number, &state)
    case (.click, .pane(let pane)):
      state.focus = pane
    case (.click, .overlay):
      break
    case (.wheelUp, _), (.wheelDown, _):
      let up = kind == .wheelUp
      switch target {
      case .overlay:
        for _ in 0..<wheelLines { OverlayFeature.scroll(up ? .lineUp : .lineDown, &state) }
      case .hop(_, .diagram), .hop(_, .table), .pane(.diagram), .pane(.table):
        if state.mode == .journey {
          JourneyFeature.goToStep(state.step + (up ? -1 : 1), &state)
        } else {
          DetailsFeature.selectHop(state.selectedHop + (up ? -1 : 1), &state)
        }
      default:
        // The wheel scrolls the text under it; it does not move between links.
        for _ in 0..<wheelLines {
          if state.contentPane == .details {
            DetailsFeature.scrollText(up ? .lineUp : .lineDown, &state)
          } else {
            JourneyFeature.scroll(up ? .lineUp : .lineDown, &state)
          }
        }
      }
    }
  }
}
