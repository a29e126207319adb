import TerminalUI

/// A one-line text field with the editing keys of a shell: arrows, Home/End (Ctrl-A/Ctrl-E),
/// Backspace/Delete, Ctrl-U (clear to start), Ctrl-W (delete the word before the cursor). Pure.
public struct LineEditor: Sendable, Equatable {
  public var text: String
  /// Cursor position in characters, 0...text.count.
  public var cursor: Int

  /// Longer than any path or domain a prompt takes; a paste beyond it is cut, so editing stays fast.
  public static let maximumLength = 4096

  public init(text: String = "") {
    self.text = text
    cursor = text.count
  }

  public enum Outcome: Sendable, Equatable {
    case edited
    case submit
    case cancel
    case ignored
  }

  public mutating func handle(_ key: KeyEvent) -> Outcome {
    defer { cursor = min(max(0, cursor), text.count) }
    var characters = Array(text)
    // A character typed after another may merge with it (e + U+0301, flag halves): keep the cursor inside.
    cursor = min(max(0, cursor), characters.count)
    switch key {
    case .enter: return .submit
    case .escape, .control("c"), .control("g"): return .cancel
    case .left, .control("b"): cursor = max(0, cursor - 1)
    case .right, .control("f"): cursor = min(characters.count, cursor + 1)
    case .home, .control("a"): cursor = 0
    case .end, .control("e"): cursor = characters.count
    case .backspace, .control("h"):
      guard cursor > 0 else { return .edited }
      characters.remove(at: cursor - 1)
      cursor -= 1
    case .delete, .control("d"):
      guard cursor < characters.count else { return .edited }
      characters.remove(at: cursor)
    case .control("u"):
      characters.removeFirst(cursor)
      cursor = 0
    case .control("k"):
      characters.removeLast(characters.count - cursor)
    case .control("w"):
      var start = cursor
      while start > 0 && characters[start - 1] == " " { start -= 1 }
      while start > 0 && characters[start - 1] != " " && characters[start - 1] != "/" { start -= 1 }
      if start == cursor && start > 0 { start -= 1 }  // a lone separator
      characters.removeSubrange(start..<cursor)
      cursor = start
    case .character(let c):
      guard characters.count < Self.maximumLength else { return .ignored }
      characters.insert(c, at: cursor)
      cursor += 1
    default:
      return .ignored
    }
    text = String(characters)
    return .edited
  }
}
