import MailFlowModel

/// Stepping through a journey: the built-in scenarios, traced messages and the probed domain's own.
enum JourneyFeature {
  static func perform(_ intent: Intent, _ state: inout ExplorerState) {
    switch intent {
    case .toggleJourney: toggle(&state)
    case .nextStep: goToStep(state.step + 1, &state)
    case .previousStep: goToStep(state.step - 1, &state)
    case .nextScenario, .previousScenario:
      let count = state.journeys.count
      guard count > 0 else { return }
      let hop = state.selectedHop
      state.scenario = (state.scenario + (intent == .nextScenario ? 1 : count - 1)) % count
      goToStep(onHop: hop, &state)
    case .toggleObserver:
      state.observerView.toggle()
    default:
      break
    }
  }

  /// A traced message arrived: it is shown at once, just after the probed domain's own journey.
  static func add(_ journey: Journey, _ state: inout ExplorerState) {
    state.prompt = nil
    state.tracedJourneys.insert(journey, at: 0)
    state.scenario = state.probe?.journey == nil ? 0 : 1
    state.mode = .explore
    toggle(&state)
  }

  static func scroll(_ intent: Intent, _ state: inout ExplorerState) {
    switch intent {
    case .top: goToStep(0, &state)
    case .bottom: goToStep(Int.max / 2, &state)
    default:
      state.journeyScroll = ExplorerReducer.scrolled(state.journeyScroll, intent, in: state.viewport.journey)
    }
  }

  static func goToStep(_ index: Int, _ state: inout ExplorerState) {
    guard let journey = state.journey, !journey.steps.isEmpty else { return }
    state.step = max(0, min(journey.steps.count - 1, index))
    state.journeyScroll = 0
    if state.search?.target == .journey { state.search?.current = nil }
    if let hop = state.knowledge.hops.firstIndex(where: { $0.id == journey.steps[state.step].hopID }) {
      DetailsFeature.selectHop(hop, &state)
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

  static func toggle(_ state: inout ExplorerState) {
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
}
