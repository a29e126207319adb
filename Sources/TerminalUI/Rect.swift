/// A rectangle of cells. Layout is arithmetic on these, with no terminal involved.
public struct Rect: Sendable, Equatable, Hashable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }

  public var maxX: Int { x + width }
  public var maxY: Int { y + height }
  public var isEmpty: Bool { width == 0 || height == 0 }

  public func contains(x px: Int, y py: Int) -> Bool {
    px >= x && px < maxX && py >= y && py < maxY
  }

  /// The area inside a one-cell border.
  public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }

  /// Splits off `rows` rows at the top: (top, rest).
  public func splitTop(_ rows: Int) -> (Rect, Rect) {
    let rows = min(max(0, rows), height)
    return (
      Rect(x: x, y: y, width: width, height: rows),
      Rect(x: x, y: y + rows, width: width, height: height - rows)
    )
  }

  /// Splits off `rows` rows at the bottom: (rest, bottom).
  public func splitBottom(_ rows: Int) -> (Rect, Rect) {
    let rows = min(max(0, rows), height)
    return (
      Rect(x: x, y: y, width: width, height: height - rows),
      Rect(x: x, y: maxY - rows, width: width, height: rows)
    )
  }

  /// Splits off `columns` columns on the left: (left, rest).
  public func splitLeft(_ columns: Int) -> (Rect, Rect) {
    let columns = min(max(0, columns), width)
    return (
      Rect(x: x, y: y, width: columns, height: height),
      Rect(x: x + columns, y: y, width: width - columns, height: height)
    )
  }
}
