import TerminalUI

/// The one-line question on the footer: a message file to trace, a domain to probe, where to save the
/// report. Enter asks for the effect; its answer (or refusal) comes back as an action.
enum PromptFeature {
  static func open(_ purpose: ExplorerState.Prompt.Purpose, text: String = "", _ state: inout ExplorerState) {
    state.overlay = nil
    state.prompt = ExplorerState.Prompt(purpose: purpose, text: text)
  }

  /// An answer was refused: the prompt (opened again if it was closed) says why.
  static func refused(_ purpose: ExplorerState.Prompt.Purpose, _ reason: String, _ state: inout ExplorerState)
  {
    state.prompt?.waiting = false
    if state.prompt == nil { state.prompt = ExplorerState.Prompt(purpose: purpose) }
    state.prompt?.error = reason
  }

  /// Keys while a prompt is open: Enter submits, Esc cancels, everything else edits the line.
  static func key(_ key: KeyEvent, _ state: inout ExplorerState) -> [ExplorerEffect] {
    guard var prompt = state.prompt else { return [] }
    if key == .up || key == .down {
      browseHistory(up: key == .up, &prompt, history: history(prompt.purpose, state))
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
          case .search: "type a word to find, or Esc to cancel"
          }
        state.prompt = prompt
        return []
      }
      if prompt.purpose != .probeDomain {
        var earlier = state.promptHistory[prompt.purpose, default: []].filter { $0 != text }
        earlier.append(text)
        state.promptHistory[prompt.purpose] = Array(earlier.suffix(ProbeFeature.historyLimit))
      }
      if prompt.purpose == .search {
        state.prompt = nil
        // In the mailbox list, a search keeps only the rows that contain the word.
        if state.overlay == .mailbox {
          MailboxFeature.filter(text, &state)
        } else if state.overlay == .scan {
          ScanFeature.filter(text, &state)
        } else {
          SearchFeature.start(text, &state)
        }
        return []
      }
      prompt.waiting = true
      state.prompt = prompt
      switch prompt.purpose {
      case .openMessage:
        return [.openMessage(text, request: nextRequest(&state))]
      case .probeDomain:
        state.probeGeneration += 1
        return [.startProbe(domain: text, generation: state.probeGeneration)]
      case .saveReport:
        guard let report = state.probe?.report else {
          state.prompt = nil
          return []
        }
        return [.saveReport(path: text, report: report, request: nextRequest(&state))]
      case .search:
        return []
      }
    case .edited:
      prompt.error = nil
      state.prompt = prompt
    case .ignored:
      break
    }
    return []
  }

  /// A new request id, the one whose answer is now awaited.
  static func nextRequest(_ state: inout ExplorerState) -> Int {
    state.lastRequest += 1
    state.awaitedRequest = state.lastRequest
    return state.lastRequest
  }

  /// Each prompt's own history: the probe's is the domains (kept between sessions), the others' what was
  /// typed into them in this session.
  static func history(_ purpose: ExplorerState.Prompt.Purpose, _ state: ExplorerState) -> [String] {
    purpose == .probeDomain ? state.domainHistory : state.promptHistory[purpose, default: []]
  }

  /// Up goes to older entries, Down back towards the line being typed.
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
}
