/// A strict RFC 8259 JSON parser that reports the line and column of any syntax error and rejects
/// duplicate object keys. Foundation's parser on Linux reports neither, and a person editing the
/// knowledge base needs both.
public struct JSONParser {
  public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    public var description: String { "\(location): \(message)" }

    public init(location: SourceLocation, message: String) {
      self.location = location
      self.message = message
    }
  }

  /// Nesting deeper than this is refused rather than risking the stack on hostile input.
  public static let maximumDepth = 256

  private let bytes: [UInt8]
  private var index = 0
  private var line = 1
  private var lineStart = 0
  private var depth = 0

  public static func parse(_ text: String) throws(SyntaxError) -> JSONNode {
    try parse(Array(text.utf8))
  }

  public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONNode {
    var parser = JSONParser(bytes: bytes)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
    parser.skipWhitespace()
    let node = try parser.parseValue()
    parser.skipWhitespace()
    if parser.index < bytes.count {
      throw parser.error("unexpected \(parser.describeCurrent()) after the end of the JSON value")
    }
    return node
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  /// Where the last column was counted, so that counting continues from there: locations are asked
  /// for in increasing order, and recounting from the line start would make one long line quadratic.
  private final class ColumnCache {
    var index = 0
    var column = 1
  }
  private let columns = ColumnCache()

  private var location: SourceLocation {
    let end = min(index, bytes.count)
    if columns.index < lineStart || columns.index > end {
      columns.index = lineStart
      columns.column = 1
    }
    // Columns count characters, not bytes: skip UTF-8 continuation bytes.
    for byte in bytes[columns.index..<end] where byte & 0xC0 != 0x80 { columns.column += 1 }
    columns.index = end
    return SourceLocation(line: line, column: columns.column)
  }

  private func error(_ message: String) -> SyntaxError {
    SyntaxError(location: location, message: message)
  }

  private func describeCurrent() -> String {
    guard index < bytes.count else { return "end of file" }
    let byte = bytes[index]
    if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte 0x" + String(byte, radix: 16, uppercase: true)
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0D: index += 1
      case 0x0A:
        index += 1
        line += 1
        lineStart = index
      default: return
      }
    }
  }

  private mutating func parseValue() throws(SyntaxError) -> JSONNode {
    let start = location
    guard index < bytes.count else { throw error("expected a value, found end of file") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return JSONNode(try parseObject(), at: start)
    case UInt8(ascii: "["): return JSONNode(try parseArray(), at: start)
    case UInt8(ascii: "\""): return JSONNode(.string(try parseString()), at: start)
    case UInt8(ascii: "t"):
      try expectWord("true")
      return JSONNode(.bool(true), at: start)
    case UInt8(ascii: "f"):
      try expectWord("false")
      return JSONNode(.bool(false), at: start)
    case UInt8(ascii: "n"):
      try expectWord("null")
      return JSONNode(.null, at: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return JSONNode(.number(try parseNumber()), at: start)
    default:
      throw error("expected a value, found \(describeCurrent())")
    }
  }

  private mutating func expectWord(_ word: String) throws(SyntaxError) {
    let utf8 = Array(word.utf8)
    guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
      throw error("expected a value, found \(describeCurrent())")
    }
    index += utf8.count
  }

  private mutating func enterContainer() throws(SyntaxError) {
    depth += 1
    if depth > Self.maximumDepth { throw error("nesting deeper than \(Self.maximumDepth) levels") }
  }

  private mutating func parseObject() throws(SyntaxError) -> JSONNode.Value {
    try enterContainer()
    defer { depth -= 1 }
    index += 1
    var members: [JSONNode.Member] = []
    var seen: [String: SourceLocation] = [:]
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error("expected a quoted member name, found \(describeCurrent())")
      }
      let keyLocation = location
      let key = try parseString()
      if let first = seen[key] {
        throw SyntaxError(
          location: keyLocation, message: "duplicate member \"\(key)\" (first at line \(first.line))")
      }
      seen[key] = keyLocation
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw error("expected ':' after member name \"\(key)\", found \(describeCurrent())")
      }
      index += 1
      skipWhitespace()
      members.append(JSONNode.Member(key: key, value: try parseValue()))
      skipWhitespace()
      guard index < bytes.count else { throw error("expected ',' or '}', found end of file") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      throw error("expected ',' or '}' after member \"\(key)\", found \(describeCurrent())")
    }
  }

  private mutating func parseArray() throws(SyntaxError) -> JSONNode.Value {
    try enterContainer()
    defer { depth -= 1 }
    index += 1
    var elements: [JSONNode] = []
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue())
      skipWhitespace()
      guard index < bytes.count else { throw error("expected ',' or ']', found end of file") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(elements)
      }
      throw error("expected ',' or ']' in array, found \(describeCurrent())")
    }
  }

  private mutating func parseNumber() throws(SyntaxError) -> String {
    let start = index
    func digits(_ parser: inout JSONParser) -> Int {
      let begin = parser.index
      while parser.index < parser.bytes.count,
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index])
      {
        parser.index += 1
      }
      return parser.index - begin
    }
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    if index < bytes.count && bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else if digits(&self) == 0 {
      throw error("expected digits in number, found \(describeCurrent())")
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      index += 1
      if digits(&self) == 0 { throw error("expected digits after '.', found \(describeCurrent())") }
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
        index += 1
      }
      if digits(&self) == 0 { throw error("expected digits in exponent, found \(describeCurrent())") }
    }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  private mutating func parseString() throws(SyntaxError) -> String {
    index += 1
    // Runs between escapes are validated and appended whole; most strings are one run, kept as it was
    // validated (the knowledge base is parsed at every start).
    var text = ""
    var runStart = index
    func flushRun(_ parser: JSONParser, into text: inout String) throws(SyntaxError) {
      guard runStart < parser.index else { return }
      guard let run = String(validating: parser.bytes[runStart..<parser.index], as: UTF8.self) else {
        throw parser.error("string is not valid UTF-8")
      }
      if text.isEmpty { text = run } else { text.append(run) }
    }
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        try flushRun(self, into: &text)
        index += 1
        return text
      case UInt8(ascii: "\\"):
        try flushRun(self, into: &text)
        text.unicodeScalars.append(try parseEscape())
        runStart = index
      case 0x00..<0x20:
        throw error(
          byte == 0x0A ? "unterminated string (line break inside quotes)" : "control character in string")
      default:
        index += 1
      }
    }
    throw error("unterminated string, found end of file")
  }

  private mutating func parseEscape() throws(SyntaxError) -> Unicode.Scalar {
    index += 1
    guard index < bytes.count else { throw error("unterminated escape, found end of file") }
    let byte = bytes[index]
    index += 1
    switch byte {
    case UInt8(ascii: "\""): return "\""
    case UInt8(ascii: "\\"): return "\\"
    case UInt8(ascii: "/"): return "/"
    case UInt8(ascii: "b"): return "\u{08}"
    case UInt8(ascii: "f"): return "\u{0C}"
    case UInt8(ascii: "n"): return "\n"
    case UInt8(ascii: "r"): return "\r"
    case UInt8(ascii: "t"): return "\t"
    case UInt8(ascii: "u"):
      let high = try parseHex4()
      if (0xD800..<0xDC00).contains(high) {
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        else { throw error("unpaired UTF-16 surrogate in \\u escape") }
        index += 2
        let low = try parseHex4()
        guard (0xDC00..<0xE000).contains(low) else { throw error("invalid UTF-16 surrogate pair") }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
      }
      guard let scalar = Unicode.Scalar(high) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
      return scalar
    default:
      index -= 1
      throw error("invalid escape '\\\(describeCurrent())'")
    }
  }

  private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard index < bytes.count, let digit = hexValue(bytes[index]) else {
        throw error("expected four hex digits in \\u escape")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  private func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }
}
