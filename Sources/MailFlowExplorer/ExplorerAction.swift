import MailFlowModel
import TerminalUI

/// Everything that can happen to the explorer.
public enum ExplorerAction: Sendable, Equatable {
  case key(KeyEvent)
  /// A mouse event and what was under it in the last frame.
  case mouse(MouseEvent.Kind, HitTarget?)
  case resize(width: Int, height: Int)
  /// The outcome of an `openMessage` effect: the message's journey, or why it could not be read.
  case messageLoaded(Result<Journey, MessageLoadError>)
}

/// Why a message could not be opened, in one line.
public struct MessageLoadError: Error, Sendable, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// Work the reducer asks the outside world to do.
public enum ExplorerEffect: Sendable, Equatable {
  case quit
  /// Read the message at this path and answer with `.messageLoaded`.
  case openMessage(String)
}
