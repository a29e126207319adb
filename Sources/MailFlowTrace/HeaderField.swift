/// One header field of a message, unfolded, with the text as it appeared.
public struct HeaderField: Sendable, Equatable {
  /// The field name as written (case kept); compare with `is(_:)`.
  public var name: String
  /// The unfolded value, leading white space removed; bytes that are not UTF-8 appear as `\xNN`.
  public var value: String
  /// 1-based line where the field starts in the file.
  public var line: Int

  public init(name: String, value: String, line: Int) {
    self.name = name
    self.value = value
    self.line = line
  }

  public func `is`(_ other: String) -> Bool { name.lowercased() == other.lowercased() }
}
