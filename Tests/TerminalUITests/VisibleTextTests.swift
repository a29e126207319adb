import Testing

@testable import TerminalUI

/// Text made visible once and joined into rows is what `TerminalSafe.visible` and `DisplayWidth`
/// would have said of it, so rows are not checked again when they become spans.
@Suite("Visible text")
struct VisibleTextTests {
  /// The word-at-a-time printable-ASCII run stops where a byte-by-byte reading does.
  @Test func printableRunAgreesWithAByteByByteReading() {
    let alphabet: [UInt8] = [0x00, 0x09, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0xC3, 0xE2, 0xFF]
    for _ in 0..<5000 {
      let bytes = (0..<Int.random(in: 0...40)).map { _ in Bool.random() ? 0x61 : alphabet.randomElement()! }
      let start = Int.random(in: 0...bytes.count)
      let expected = bytes[start...].firstIndex { $0 < 0x20 || $0 >= 0x7F } ?? bytes.count
      #expect(
        bytes.withUnsafeBufferPointer { PrintableASCII.run(in: $0, from: start) } == expected, "\(bytes)")
    }
  }

  @Test func madeVisibleAndMeasuredOnce() {
    for text in ["plain", "", "mx → a\u{202E}b", "caf\u{E9} ✔", "tab\there", "wide 漢字", "e\u{301}"] {
      let visible = VisibleText(text)
      #expect(visible.string == TerminalSafe.visible(text))
      #expect(visible.width == DisplayWidth.of(TerminalSafe.visible(text)))
      let ascii = VisibleText(text, ascii: true)
      #expect(ascii.string == ASCIIFallback.string(TerminalSafe.visible(text)))
      #expect(ascii.width == DisplayWidth.of(ascii.string))
    }
  }

  /// Pieces between marks; trailing spaces dropped, marks past the end standing for the end.
  @Test func aRowIsCutAtItsMarks() {
    var row = VisibleText.Builder(capacity: 8)
    let start = row.mark
    row.append(VisibleText("a → b"))
    row.appendSpaces(2)
    let middle = row.mark
    row.append(VisibleText("✔ ok"))
    row.appendSpaces(3)
    let rest = row.mark
    row.appendSpaces(2)
    let end = row.mark
    row.dropTrailingSpaces()
    #expect(row.text(from: start, to: middle) == VisibleText("a → b  "))
    #expect(row.text(from: middle, to: rest) == VisibleText("✔ ok"))
    #expect(row.text(from: rest, to: end) == VisibleText.empty)
    #expect(row.text(from: start, to: middle).width == 7)
  }

  @Test func aSpanOfVisibleTextKeepsIt() {
    let span = StyledLine.Span(VisibleText("a\u{1B}[31m"), .emphasis)
    #expect(span.text == TerminalSafe.visible("a\u{1B}[31m"))
    #expect(span.role == .emphasis)
  }
}
