/// A position in a text file, 1-based, for error messages a person can follow.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public var description: String { "line \(line), column \(column)" }
}

/// A parsed JSON value that remembers where it stood in its file, so that a knowledge-base problem found
/// long after parsing can still be reported at its line and column.
public struct JSONNode: Sendable, Equatable {
  public struct Member: Sendable, Equatable {
    public var key: String
    public var value: JSONNode
  }

  public indirect enum Value: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, kept so integers and fractions can be told apart exactly.
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([Member])
  }

  public var value: Value
  public var location: SourceLocation

  public init(_ value: Value, at location: SourceLocation) {
    self.value = value
    self.location = location
  }

  /// The kind of value, as a user reading an error message would name it.
  public var kindName: String {
    switch value {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}
