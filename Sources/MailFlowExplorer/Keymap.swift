import TerminalUI

/// The one table of key bindings. Input handling, the footer's hints and the help overlay all read it,
/// so what the screen says a key does is what it does.
public struct Keymap: Sendable {
  public enum Scope: String, Sendable, CaseIterable {
    case global = "Everywhere"
    case hops = "Diagram and table"
    case details = "Details"
    case journey = "Journey"
    case search = "While a search is shown"
    case probing = "While a probe runs"
    case probed = "After a probe"
    case prompt = "Typing a domain or a file name"
    case help = "Help and transcript windows"
    case list = "Mailbox and scan lists (--mailbox, --scan)"
  }

  public struct Binding: Sendable {
    public var keys: [KeyEvent]
    /// How the keys are written in hints and help, e.g. `←/→`.
    public var label: String
    public var intent: Intent
    public var description: String
    public var scope: Scope
    /// Short text for the footer; `nil` keeps the binding out of the footer.
    public var hint: String?
  }

  public var bindings: [Binding]

  public static let standard = Keymap(bindings: [
    Binding(
      keys: [.character("?")], label: "?", intent: .toggleHelp, description: "show or hide this help",
      scope: .global, hint: "help"),
    Binding(
      keys: [.character("q"), .control("c")], label: "q", intent: .quit, description: "quit",
      scope: .global, hint: "quit"),
    Binding(
      keys: [.tab], label: "Tab", intent: .focusNext, description: "next pane", scope: .global, hint: "pane"),
    Binding(
      keys: [.backTab], label: "S-Tab", intent: .focusPrevious, description: "previous pane", scope: .global,
      hint: nil),
    Binding(
      keys: [.character("p")], label: "p", intent: .probePrompt,
      description: "probe a domain: see each hop rated by what its servers actually do",
      scope: .global, hint: "probe"),
    Binding(
      keys: [.character("/")], label: "/", intent: .searchPrompt,
      description: "search the focused pane or the open window (then n, N)", scope: .global, hint: "search"),
    Binding(
      keys: [.control("z")], label: "Ctrl-Z", intent: .suspend,
      description: "suspend to the shell; fg brings the explorer back", scope: .global, hint: nil),
    Binding(
      keys: [.character("J")], label: "J", intent: .toggleJourney,
      description: "start or leave journey mode: step through a message's journey", scope: .global,
      hint: "journey"),
    Binding(
      keys: [.character("m")], label: "m", intent: .openMessagePrompt,
      description: "open a message file (.eml, mbox) and step through the journey it really took",
      scope: .global, hint: "message"),
    Binding(
      keys: [.character("M")], label: "M", intent: .showList,
      description: "the list opened with --mailbox (sending domains) or --scan (scanned domains), again",
      scope: .global, hint: "list"),
    Binding(
      keys: (1...5).map { .character(Character(String($0))) }, label: "1-5", intent: .jumpToHop(0),
      description: "jump to the 1st to 5th hop (1, 2, 3…, N-1, N)", scope: .global, hint: nil),
    Binding(
      keys: [.left, .character("h"), .up, .character("k")], label: "←/→ ↑/↓", intent: .previousHop,
      description: "previous hop (h, k)", scope: .hops, hint: "hop"),
    Binding(
      keys: [.right, .character("l"), .down, .character("j")], label: "", intent: .nextHop,
      description: "next hop (l, j)", scope: .hops, hint: nil),
    Binding(
      keys: [.enter], label: "Enter", intent: .open, description: "open the selected hop's details",
      scope: .hops, hint: "details"),
    Binding(
      keys: [.home, .character("g")], label: "Home", intent: .top, description: "first hop (g)", scope: .hops,
      hint: nil),
    Binding(
      keys: [.end, .character("G")], label: "End", intent: .bottom, description: "last hop (G)", scope: .hops,
      hint: nil),
    Binding(
      keys: [.character("n")], label: "n/N", intent: .nextMatch, description: "next match", scope: .search,
      hint: "match"),
    Binding(
      keys: [.character("N")], label: "", intent: .previousMatch, description: "previous match",
      scope: .search, hint: nil),
    Binding(
      keys: [.escape], label: "Esc", intent: .clearSearch, description: "clear the search", scope: .search,
      hint: "clear search"),
    Binding(
      keys: [.up, .character("k")], label: "↑/↓", intent: .lineUp,
      description: "scroll up, or highlight the previous RFC (k)", scope: .details, hint: "scroll"),
    Binding(
      keys: [.down, .character("j")], label: "", intent: .lineDown,
      description: "scroll down, or highlight the next RFC (j)", scope: .details, hint: nil),
    Binding(
      keys: [.pageUp], label: "PgUp", intent: .pageUp, description: "page up", scope: .details, hint: nil),
    Binding(
      keys: [.pageDown, .character(" ")], label: "PgDn", intent: .pageDown, description: "page down (Space)",
      scope: .details, hint: nil),
    Binding(
      keys: [.home, .character("g")], label: "Home", intent: .top, description: "to the top (g)",
      scope: .details, hint: nil),
    Binding(
      keys: [.end, .character("G")], label: "End", intent: .bottom, description: "to the end (G)",
      scope: .details, hint: nil),
    Binding(
      keys: [.enter], label: "Enter", intent: .open, description: "open the highlighted RFC",
      scope: .details, hint: "open RFC"),
    Binding(
      keys: [.escape, .backspace], label: "Esc", intent: .back,
      description: "back: close the RFC, or return to the table", scope: .details, hint: "back"),
    Binding(
      keys: [.character("n"), .right, .character("l")], label: "n/→", intent: .nextStep,
      description: "next step (l)", scope: .journey, hint: "next"),
    Binding(
      keys: [.character("b"), .left, .character("h")], label: "b/←", intent: .previousStep,
      description: "previous step (h)", scope: .journey, hint: "back"),
    Binding(
      keys: [.character("c")], label: "c", intent: .nextScenario,
      description:
        "next journey: the probed domain's, opened messages', then best practice, opportunistic, downgrade attack",
      scope: .journey,
      hint: "scenario"),
    Binding(
      keys: [.character("C")], label: "C", intent: .previousScenario, description: "previous scenario",
      scope: .journey, hint: nil),
    Binding(
      keys: [.character("o")], label: "o", intent: .toggleObserver,
      description: "observer view: the transcript as an on-path observer sees it", scope: .journey,
      hint: "observer"),
    Binding(
      keys: [.up, .character("k")], label: "↑/↓", intent: .lineUp, description: "scroll the transcript",
      scope: .journey, hint: "scroll"),
    Binding(
      keys: [.down, .character("j")], label: "", intent: .lineDown, description: "scroll down",
      scope: .journey, hint: nil),
    Binding(
      keys: [.pageUp], label: "PgUp", intent: .pageUp, description: "page up", scope: .journey, hint: nil),
    Binding(
      keys: [.pageDown, .character(" ")], label: "PgDn", intent: .pageDown, description: "page down (Space)",
      scope: .journey, hint: nil),
    Binding(
      keys: [.home, .character("g")], label: "Home", intent: .top, description: "first step (g)",
      scope: .journey, hint: nil),
    Binding(
      keys: [.end, .character("G")], label: "End", intent: .bottom, description: "last step (G)",
      scope: .journey, hint: nil),
    Binding(
      keys: [.escape], label: "Esc", intent: .toggleJourney, description: "leave journey mode",
      scope: .journey, hint: "leave"),
    Binding(
      keys: [.escape], label: "Esc", intent: .cancelProbe, description: "cancel the probe",
      scope: .probing, hint: "cancel probe"),
    Binding(
      keys: [.character("t")], label: "t", intent: .showTranscripts,
      description: "the protocol transcripts of the selected hop's servers", scope: .probed,
      hint: "transcript"),
    Binding(
      keys: [.character("r")], label: "r", intent: .reprobe, description: "probe the same domain again",
      scope: .probed, hint: "re-probe"),
    Binding(
      keys: [.character("s")], label: "s", intent: .saveReport,
      description: "save the report as JSON (the probe --json schema)", scope: .probed, hint: "save"),
    Binding(
      keys: [.character("c")], label: "c", intent: .showChecklist,
      description: "the domain's checklist: every check with pass, warn or fail", scope: .probed,
      hint: "checklist"),
    Binding(
      keys: [.character("x")], label: "x", intent: .knowledgeView,
      description: "back to the knowledge view: put the probe away (cancelled if it runs)", scope: .probed,
      hint: "knowledge view"),
    Binding(
      keys: [.escape, .character("?"), .character("q"), .character("t"), .character("c")], label: "Esc",
      intent: .closeOverlay,
      description: "close the window", scope: .help, hint: "close"),
    Binding(
      keys: [.enter], label: "Enter", intent: .promptSubmit,
      description: "open the file, probe the domain, save",
      scope: .prompt, hint: "confirm"),
    Binding(
      keys: [.escape, .control("c")], label: "Esc", intent: .promptCancel, description: "cancel",
      scope: .prompt,
      hint: "cancel"),
    Binding(
      keys: [.left, .right, .home, .end, .backspace, .delete], label: "←/→", intent: .promptEdit,
      description: "move and delete (also Ctrl-A, Ctrl-E, Ctrl-D)", scope: .prompt, hint: nil),
    Binding(
      keys: [.up, .down], label: "↑/↓", intent: .promptEdit, description: "earlier domains (probe prompt)",
      scope: .prompt, hint: "history"),
    Binding(
      keys: [.control("u")], label: "Ctrl-U", intent: .promptEdit, description: "clear to the start",
      scope: .prompt, hint: "clear"),
    Binding(
      keys: [.control("w")], label: "Ctrl-W", intent: .promptEdit,
      description: "delete the word before the cursor",
      scope: .prompt, hint: "delete word"),
    Binding(
      keys: [.up, .character("k")], label: "↑/↓", intent: .lineUp, description: "previous row (k)",
      scope: .list, hint: "row"),
    Binding(
      keys: [.down, .character("j")], label: "", intent: .lineDown, description: "next row (j)",
      scope: .list,
      hint: nil),
    Binding(
      keys: [.pageUp], label: "PgUp", intent: .pageUp, description: "page up", scope: .list, hint: nil),
    Binding(
      keys: [.pageDown, .character(" ")], label: "PgDn", intent: .pageDown, description: "page down (Space)",
      scope: .list, hint: nil),
    Binding(
      keys: [.home, .character("g")], label: "Home", intent: .top, description: "first row (g)",
      scope: .list,
      hint: nil),
    Binding(
      keys: [.end, .character("G")], label: "End", intent: .bottom, description: "last row (G)",
      scope: .list,
      hint: nil),
    Binding(
      keys: [.enter], label: "Enter", intent: .open,
      description: "open: a domain's messages, a message's journey, a scanned domain's report", scope: .list,
      hint: "open"),
    Binding(
      keys: [.escape, .backspace], label: "Esc", intent: .back,
      description: "back: clear the filter, leave the domain, or close the list", scope: .list,
      hint: "back"),
    Binding(
      keys: [.character("s")], label: "s", intent: .cycleSort,
      description: "the next order (mailbox: messages, worst rating, cleartext share; scan: each column)",
      scope: .list, hint: "order"),
    Binding(
      keys: [.character("/")], label: "/", intent: .searchPrompt,
      description: "keep only rows with a word: a domain, a rating (insecure), relay:weak in a scan",
      scope: .list,
      hint: "filter"),
    Binding(
      keys: [.character("?")], label: "?", intent: .toggleHelp, description: "help", scope: .list,
      hint: "help"),
    Binding(
      keys: [.character("q"), .control("c")], label: "q", intent: .quit, description: "quit", scope: .list,
      hint: "quit"),
    Binding(
      keys: [.up, .character("k")], label: "↑/↓", intent: .lineUp, description: "scroll the help",
      scope: .help, hint: "scroll"),
    Binding(
      keys: [.character("/")], label: "/", intent: .searchPrompt,
      description: "search the window (then n, N)",
      scope: .help, hint: "search"),
    Binding(
      keys: [.down, .character("j")], label: "", intent: .lineDown, description: "scroll down", scope: .help,
      hint: nil),
    Binding(keys: [.pageUp], label: "PgUp", intent: .pageUp, description: "page up", scope: .help, hint: nil),
    Binding(
      keys: [.pageDown, .character(" ")], label: "PgDn", intent: .pageDown, description: "page down (Space)",
      scope: .help, hint: nil),
    Binding(
      keys: [.home, .character("g")], label: "Home", intent: .top, description: "to the top (g)",
      scope: .help,
      hint: nil),
    Binding(
      keys: [.end, .character("G")], label: "End", intent: .bottom, description: "to the end (G)",
      scope: .help,
      hint: nil),
  ])

  /// Scopes that apply, most specific first.
  public static func scopes(for state: ExplorerState) -> [Scope] {
    if state.prompt != nil { return [.prompt] }
    if state.overlay == .mailbox || state.overlay == .scan { return [.list] }
    let searching = state.search.map { SearchFeature.applies($0, to: state) } ?? false
    if state.overlay != nil { return searching ? [.search, .help] : [.help] }
    let pane: Scope =
      switch state.focus {
      case .diagram, .table: state.mode == .journey ? .journey : .hops
      case .details: .details
      case .journey: .journey
      }
    var scopes = searching ? [.search, pane] : [pane]
    if let probe = state.probe {
      if probe.isRunning { scopes.append(.probing) }
      scopes.append(.probed)
    }
    return scopes + [.global]
  }

  /// The intent of a key in the current state, the most specific scope winning.
  public func intent(for key: KeyEvent, in state: ExplorerState) -> Intent? {
    for scope in Self.scopes(for: state) {
      if let binding = bindings.first(where: { $0.scope == scope && $0.keys.contains(key) }) {
        if case .jumpToHop = binding.intent, case .character(let c) = key, let digit = c.wholeNumberValue {
          return .jumpToHop(digit - 1)
        }
        return binding.intent
      }
    }
    return nil
  }

  /// Footer hints for the current state, each binding once, in table order within each scope.
  public func hints(for state: ExplorerState, scopes: [Scope]? = nil) -> [(key: String, text: String)] {
    // A binding whose keys a more specific scope already takes is not offered: it would not happen.
    var taken: Set<KeyEvent> = []
    var hints: [(key: String, text: String)] = []
    for scope in scopes ?? Self.scopes(for: state) {
      let inScope = bindings.filter { $0.scope == scope }
      for binding in inScope where !binding.keys.allSatisfy(taken.contains) {
        // M is offered only when there is a list to bring back.
        if binding.intent == .showList && state.mailbox == nil && state.scan == nil { continue }
        if let hint = binding.hint { hints.append((binding.label, hint)) }
      }
      for binding in inScope { taken.formUnion(binding.keys) }
    }
    return hints
  }
}
