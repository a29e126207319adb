import TerminalUI

/// Everything that can happen to the explorer.
public enum ExplorerAction: Sendable, Equatable {
  case key(KeyEvent)
  /// A mouse event and what was under it in the last frame.
  case mouse(MouseEvent.Kind, HitTarget?)
  case resize(width: Int, height: Int)
}

/// Work the reducer asks the outside world to do.
public enum ExplorerEffect: Sendable, Equatable {
  case quit
}
