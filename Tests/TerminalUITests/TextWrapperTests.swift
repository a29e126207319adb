import TerminalUI
import Testing

@Suite struct DisplayWidthTests {
  @Test(arguments: [
    ("abc", 3), ("✔", 1), ("✘✘", 2), ("─┌┐", 3), ("漢字", 4), ("e\u{301}", 1), ("📧", 2), ("\u{1B}", 0),
  ])
  func measuresColumns(text: String, width: Int) {
    #expect(DisplayWidth.of(text) == width)
  }
}

@Suite struct TextWrapperTests {
  @Test func wrapsAtWordBoundaries() {
    #expect(TextWrapper.wrap("the quick brown fox jumps", width: 10) == ["the quick", "brown fox", "jumps"])
  }

  @Test func cutsWordsLongerThanALine() {
    #expect(TextWrapper.wrap("abcdefghij xy", width: 4) == ["abcd", "efgh", "ij", "xy"])
  }

  @Test func keepsParagraphBreaks() {
    #expect(TextWrapper.wrap("one\n\ntwo", width: 10) == ["one", "", "two"])
  }

  @Test func measuresWideCharacters() {
    #expect(TextWrapper.wrap("漢字漢字 ab", width: 4) == ["漢字", "漢字", "ab"])
  }

  @Test func truncatesWithAnEllipsis() {
    #expect(TextWrapper.truncate("protocols", width: 5) == "prot…")
    #expect(TextWrapper.truncate("abc", width: 5) == "abc")
    #expect(TextWrapper.truncate("abc", width: 0) == "")
  }

  @Test func padsToDisplayWidth() {
    #expect(TextWrapper.pad("✘✘", to: 4) == "✘✘  ")
    #expect(TextWrapper.pad("漢", to: 3) == "漢 ")
  }

  /// Widths read from a string's UTF-8 agree with measuring it a character at a time: one column for
  /// Latin, Greek, arrows, box drawing and the marks; two for wide characters and emoji; none for a
  /// combining mark or a control.
  @Test func widthsFromBytesAgreeWithCharacters() {
    for text in [
      "mx1.example.org → mx2.example.net", "✔ secure", "✘✘ insecure", "Österreich αβγ ─┼─", "漢字 → x",
      "e\u{301}cole", "a\u{200B}b", "📨 mail", "tab\there", "\u{7F}", "", "ä",
    ] {
      #expect(DisplayWidth.of(text) == text.reduce(0) { $0 + DisplayWidth.of($1) }, "\(text)")
    }
    #expect(DisplayWidth.of("a → b ✔") == 7)
  }

  @Test func neverLoopsOnTinyWidths() {
    #expect(TextWrapper.wrap("漢字", width: 1) == ["漢", "字"])
    #expect(TextWrapper.wrap("", width: 0) == [""])
  }
}

@Suite("Hostile layout input")
struct HostileLayoutTests {
  /// Wrapping one word of a million characters must be linear, not quadratic (it once re-measured the
  /// rest of the word at every cut).
  @Test func aVeryLongWordWrapsInLinearTime() {
    let lines = TextWrapper.wrap(String(repeating: "x", count: 1_000_000), width: 80)
    #expect(lines.count == 12_500)
  }

  @Test func fillingOrReversingOutsideTheBufferIsHarmless() {
    var buffer = ScreenBuffer(width: 10, height: 5)
    buffer.fill(Rect(x: 0, y: 30, width: 5, height: 2))
    buffer.reverse(Rect(x: 20, y: -3, width: 5, height: 2))
    buffer.fill(Rect(x: -5, y: -5, width: 8, height: 8), with: Cell("#"))
    #expect(buffer.lines[0] == "###")
    #expect(buffer.lines[4] == "")
  }

  @Test func aStyledLineCutToAWidthEndsInAnEllipsis() {
    let line = StyledLine([StyledLine.Span("ab", .emphasis), StyledLine.Span("cdefgh")])
    #expect(line.truncated(to: 5).text == "abcd…")
    #expect(line.truncated(to: 5).spans.first?.role == .emphasis)
    #expect(line.truncated(to: 8) == line)
    #expect(line.truncated(to: 2).text == "a…")
  }
}
