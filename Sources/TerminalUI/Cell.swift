/// One terminal cell: a character and its style role. A wide character occupies its cell and marks the
/// next one as its continuation.
public struct Cell: Sendable, Equatable {
  public var character: Character
  public var role: StyleRole
  /// Drawn in reverse video (selection, focus); kept apart from the role so a selected ✔ stays green.
  public var reversed: Bool
  /// The right half of a wide character: nothing is drawn here.
  public var isContinuation: Bool

  public init(_ character: Character = " ", role: StyleRole = .normal, reversed: Bool = false) {
    self.character = character
    self.role = role
    self.reversed = reversed
    self.isContinuation = false
  }

  public static let blank = Cell()
}
