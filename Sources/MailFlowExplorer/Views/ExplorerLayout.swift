import TerminalUI

/// Where each pane goes for a terminal size and mode. Pure arithmetic, shared by rendering and by the
/// reducer (which needs pane heights to page and to keep selections in view).
public struct ExplorerLayout: Sendable, Equatable {
  public var header: Rect
  public var diagram: Rect
  public var table: Rect?
  public var content: Rect?
  public var footer: Rect
  /// Side by side (wide terminals) rather than stacked.
  public var sideBySide: Bool

  /// Columns from which the table and the details/journey pane sit side by side.
  public static let wideColumns = 160

  public init(_ state: ExplorerState) {
    let screen = Rect(x: 0, y: 0, width: state.width, height: state.height)
    let (header, belowHeader) = screen.splitTop(1)
    let (middle, footer) = belowHeader.splitBottom(1)
    // The description line under the diagram only when there is room for it.
    let diagramHeight = state.height >= 30 ? 6 : 5
    let (diagram, rest) = middle.splitTop(diagramHeight)
    self.header = header
    self.footer = footer
    self.diagram = diagram
    sideBySide = state.width >= Self.wideColumns
    if sideBySide {
      let (left, right) = rest.splitLeft(rest.width / 2)
      table = left
      content = right
    } else if state.mode == .journey && rest.height < 30 {
      // Stepping a journey on a small terminal: the diagram shows the hop; the transcript needs the room.
      table = nil
      content = rest
    } else {
      let tableHeight = min(max(7, rest.height * 2 / 5), HopTableView.naturalHeight(state, width: rest.width))
      let (top, bottom) = rest.splitTop(tableHeight)
      table = top
      content = bottom
    }
  }

  public func rect(of pane: ExplorerState.Pane) -> Rect? {
    switch pane {
    case .diagram: diagram
    case .table: table
    case .details, .journey: content
    }
  }
}
