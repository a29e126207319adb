import MailFlowModel
import Testing

@Suite struct JSONParserTests {
  @Test func parsesEveryKindOfValue() throws {
    let node = try JSONParser.parse(#"{"a": [1, -2.5e3, true, false, null, "x\u00e9\n"], "b": {}}"#)
    guard case .object(let members) = node.value else {
      Issue.record("not an object")
      return
    }
    #expect(members.map(\.key) == ["a", "b"])
    guard case .array(let values) = members[0].value.value else {
      Issue.record("not an array")
      return
    }
    #expect(
      values.map(\.value) == [
        .number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null, .string("xé\n"),
      ])
  }

  @Test func decodesSurrogatePairs() throws {
    #expect(try JSONParser.parse(#""\ud83d\udce7""#).value == .string("📧"))
  }

  @Test func recordsLocationsOfValues() throws {
    let node = try JSONParser.parse("{\n  \"k\": [\n    7\n  ]\n}")
    guard case .object(let members) = node.value, case .array(let values) = members[0].value.value else {
      Issue.record("shape")
      return
    }
    #expect(values[0].location == SourceLocation(line: 3, column: 5))
  }

  @Test(arguments: [
    ("{\"a\": 1,}", 1, 9, "expected a quoted member name, found '}'"),
    ("[1 2]", 1, 4, "expected ',' or ']' in array, found '2'"),
    ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate member \"a\" (first at line 1)"),
    ("\"abc", 1, 5, "unterminated string, found end of file"),
    ("{\n\"a\": tru}", 2, 6, "expected a value, found 't'"),
    ("01", 1, 2, "unexpected '1' after the end of the JSON value"),
    ("", 1, 1, "expected a value, found end of file"),
    ("\"\\ud800\"", 1, 8, "unpaired UTF-16 surrogate in \\u escape"),
    ("[\"a\nb\"]", 1, 4, "unterminated string (line break inside quotes)"),
  ])
  func reportsSyntaxErrorsWithLineAndColumn(text: String, line: Int, column: Int, message: String) {
    #expect(
      throws: JSONParser.SyntaxError(location: SourceLocation(line: line, column: column), message: message)
    ) {
      try JSONParser.parse(text)
    }
  }

  @Test func columnsCountCharactersNotBytes() {
    #expect(
      throws: JSONParser.SyntaxError(
        location: SourceLocation(line: 1, column: 8), message: "expected a value, found 'x'")
    ) {
      try JSONParser.parse("[\"✔✘\", x]")
    }
  }

  @Test func refusesHostileNesting() {
    let deep = String(repeating: "[", count: 10_000)
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
  }

  @Test func rejectsInvalidUTF8() {
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
  }

  @Test func survivesArbitraryBytes() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
        "{}[],:\"\\ 0123456789-.eEtrufalsn".utf8.randomElement(using: &generator)!
      }
      _ = try? JSONParser.parse(bytes)
    }
  }
}

@Suite("JSON parser on large input")
struct JSONParserScaleTests {
  /// A minified file is one long line; locating values on it must not recount the line each time.
  @Test func aLongSingleLineParsesInLinearTime() throws {
    let text = "[" + Array(repeating: "1", count: 300_000).joined(separator: ",") + "]"
    guard case .array(let values) = try JSONParser.parse(text).value else {
      Issue.record("not an array")
      return
    }
    #expect(values.count == 300_000)
    #expect(values.last?.location == SourceLocation(line: 1, column: 600_000))
  }
}
