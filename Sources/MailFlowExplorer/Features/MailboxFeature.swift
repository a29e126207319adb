import MailFlowModel

/// The mailbox list (`--mailbox`): the sending domains, then one domain's messages, then a message's
/// journey — moving, opening, going back, ordering and filtering, and the loading that fills it.
enum MailboxFeature {
  static func reduce(_ state: inout ExplorerState, _ action: ExplorerAction) -> [ExplorerEffect] {
    switch action {
    case .mailboxProgress(let entries, let summary):
      state.mailbox?.add(entries, summary: summary)
      clampSelection(&state)
    case .mailboxFinished(let failure):
      state.mailbox?.loading = false
      state.mailbox?.failure = failure
    default:
      break
    }
    return []
  }

  static func perform(_ intent: Intent, _ state: inout ExplorerState) -> [ExplorerEffect] {
    guard var browser = state.mailbox else {
      state.status = "no mailbox: open one with 'mailflow explore --mailbox PATH'"
      return []
    }
    defer { state.mailbox = browser }
    switch intent {
    case .showList:
      state.overlay = .mailbox
    case .lineUp, .lineDown, .pageUp, .pageDown, .top, .bottom:
      browser.selected = ExplorerReducer.selected(
        browser.selected, intent, count: browser.rowCount, visible: state.viewport.overlay.visible)
    case .open:
      if browser.domain == nil {
        let rows = browser.domainRows
        guard rows.indices.contains(browser.selected) else { return [] }
        browser.openedDomain = rows[browser.selected].domain
        browser.domain = rows[browser.selected].domain
        browser.selected = 0
        browser.filter = nil
      } else {
        let rows = browser.messageRows
        guard rows.indices.contains(browser.selected) else { return [] }
        let entry = rows[browser.selected]
        state.lastRequest += 1
        state.awaitedRequest = state.lastRequest
        state.status = "opening \(entry.messageId ?? entry.file)…"
        return [.openMailboxMessage(file: entry.file, offset: entry.offset, request: state.lastRequest)]
      }
    case .back:
      if browser.filter != nil {
        browser.filter = nil
        browser.selected = 0
      } else if browser.domain != nil {
        browser.domain = nil
        browser.selected = browser.domainRows.firstIndex { $0.domain == browser.openedDomain } ?? 0
      } else {
        state.overlay = nil
        state.status = "M brings the mailbox list back"
      }
    case .cycleSort where browser.domain != nil:
      state.status = "a domain's messages are listed newest first"
    case .cycleSort:
      let all = MailboxBrowser.Sort.allCases
      browser.sort = all[((all.firstIndex(of: browser.sort) ?? 0) + 1) % all.count]
      browser.selected = 0
      state.status = "ordered by \(browser.sort.rawValue)"
    default:
      break
    }
    return []
  }

  /// Keeps only the rows containing `word` (a domain, a rating such as `insecure`, a message id).
  static func filter(_ word: String, _ state: inout ExplorerState) {
    state.mailbox?.filter = word.isEmpty ? nil : word
    state.mailbox?.selected = 0
    if state.mailbox?.rowCount == 0 { state.status = "nothing matches '\(word)'; Esc shows every row" }
  }

  static func clampSelection(_ state: inout ExplorerState) {
    guard let browser = state.mailbox else { return }
    state.mailbox?.selected = max(0, min(browser.rowCount - 1, browser.selected))
  }
}
