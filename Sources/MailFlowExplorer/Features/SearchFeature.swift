/// Search, as in less: `/` asks for a word in the focused pane (or the open window), the first match at
/// or below the top of the screen is shown, `n` and `N` go to the next and previous, matches are
/// highlighted. Lines of text panes come from the render pass (the viewport lists the lines that
/// match); the hop table is searched in the knowledge base itself (a match is a hop).
enum SearchFeature {
  /// What `/` searches in the current state.
  static func target(_ state: ExplorerState) -> ExplorerState.Search.Target {
    if state.overlay != nil { return .overlay }
    if state.mode == .journey { return .journey }
    return state.focus == .details ? .details : .hops
  }

  /// Whether a search belongs to what is on screen (its highlight shows, `n` and `N` move in it).
  static func applies(_ search: ExplorerState.Search, to state: ExplorerState) -> Bool {
    search.target == target(state)
  }

  static func perform(_ intent: Intent, _ state: inout ExplorerState) {
    switch intent {
    case .searchPrompt:
      state.prompt = ExplorerState.Prompt(purpose: .search)
    case .clearSearch:
      state.search = nil
    case .nextMatch, .previousMatch:
      move(forward: intent == .nextMatch, &state)
    default:
      break
    }
  }

  /// The word was typed: hops are matched at once; text panes once the next render lists the lines.
  static func start(_ query: String, _ state: inout ExplorerState) {
    var search = ExplorerState.Search(query: query, target: target(state))
    if search.target == .hops {
      search.pendingJump = false
      state.search = search
      let matches = hopMatches(query, state)
      guard !matches.isEmpty else { return noMatch(&state) }
      let next = matches.first { $0 >= state.selectedHop } ?? matches[0]
      jump(to: next, &state)
      return
    }
    state.search = search
  }

  /// The render reported where the matches are: the first jump of a new search happens now.
  static func viewportArrived(_ state: inout ExplorerState) {
    guard var search = state.search, search.pendingJump, applies(search, to: state) else { return }
    search.pendingJump = false
    state.search = search
    let text = self.text(search.target, state)
    guard !text.matches.isEmpty else { return noMatch(&state) }
    let top = text.clamped(scroll(search.target, state))
    jump(to: text.matches.first { $0 >= top } ?? text.matches[0], &state)
  }

  static func move(forward: Bool, _ state: inout ExplorerState) {
    guard let search = state.search, applies(search, to: state) else { return }
    let matches =
      search.target == .hops ? hopMatches(search.query, state) : text(search.target, state).matches
    guard !matches.isEmpty else { return noMatch(&state) }
    let current = search.current ?? (forward ? -1 : Int.max)
    let next =
      forward
      ? matches.first { $0 > current } ?? matches[0]
      : matches.last { $0 < current } ?? matches[matches.count - 1]
    if forward ? next <= current : next >= current { state.status = "search wrapped around" }
    jump(to: next, &state)
  }

  /// Shows a match: selects its hop, or scrolls its line into view (two lines of context above).
  static func jump(to match: Int, _ state: inout ExplorerState) {
    state.search?.current = match
    guard let target = state.search?.target else { return }
    switch target {
    case .hops:
      DetailsFeature.selectHop(match, &state)
    case .details:
      let text = state.viewport.details
      if !(state.detailsScroll..<state.detailsScroll + text.visible).contains(match) {
        state.detailsScroll = text.clamped(match - 2)
      }
      state.detailsLink = nil
    case .overlay:
      let text = state.viewport.overlay
      if !(state.helpScroll..<state.helpScroll + text.visible).contains(match) {
        state.helpScroll = text.clamped(match - 2)
      }
    case .journey:
      let text = state.viewport.journey
      if !(state.journeyScroll..<state.journeyScroll + text.visible).contains(match) {
        state.journeyScroll = text.clamped(match - 2)
      }
    }
  }

  static func noMatch(_ state: inout ExplorerState) {
    guard let search = state.search else { return }
    state.status = "no match for “\(search.query)”"
    state.search = nil
  }

  static func text(_ target: ExplorerState.Search.Target, _ state: ExplorerState) -> ExplorerViewport.Text {
    switch target {
    case .overlay: state.viewport.overlay
    case .journey: state.viewport.journey
    case .details, .hops: state.viewport.details
    }
  }

  static func scroll(_ target: ExplorerState.Search.Target, _ state: ExplorerState) -> Int {
    switch target {
    case .overlay: state.helpScroll
    case .journey: state.journeyScroll
    case .details, .hops: state.detailsScroll
    }
  }

  /// Hops whose number, roles, title or options mention the word (any case).
  static func hopMatches(_ query: String, _ state: ExplorerState) -> [Int] {
    let base = state.knowledge
    return base.hops.indices.filter { index in
      let hop = base.hops[index]
      let words =
        [hop.label, hop.title, hop.fromLabel, hop.toLabel, hop.summary] + hop.options.map(base.describe)
      return words.contains { contains($0, query) }
    }
  }

  /// Case-insensitive, as less does for a lowercase word.
  static func contains(_ text: String, _ query: String) -> Bool {
    !occurrences(of: query, in: text).isEmpty
  }

  /// Where the word occurs in a line, as ranges of characters (any case, not overlapping).
  static func occurrences(of query: String, in text: String) -> [Range<Int>] {
    let needle = query.map { $0.lowercased() }
    guard !needle.isEmpty else { return [] }
    let haystack = text.map { $0.lowercased() }
    var found: [Range<Int>] = []
    var start = 0
    while start + needle.count <= haystack.count {
      if haystack[start..<start + needle.count].elementsEqual(needle) {
        found.append(start..<start + needle.count)
        start += needle.count
      } else {
        start += 1
      }
    }
    return found
  }
}
