import TerminalUI

/// Something on screen the mouse can act on.
public enum HitTarget: Sendable, Equatable {
  /// A hop's arrow (in the diagram) or row (in the table).
  case hop(Int, in: ExplorerState.Pane)
  case pane(ExplorerState.Pane)
  /// An RFC link in the details pane.
  case link(Int)
  /// The help overlay.
  case overlay
}

/// A rendered screen and the regions the mouse can hit, from the same render, so clicks always
/// match what is drawn.
public struct ExplorerFrame: Sendable {
  public var buffer: ScreenBuffer
  /// Later regions are on top of earlier ones.
  public var hits: [(Rect, HitTarget)] = []
  /// What this frame laid out, reported back to the reducer.
  public var viewport = ExplorerViewport()

  public init(buffer: ScreenBuffer) {
    self.buffer = buffer
  }

  /// The topmost target under a cell.
  public func target(x: Int, y: Int) -> HitTarget? {
    hits.last { $0.0.contains(x: x, y: y) }?.1
  }
}
