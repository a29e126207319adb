import Testing

@testable import MailFlowTrace

/// Inputs chosen to break a parser: each of these once trapped, hung or leaked control characters.
@Suite("Hostile headers")
struct HostileInputTests {
  @Test(arguments: [
    "1 Jan 999999999999 00:00:00 +0000", "1 Jan -9223372036854775808 00:00:00 +0000",
    "31 Feb 2026 00:00:00 +0000",
    "29 Feb 2026 00:00:00 +0000", "1 Jan 2026 00:00:00 +9999",
  ])
  func impossibleDatesAreRefusedOrBounded(text: String) {
    let date = MessageDate.parse(text)
    if let date { #expect(date.offsetSeconds == 0) }
    if text.contains("999999") || text.contains("Feb") { #expect(date == nil) }
  }

  @Test func farApartDatesDoNotOverflowTheDelay() throws {
    let text = """
      Received: from a.example.org (a.example.org [192.0.2.1]) by b.example.net with SMTP; 1 Jan 9999 00:00:00 +0000
      Received: from c.example.org (c.example.org [192.0.2.2]) by a.example.org with SMTP; 1 Jan 0001 00:00:00 +0000

      """
    let report = try TraceAnalyzer.analyze(try HeaderSection.parse(Array(text.utf8)))
    #expect(report.hops[1].delaySeconds ?? 0 > 0)
  }

  @Test func terminalControlCharactersAreEscaped() throws {
    let header = try HeaderSection.parse(Array("Subject: a\u{1B}[2Jb\u{9B}c\u{7F}\tend\n\n".utf8))
    #expect(header.first("Subject")?.value == "a\\x1B[2Jb\\x9Bc\\x7F\tend")
    #expect(TextDecoding.decodeEncodedWords("=?iso-8859-1?Q?=1B[2J?=") == "\\x1B[2J")
  }

  @Test func aLineStartingWithAColonIsNotAFieldWithoutAName() throws {
    let header = try HeaderSection.parse(Array("A: 1\nB: 2\n: stray\n\n".utf8))
    #expect(header.fields.map(\.name) == ["A", "B", ""])
    #expect(header.fields.last?.value == ": stray")
  }

  /// A megabyte-long Received field: parsing must stay linear.
  @Test func aHugeFieldIsParsedInLinearTime() {
    let long =
      "Received: from " + String(repeating: "a", count: 1_000_000)
      + " by b with SMTP; 1 Jan 2026 00:00:00 +0000"
    let field = ReceivedParser.parse(String(long.dropFirst(10)))
    #expect(field.by == "b")
  }
}
