import MailFlowAssets
import MailFlowModel
import MailFlowTestSupport
import TerminalUI
import Testing

@testable import MailFlowCLI

@Suite("Command output")
struct OutputTests {
  let base = try! BuiltinKnowledge.load()

  @Test func tableWithGlyphs() {
    assertSnapshot(HopTableFormatter.render(base, style: .plain), named: "table-utf8")
  }

  @Test func tableInASCII() {
    let text = HopTableFormatter.render(base, style: OutputStyle(ascii: true, color: false))
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII || $0 == "…" || $0 == "➔" })
    assertSnapshot(text, named: "table-ascii")
  }

  @Test func tableInColourPaintsEachRating() {
    let text = HopTableFormatter.render(base, style: OutputStyle(ascii: false, color: true))
    #expect(text.contains("\u{1B}[32m✔ \u{1B}[0m SMTP 25 STARTTLS enforced with DANE"))
    #expect(text.contains("\u{1B}[33m✘ \u{1B}[0m SMTP 25 with STARTTLS"))
    #expect(text.contains("\u{1B}[1;31m✘✘\u{1B}[0m SMTP 25 unencrypted"))
  }

  @Test func tableJSON() throws {
    assertSnapshot(try JSONOutput.render(KnowledgeJSON.table(base)), named: "table-json")
  }

  @Test func rfcList() {
    assertSnapshot(RFCFormatter.list(base, style: .plain, width: nil), named: "rfc-list")
  }

  @Test func rfcListWrapsTitlesOnANarrowTerminal() {
    let text = RFCFormatter.list(base, style: .plain, width: 80)
    #expect(text.split(separator: "\n").allSatisfy { DisplayWidthProbe.width($0) <= 80 })
  }

  @Test func rfcDetail() {
    assertSnapshot(
      RFCFormatter.detail(base.rfc(8314)!, in: base, style: .plain, width: 80), named: "rfc-8314")
  }

  @Test func rfcJSON() throws {
    assertSnapshot(try JSONOutput.render(KnowledgeJSON.rfc(base.rfc(3207)!)), named: "rfc-3207-json")
  }

  @Test(arguments: ["8314", "RFC8314", "rfc 8314", "RFC-8314", " 8314 "])
  func rfcLookupAcceptsCommonSpellings(text: String) throws {
    #expect(try RFCCommand.lookup(text, in: base).number == 8314)
  }

  @Test func rfcLookupSuggestsNearNumbers() {
    #expect(
      throws: CLIError(
        "RFC 3270 is not in the catalogue (did you mean RFC 3207?); 'mailflow rfc' lists all 30")
    ) {
      try RFCCommand.lookup("3270", in: base)
    }
  }

  @Test func rfcLookupRejectsNonNumbers() {
    #expect(throws: CLIError("'abc' is not an RFC number (try 'mailflow rfc 8314')")) {
      try RFCCommand.lookup("abc", in: base)
    }
  }
}

@Suite("Output style detection")
struct OutputStyleTests {
  @Test(arguments: [
    // ascii flag, colour choice, environment, terminal, codeset → ascii, colour
    (false, OutputStyle.ColorChoice.auto, [String: String](), true, "UTF-8", false, true),
    (false, .auto, ["NO_COLOR": "1"], true, "UTF-8", false, false),
    (false, .auto, ["NO_COLOR": ""], true, "UTF-8", false, true),
    (false, .auto, [:], false, "UTF-8", false, false),
    (false, .auto, ["TERM": "dumb"], true, "UTF-8", false, false),
    (false, .always, ["NO_COLOR": "1"], false, "UTF-8", false, true),
    (false, .never, [:], true, "utf8", false, false),
    (false, .auto, [:], true, "ANSI_X3.4-1968", true, true),
    (true, .auto, [:], true, "UTF-8", true, true),
  ])
  func detect(
    asciiFlag: Bool, choice: OutputStyle.ColorChoice, environment: [String: String], terminal: Bool,
    codeset: String, ascii: Bool, color: Bool
  ) {
    let style = OutputStyle.detect(
      asciiFlag: asciiFlag, colorChoice: choice, environment: environment, isTerminal: terminal,
      codeset: codeset)
    #expect(style == OutputStyle(ascii: ascii, color: color))
  }
}

enum DisplayWidthProbe {
  static func width(_ text: Substring) -> Int { DisplayWidth.of(text) }
}
