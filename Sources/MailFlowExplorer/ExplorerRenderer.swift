import TerminalUI

/// Renders the whole screen for a state: a pure function from state to frame (and to the viewport the
/// frame laid out, which the loop reports back to the reducer).
public enum ExplorerRenderer {
  public static func render(_ state: ExplorerState, keymap: Keymap = .standard) -> ExplorerFrame {
    var frame = ExplorerFrame(buffer: ScreenBuffer(width: state.width, height: state.height))
    let layout = ExplorerLayout(state, keymap: keymap)
    frame.viewport.panes = [.diagram, .table, state.contentPane].filter { layout.rect(of: $0) != nil }
    if state.isTooSmall {
      TooSmallView.render(state, into: &frame.buffer)
      if state.ascii { frame.buffer.transliterateToASCII() }
      return frame
    }
    HeaderView.render(state, in: layout.header, into: &frame.buffer)
    frame.hits.append((layout.diagram, .pane(.diagram)))
    DiagramView.render(state, in: layout.diagram, into: &frame)
    if let table = layout.table {
      frame.hits.append((table, .pane(.table)))
      HopTableView.render(state, in: table, form: layout.tableForm, into: &frame)
    }
    if let content = layout.content {
      switch state.mode {
      case .explore: DetailsView.render(state, in: content, columns: layout.contentColumns, into: &frame)
      case .journey: JourneyView.render(state, in: content, columns: layout.contentColumns, into: &frame)
      }
    }
    FooterView.render(state, keymap: keymap, in: layout.footer, into: &frame.buffer)
    switch state.overlay {
    case .help: HelpOverlay.render(state, keymap: keymap, into: &frame)
    case .transcript: TranscriptOverlay.render(state, into: &frame)
    case .checks: ChecklistOverlay.render(state, into: &frame)
    case .mailbox: MailboxOverlay.render(state, into: &frame)
    case .scan: ScanOverlay.render(state, into: &frame)
    case nil: break
    }
    if state.ascii { frame.buffer.transliterateToASCII() }
    return frame
  }
}
