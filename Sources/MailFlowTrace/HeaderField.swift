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

  /// Names compare with ASCII letters folded (a name is printable ASCII), without lowercased copies: a
  /// trace looks up a dozen names among thousands of fields.
  public func `is`(_ other: String) -> Bool {
    guard name.utf8.count == other.utf8.count else { return false }
    return name.utf8.startsWithFoldingCase(other.utf8)
      ?? zip(name.utf8, other.utf8).allSatisfy { ByteScanner.lower($0) == ByteScanner.lower($1) }
  }
}
