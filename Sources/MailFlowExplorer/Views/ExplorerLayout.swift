import TerminalUI

/// Where each pane goes for a terminal size and mode: the hop table first, because it is what the tool
/// is about. The rule, in order:
/// - The table takes the height its full form needs when the details still get `minimumContent` rows
///   below it; otherwise it is compact (a line per hop, best rating first) and the details get the rest.
/// - From `wideColumns` on, the table spans the width and the details (or journey) text below it flows
///   into two columns side by side, so a wide terminal shows twice the text instead of blank rows.
/// - Stepping a journey on a short, narrow terminal hides the table: the diagram shows the hop, and the
///   transcript needs the room.
/// Computed by the render pass only; the reducer learns the result from the frame's viewport.
public struct ExplorerLayout: Sendable, Equatable {
  public var header: Rect
  public var diagram: Rect
  public var table: Rect?
  public var content: Rect?
  public var footer: Rect
  var tableForm: HopTableView.Form
  /// Columns the details or journey text flows into.
  public var contentColumns: Int

  /// Columns from which the content pane's text is set in two columns.
  public static let wideColumns = 160
  /// Rows (borders included) below which the details pane is not worth showing beside a full table.
  static let minimumContent = 8

  public init(_ state: ExplorerState, keymap: Keymap = .standard) {
    let screen = Rect(x: 0, y: 0, width: state.width, height: state.height)
    let (header, belowHeader) = screen.splitTop(1)
    let (middle, footer) = belowHeader.splitBottom(
      FooterView.height(state, keymap: keymap, width: state.width))
    // The description line under the diagram only when there is room for it.
    let diagramHeight = state.height >= 30 ? 6 : 5
    let (diagram, rest) = middle.splitTop(diagramHeight)
    self.header = header
    self.footer = footer
    self.diagram = diagram
    let wide = state.width >= Self.wideColumns
    contentColumns = wide ? 2 : 1
    tableForm = .full
    if state.mode == .journey && rest.height < 30 && !wide {
      table = nil
      content = rest
      return
    }
    let full = HopTableView.naturalHeight(state, width: rest.width, form: .full)
    let height: Int
    if rest.height - full >= Self.minimumContent {
      height = full
    } else {
      tableForm = .compact
      height = min(HopTableView.naturalHeight(state, width: rest.width, form: .compact), rest.height - 5)
    }
    let (top, bottom) = rest.splitTop(height)
    table = top
    content = bottom
  }

  public func rect(of pane: ExplorerState.Pane) -> Rect? {
    switch pane {
    case .diagram: diagram
    case .table: table
    case .details, .journey: content
    }
  }
}
