import Foundation
import MailFlowAssets
import MailFlowModel
import MailFlowTestSupport
import MailFlowTrace
import TerminalUI
import Testing

@testable import MailFlowExplorer

@Suite("Line editor")
struct LineEditorTests {
  func edit(_ text: String, _ keys: KeyEvent...) -> LineEditor {
    var editor = LineEditor(text: text)
    for key in keys { _ = editor.handle(key) }
    return editor
  }

  @Test func typesAtTheCursorAndMovesIt() {
    let editor = edit("/tmp/a.eml", .left, .left, .left, .left, .character("X"))
    #expect(editor.text == "/tmp/aX.eml")
    #expect(editor.cursor == 7)
    #expect(edit("abc", .home, .character(">")).text == ">abc")
    #expect(edit("abc", .home, .end, .character("!")).text == "abc!")
  }

  @Test func deletesBackwardsForwardsAndWholeParts() {
    #expect(edit("abc", .backspace).text == "ab")
    #expect(edit("abc", .home, .delete).text == "bc")
    #expect(edit("/var/mail/msg.eml", .control("w")).text == "/var/mail/")
    #expect(edit("/var/mail/", .control("w")).text == "/var/mail")
    #expect(edit("two words", .control("w")).text == "two ")
    #expect(edit("abcdef", .left, .left, .control("u")).text == "ef")
    #expect(edit("abcdef", .left, .left, .control("k")).text == "abcd")
    #expect(edit("", .backspace, .delete, .left).text == "")
  }

  @Test func submitsAndCancels() {
    var editor = LineEditor(text: "x")
    #expect(editor.handle(.enter) == .submit)
    #expect(editor.handle(.escape) == .cancel)
    #expect(editor.handle(.control("c")) == .cancel)
    #expect(editor.handle(.function(5)) == .ignored)
  }
}

/// A journey traced from a corpus message.
func tracedJourney(_ name: String = "postfix.eml") throws -> Journey {
  let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("MailFlowTraceTests/Corpus")
  let bytes = Array(try Data(contentsOf: corpus.appendingPathComponent(name)))
  // The provider families as the CLI has them; organisational domains by last labels (no list file).
  let organisations = Organisations(providers: try BuiltinKnowledge.load().providers)
  return TraceJourney.make(
    try TraceAnalyzer.analyze(try HeaderSection.parse(bytes), organisations: organisations), name: name)
}

@Suite("Opening a message in the explorer")
struct MessageJourneyTests {
  @Test func mOpensAPromptWhoseEnterAsksToOpenTheFile() {
    var state = explorer(keys(.character("m")))
    #expect(state.prompt?.purpose == .openMessage)
    for character in "/tmp/x.eml" { send(&state, .key(.character(character))) }
    // Keys that mean something elsewhere are text while typing.
    send(&state, .key(.character("q")))
    send(&state, .key(.backspace))
    #expect(!state.quitRequested)
    #expect(send(&state, .key(.enter)) == [.openMessage("/tmp/x.eml", request: 1)])
  }

  @Test func aFailureStaysInThePromptWithTheReason() {
    var state = explorer(keys(.character("m"), .character("x"), .enter))
    send(
      &state, .messageLoaded(.failure(MessageLoadError("cannot read 'x': No such file"))))
    #expect(state.prompt?.error == "cannot read 'x': No such file")
    #expect(state.mode == .explore)
    send(&state, .key(.character("y")))
    #expect(state.prompt?.error == nil)
    send(&state, .key(.escape))
    #expect(state.prompt == nil)
  }

  @Test func anEmptyAnswerIsRefusedInline() {
    var state = explorer(keys(.character("m")))
    #expect(send(&state, .key(.enter)) == [])
    #expect(state.prompt?.error == "type the path of a message file, or Esc to cancel")
  }

  @Test func aLoadedMessageBecomesTheFirstJourney() throws {
    var state = explorer(keys(.character("m")))
    send(&state, .messageLoaded(.success(try tracedJourney())))
    #expect(state.prompt == nil)
    #expect(state.mode == .journey)
    #expect(state.journey?.name == "Message: Café on Friday?")
    #expect(state.journeys.count == state.knowledge.journeys.count + 1)
    #expect(state.journeyStep?.measured?.rating == .secure)
    send(&state, .key(.character("n")))
    #expect(state.selectedHop == 2)
    #expect(state.journeyStep?.measured?.description == "ESMTPS, TLSv1.3 TLS_AES_256_GCM_SHA384")
    // Hops the message never took show as unknown on the diagram.
    #expect(DiagramView.ratings(state)[4] == .unknown)
  }

  @Test func tracedStepsShowTheRawFieldAndItsReading() throws {
    let journey = try tracedJourney("sendmail.eml")
    #expect(journey.steps.map(\.hopID) == ["submission", "relay"])
    #expect(journey.steps[0].measured?.rating == .insecure)
    #expect(journey.steps[0].observer == .everything)
    #expect(journey.steps[1].transcript[0].text.hasPrefix("Received: from relay.example.org"))
    #expect(journey.steps[1].transcript.contains { $0.speaker == .tls && $0.text.contains("verify=NO") })
  }

  @Test func promptWithAnErrorSnapshot() {
    var state = explorer(keys(.character("m")))
    for character in "/no/such.eml" { send(&state, .key(.character(character))) }
    send(&state, .key(.enter))
    send(
      &state,
      .messageLoaded(.failure(MessageLoadError("cannot read '/no/such.eml': No such file or directory"))))
    assertSnapshot(ExplorerRenderer.render(state).buffer.snapshot, named: "prompt-error-80x24")
  }

  @Test func tracedJourneySnapshot() throws {
    var state = explorer(width: 100, height: 40)
    send(&state, .messageLoaded(.success(try tracedJourney("microsoft365.eml"))))
    send(&state, .key(.character("n")))
    assertSnapshot(ExplorerRenderer.render(state).buffer.snapshot, named: "journey-traced-100x40")
  }
}

@Suite("Prompt and small screens, hostile cases")
struct PromptHostileTests {
  @Test func combiningCharactersKeepTheCursorInsideTheText() {
    var state = explorer(keys(.character("m"), .character("e"), .character("\u{301}")))
    #expect(state.prompt!.editor.cursor <= state.prompt!.editor.text.count)
    _ = ExplorerRenderer.render(state)
    for key in [KeyEvent.backspace, .control("u"), .character("a"), .control("w"), .left, .delete] {
      send(&state, .key(key))
      _ = ExplorerRenderer.render(state)
    }
    #expect(state.prompt != nil)
  }

  @Test func tooSmallMessageLinesDoNotOverlapOnANarrowTerminal() {
    let lines = ExplorerRenderer.render(explorer(width: 30, height: 12)).buffer.lines.filter { !$0.isEmpty }
    #expect(lines.joined(separator: " ").contains("terminal too small"))
    #expect(lines.contains { $0.contains("enlarge") })
    #expect(lines.count >= 4)
  }
}
