/// The scan list (`--scan`): moving, ordering, filtering, and opening a domain's report in the normal
/// panes (offline, as `--report` does); the loading that fills it.
enum ScanFeature {
  static func reduce(_ state: inout ExplorerState, _ action: ExplorerAction) -> [ExplorerEffect] {
    switch action {
    case .scanProgress(let rows, let unreadable):
      state.scan?.add(rows)
      state.scan?.unreadable += unreadable
    case .scanFinished(let failure):
      state.scan?.loading = false
      state.scan?.failure = failure
    default:
      break
    }
    return []
  }

  static func perform(_ intent: Intent, _ state: inout ExplorerState) -> [ExplorerEffect] {
    guard var browser = state.scan else { return [] }
    defer { state.scan = browser }
    let count = browser.shownRows.count
    switch intent {
    case .showList:
      state.overlay = .scan
    case .lineUp, .lineDown, .pageUp, .pageDown, .top, .bottom:
      browser.selected = ExplorerReducer.selected(
        browser.selected, intent, count: count, visible: state.viewport.overlay.visible)
    case .open:
      let rows = browser.shownRows
      guard rows.indices.contains(browser.selected) else { return [] }
      let row = rows[browser.selected]
      state.status = "opening \(row.domain)…"
      return [.openScanReport(file: browser.path, offset: row.offset, length: row.length, domain: row.domain)]
    case .back:
      if browser.filter != nil {
        browser.filter = nil
        browser.selected = 0
      } else {
        state.overlay = nil
        state.status = "M brings the scan list back"
      }
    case .cycleSort:
      let all = ScanBrowser.Column.allCases
      browser.sort = all[((all.firstIndex(of: browser.sort) ?? 0) + 1) % all.count]
      browser.selected = 0
      state.status = "ordered by \(browser.sort.rawValue)" + (browser.sort == .domain ? "" : ", worst first")
    default:
      break
    }
    return []
  }

  static func filter(_ word: String, _ state: inout ExplorerState) {
    state.scan?.filter = word.isEmpty ? nil : word
    state.scan?.selected = 0
    if state.scan?.shownRows.isEmpty == true {
      state.status = "nothing matches '\(word)'; Esc shows every row"
    }
  }
}
