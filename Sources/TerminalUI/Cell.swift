/// One terminal cell: a character and its style role. A wide character occupies its cell and marks the
/// next one as its continuation. The character is a single Unicode scalar: creating a `Character` per
/// cell costs more than the rest of a frame, and zero-width combining marks are not drawn anyway.
public struct Cell: Sendable, Equatable {
  public var character: Unicode.Scalar
  public var role: StyleRole
  /// Drawn in reverse video (selection, focus); kept apart from the role so a selected ✔ stays green.
  public var reversed: Bool
  /// The right half of a wide character: nothing is drawn here.
  public var isContinuation: Bool

  public init(_ character: Unicode.Scalar = " ", role: StyleRole = .normal, reversed: Bool = false) {
    self.character = character
    self.role = role
    self.reversed = reversed
    self.isContinuation = false
  }

  public static let blank = Cell()
}
