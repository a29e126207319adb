import Foundation
import MailFlowModel
import MailFlowReport
import MailFlowTestSupport
import MailFlowTrace
import TerminalUI
import Testing

@testable import MailFlowExplorer

/// Text from a hostile server or message reaches no explorer view raw: every cell of every screen
/// holds a printable character, and the hostile bytes are shown as visible escapes.
@Suite("Hostile text in the explorer")
struct HostileTextTests {
  static let hostile = "evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}txt"

  /// The sample report with hostile text in every place a server or a file controls.
  static func hostileReport() -> ProbeReport {
    var report = sampleReport()
    report.domain = "example.net\u{1B}]0;x\u{07}/../../etc"
    for h in report.hops.indices {
      report.hops[h].summary += " " + hostile
      report.hops[h].notes.append(hostile)
      for e in report.hops[h].endpoints.indices {
        report.hops[h].endpoints[e].transcript.insert(.init(.server, "220 " + hostile), at: 0)
        report.hops[h].endpoints[e].extensions.append("X-" + hostile)
        report.hops[h].endpoints[e].error = hostile
        report.hops[h].endpoints[e].tls?.subject = "CN=" + hostile
        report.hops[h].endpoints[e].tls?.issuer = "CN=" + hostile
      }
    }
    report.hops[2].mtaSts?.txt = hostile
    report.dns[0].records.append(hostile)
    return report
  }

  static func unsafeCells(_ state: ExplorerState) -> [String] {
    let buffer = ExplorerRenderer.render(state).buffer
    return buffer.cells.compactMap { cell in
      cell.character.properties.generalCategory == .control || TerminalSafe.isUnsafe(cell.character)
        ? String(format: "U+%04X", cell.character.value) : nil
    }
  }

  func finished(_ more: [ExplorerAction]) -> ExplorerState {
    var state = explorer(width: 120, height: 60, [.tick(.seconds(1))])
    _ = run(&state, [.key(.character("p"))] + typing("example.net") + [.key(.enter)])
    _ = run(
      &state,
      [
        .probeStarted(generation: 1, domain: "example.net"),
        .probeFinished(generation: 1, Self.hostileReport()),
      ])
    _ = run(&state, more)
    return state
  }

  @Test(
    arguments: [
      [], [.key(.character("1")), .key(.enter)], [.key(.character("3")), .key(.enter)],
      [.key(.character("5")), .key(.enter)], [.key(.character("3")), .key(.character("t"))],
      [.key(.character("1")), .key(.character("t"))], [.key(.character("J"))],
      [.key(.character("J")), .key(.character("n"))],
      [.key(.character("J")), .key(.character("n")), .key(.character("n"))],
      [.key(.character("J")), .key(.character("o"))],
    ] as [[ExplorerAction]])
  func everyProbeViewShowsItVisibly(keys: [ExplorerAction]) {
    let state = finished(keys)
    #expect(Self.unsafeCells(state).isEmpty)
  }

  @Test func theRelayDetailsShowTheEscapes() {
    let lines = ExplorerRenderer.render(finished([.key(.character("3")), .key(.enter)])).buffer.lines
      .joined(separator: "\n")
    #expect(lines.contains(#"\x1B]0;pwned\x07"#), "\(lines)")
  }

  @Test func theProposedFileNameComesFromAValidDomainOnly() {
    var state = finished([])
    #expect(run(&state, [.key(.character("s"))]) == [.proposeReportName("mailflow-report-202611290300.json")])
    #expect(
      ProbeFeature.proposedFileName(domain: "Example.NET", startedAt: "2026-11-29T03:00:00Z")
        == "mailflow-example.net-202611290300.json")
    #expect(
      ProbeFeature.proposedFileName(domain: "a/b.example", startedAt: "٣2026")
        == "mailflow-report-2026.json")
  }

  @Test func aHostileMessageJourneyShowsItVisibly() throws {
    let message =
      "Received: from evil\u{1B}]0;pwned\u{07}.example (evil.example [192.0.2.9]) by mx.example.net "
      + "(Postfix\u{202E}) with ESMTPS id 1\u{9B}2J; Mon, 30 Nov 2026 10:00:00 +0000\r\n"
      + "Subject: =?UTF-8?Q?=E2=80=AEgnirts_=1B[2J?= \u{202E}raw\r\n\r\n"
    let journey = TraceJourney.make(
      try TraceAnalyzer.analyze(try HeaderSection.parse(Array(message.utf8))), name: "evil\u{1B}[2J.eml")
    var state = explorer(width: 120, height: 50, keys(.character("m")))
    send(&state, .messageLoaded(.success(journey)))
    #expect(Self.unsafeCells(state).isEmpty)
    send(&state, .key(.character("n")))
    #expect(Self.unsafeCells(state).isEmpty)
    let text = ExplorerRenderer.render(state).buffer.lines.joined(separator: "\n")
    #expect(text.contains(#"\u{202E}"#), "\(text)")
  }
}

@Suite("Terminal-safe text")
struct TerminalSafeTextTests {
  @Test(arguments: [
    ("plain ASCII", "plain ASCII"), ("Café ✔ 日本", "Café ✔ 日本"), ("a\u{1B}[2Jb", #"a\x1B[2Jb"#),
    ("\u{1B}]0;t\u{07}", #"\x1B]0;t\x07"#), ("\u{9B}31m", #"\u{9B}31m"#), ("x\u{7F}", #"x\x7F"#),
    ("\u{202E}abc\u{2066}\u{200F}", #"\u{202E}abc\u{2066}\u{200F}"#), ("line\nforged", #"line\x0Aforged"#),
    ("a\tb", "a b"), ("\r", #"\x0D"#), ("\u{2028}", #"\u{2028}"#), ("\u{061C}", #"\u{61C}"#),
    ("hid\u{200B}den", #"hid\u{200B}den"#), ("\u{FEFF}bom", #"\u{FEFF}bom"#),
    ("tag\u{E0041}", #"tag\u{E0041}"#),
  ])
  func unsafeCharactersAreShownVisibly(input: String, shown: String) {
    #expect(TerminalSafe.visible(input) == shown)
    #expect(TerminalSafe.visible(shown) == shown)  // idempotent: escapes are printable
    #expect(StyledLine(input).text == shown)
    var buffer = ScreenBuffer(width: 40, height: 1)
    buffer.put(input, x: 0, y: 0)
    #expect(buffer.lines[0] == shown)
  }

  /// Escapes take the columns of their visible form when text is wrapped, so no line overflows.
  @Test func wrappingMeasuresTheVisibleForm() {
    let lines = StyledLine.wrapped(String(repeating: "\u{1B}[2J ", count: 30), width: 40)
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { DisplayWidth.of($0.text) <= 40 })
    var buffer = ScreenBuffer(width: 30, height: 3)
    buffer.box(
      Rect(x: 0, y: 0, width: 30, height: 3), title: "\u{1B}]0;" + String(repeating: "t", count: 40),
      role: .border, glyphs: .unicode)
    #expect(buffer.lines[0].hasSuffix("┐"), "\(buffer.lines[0])")
  }

  @Test func bytesThatAreNotUTF8AreShownAsHex() {
    #expect(VisibleUTF8.decode([0x61, 0xFF, 0xC3, 0xA9, 0xC3]) == #"a\xFFé\xC3"#)
    #expect(VisibleUTF8.decode(Array("ok".utf8)) == "ok")
  }
}
