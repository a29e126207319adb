/// The hop selection and the details pane: scrolling, moving between the RFC links on screen, and an
/// RFC opened in the pane's place.
enum DetailsFeature {
  static func selectHop(_ index: Int, _ state: inout ExplorerState) {
    let clamped = max(0, min(state.knowledge.hops.count - 1, index))
    guard clamped != state.selectedHop else { return }
    state.selectedHop = clamped
    if state.search?.target == .details { state.search?.current = nil }
    state.detailsScroll = 0
    state.detailsLink = nil
    state.openRFC = nil
  }

  static func openRFC(_ number: Int, _ state: inout ExplorerState) {
    state.detailsReturnScroll = state.detailsScroll
    state.openRFC = number
    state.detailsScroll = 0
    state.detailsLink = nil
  }

  static func openHighlightedLink(_ state: inout ExplorerState) {
    let links = state.viewport.details.links
    guard let index = state.detailsLink, links.indices.contains(index) else { return }
    openRFC(links[index].number, &state)
  }

  /// Back from an opened RFC to the hop, scrolled where it was; `false` when no RFC is open.
  static func closeRFC(_ state: inout ExplorerState) -> Bool {
    guard state.openRFC != nil else { return false }
    state.openRFC = nil
    state.detailsScroll = state.detailsReturnScroll
    return true
  }

  /// Up and down move between the RFC links that are on screen, and scroll when there is none to move
  /// to; paging and Home/End only scroll.
  static func scroll(_ intent: Intent, _ state: inout ExplorerState) {
    let text = state.viewport.details
    let links = text.links
    let scroll = text.clamped(state.detailsScroll)
    let onScreen = { (index: Int) in
      links.indices.contains(index) && (scroll..<scroll + text.visible).contains(links[index].line)
    }
    switch intent {
    case .lineDown:
      let after = (state.detailsLink ?? -1) + 1
      if let next = links.indices.first(where: { $0 >= after && onScreen($0) }) {
        state.detailsLink = next
      } else {
        state.detailsScroll = ExplorerReducer.scrolled(scroll, .lineDown, in: text)
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
      scrollText(intent, &state)
    }
  }

  /// Scrolls the text only; a highlighted link that leaves the screen is no longer highlighted.
  static func scrollText(_ intent: Intent, _ state: inout ExplorerState) {
    let text = state.viewport.details
    state.detailsScroll = ExplorerReducer.scrolled(text.clamped(state.detailsScroll), intent, in: text)
    if let current = state.detailsLink, !text.links.isEmpty {
      let line = text.links[min(current, text.links.count - 1)].line
      if !(state.detailsScroll..<state.detailsScroll + text.visible).contains(line) {
        state.detailsLink = nil
      }
    }
  }
}
