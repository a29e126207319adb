/// Input from the terminal, decoded by the backend into something the reducer can match on.
public enum KeyEvent: Sendable, Equatable, Hashable {
  case character(Character)
  /// Ctrl plus a letter, e.g. `.control("c")`.
  case control(Character)
  case up, down, left, right
  case pageUp, pageDown, home, end
  case tab, backTab
  case enter, escape, backspace, delete
  case function(Int)
  /// The terminal changed size; the new size comes with it.
  case resize(width: Int, height: Int)
  case mouse(MouseEvent)
}

/// A mouse event at a cell.
public struct MouseEvent: Sendable, Equatable, Hashable {
  public enum Kind: Sendable, Equatable, Hashable {
    case click, wheelUp, wheelDown
  }

  public var kind: Kind
  public var x: Int
  public var y: Int

  public init(_ kind: Kind, x: Int, y: Int) {
    self.kind = kind
    self.x = x
    self.y = y
  }
}
