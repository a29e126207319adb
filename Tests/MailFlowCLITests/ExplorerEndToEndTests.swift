import Foundation
import MailFlowTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real binary in tmux: what a user sees and does.
@Suite("Explorer in a real terminal (tmux)", .serialized)
struct ExplorerEndToEndTests {
  /// Runs mailflow in a shell that reports how it ended and whether the terminal is sane again.
  func start(
    _ arguments: String = "", width: Int = 100, height: Int = 30, environment: [String: String] = [:]
  )
    throws -> TmuxSession
  {
    let command =
      "'\(mailflowExecutable.path)' \(arguments); echo \"EXIT=$?\"; "
      + "stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo END; sleep 60"
    return try TmuxSession(
      width: width, height: height, command: command,
      environment: ["LANG": "C.UTF-8", "TERM": "tmux-256color"].merging(environment) { $1 })
  }

  @Test func theWholeSeedTableIsOnScreenAtHundredByThirty() throws {
    let tmux = try start(width: 100, height: 30)
    let (found, screen) = try tmux.waitFor("q quit")
    #expect(found, "\(screen)")
    for port in ["587", "465", " 25", "143", "993", "110", "995"] {
      #expect(screen.contains(port), "port \(port) is not on screen:\n\(screen)")
    }
    try tmux.send("q")
  }

  @Test func everyHopHasItsRowAtEightyByTwentyFour() throws {
    let tmux = try start(width: 80, height: 24)
    let (found, screen) = try tmux.waitFor("q quit")
    #expect(found, "\(screen)")
    let rows = screen.split(separator: "\n")
    for label in ["1 ", "2 ", "3… ", "N-1 ", "N "] {
      #expect(rows.contains { $0.hasPrefix("│ \(label)") }, "no row for hop \(label):\n\(screen)")
    }
    try tmux.send("q")
  }

  @Test func slashSearchesTheDetailsAndHighlightsTheMatch() throws {
    let tmux = try start(width: 100, height: 30)
    #expect(try tmux.waitFor("Details: 1 Submission").found)
    try tmux.send("Enter")
    try tmux.send("/")
    #expect(try tmux.waitFor("Search:").found)
    try tmux.run(["send-keys", "-t", tmux.name, "-l", "RFC 8314"])
    try tmux.send("Enter")
    #expect(try tmux.waitFor("n/N match").found)
    // The details scrolled to the match, shown in reverse video.
    let screen = try tmux.captureWithAttributes()
    #expect(screen.contains("\u{1B}[7mRFC 8314"), "\(screen)")
    let plain = try tmux.capture()
    #expect(!plain.contains(" 1-"), "the details did not scroll:\n\(plain)")
    try tmux.send("q")
  }

  @Test func homeAndEndInTheirVT220FormsMoveToTheFirstAndLastHop() throws {
    // tmux with TERM=xterm-256color sends Home and End as \e[1~ and \e[4~, which xterm's terminfo
    // entry does not list.
    let tmux = try start(width: 100, height: 30, environment: ["TERM": "xterm-256color"])
    #expect(try tmux.waitFor("Details: 1 Submission").found)
    try tmux.run(["send-keys", "-t", tmux.name, "-l", "\u{1B}[4~"])
    #expect(try tmux.waitFor("Details: N Retrieval").found)
    try tmux.run(["send-keys", "-t", tmux.name, "-l", "\u{1B}[1~"])
    #expect(try tmux.waitFor("Details: 1 Submission").found)
    try tmux.send("q")
  }

  @Test func ctrlZSuspendsToTheShellAndFgBringsTheSameScreenBack() throws {
    let tmux = try TmuxSession(
      width: 100, height: 30, command: "bash --norc --noprofile -i",
      environment: ["LANG": "C.UTF-8", "TERM": "tmux-256color"])
    try tmux.run(["send-keys", "-t", tmux.name, "-l", "clear; '\(mailflowExecutable.path)'"])
    try tmux.send("Enter")
    #expect(try tmux.waitFor("q quit").found)
    try tmux.send("3")
    let (_, before) = try tmux.waitFor("Details: 3… Relay")
    try tmux.send("C-z")
    let (stopped, shell) = try tmux.waitFor("Stopped")
    #expect(stopped, "\(shell)")
    // The process is stopped (state T), not gone.
    let children = try tmux.childProcessIDs()
    let states = children.compactMap { pid in
      try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8).split(separator: " ")[2]
    }
    #expect(states.contains("T"), "states of the shell's children: \(states)")
    try tmux.run(["send-keys", "-t", tmux.name, "-l", "fg"])
    try tmux.send("Enter")
    let (back, after) = try tmux.waitFor("Details: 3… Relay")
    #expect(back)
    #expect(after == before, "the screen after fg differs:\n\(after)")
    try tmux.send("q")
  }

  @Test func opensWithDiagramAndTableAndQuitsCleanly() throws {
    let tmux = try start()
    let (found, screen) = try tmux.waitFor("q quit")  // the footer: the whole frame is drawn
    #expect(found, "\(screen)")
    #expect(screen.contains("sender side"))
    #expect(screen.contains("recipient side"))
    #expect(screen.contains("│ MUA │"))
    #expect(screen.contains("Details: 1 Submission"))
    try tmux.send("q")
    let (exited, after) = try tmux.waitFor("END")
    #expect(exited)
    #expect(after.contains("EXIT=0"))
    #expect(after.contains("icanon echo"), "terminal modes not restored: \(after)")
    #expect(!after.contains("protocols and ports"), "the explorer's screen is still shown")
  }

  @Test func arrowKeysMoveTheSelection() throws {
    let tmux = try start()
    try tmux.waitFor("Details: 1 Submission")
    try tmux.send("Right", "Right")
    let (found, screen) = try tmux.waitFor("Details: 3… Relay")
    #expect(found, "\(screen)")
    #expect(screen.contains("3… Relay: MTA → MTA (possibly MX)"))
    try tmux.send("Left")
    #expect(try tmux.waitFor("Details: 2 Outbound").found)
    try tmux.send("q")
  }

  @Test func journeyStepsForwardAndBack() throws {
    let tmux = try start()
    try tmux.waitFor("Details: 1 Submission")
    try tmux.send("J")
    #expect(try tmux.waitFor("Step 1 of 5").found)
    try tmux.send("n", "n")
    #expect(try tmux.waitFor("Step 3 of 5").found)
    try tmux.send("b")
    #expect(try tmux.waitFor("Step 2 of 5").found)
    try tmux.send("c")
    #expect(try tmux.waitFor("Journey: Opportunistic").found)
    try tmux.send("c")
    #expect(try tmux.waitFor("Journey: Downgrade attack").found)
    try tmux.send("q")
  }

  @Test func helpOverlayListsTheKeys() throws {
    let tmux = try start()
    try tmux.waitFor("Details: 1 Submission")
    try tmux.send("?")
    // The frame may be captured half drawn: wait for the title, then for the content.
    #expect(try tmux.waitFor("Help · Esc closes").found)
    #expect(try tmux.waitFor("Everywhere").found)
    try tmux.send("Escape")
    let closed = try tmux.waitFor("Details: 1 Submission")
    #expect(closed.found && !closed.screen.contains("Help · Esc closes"))
    try tmux.send("q")
  }

  @Test func resizingReflowsAndRecoversFromTooSmall() throws {
    let tmux = try start()
    try tmux.waitFor("Details: 1 Submission")
    try tmux.resize(width: 80, height: 24)
    let small = try tmux.waitFor("┌ Hops ")
    #expect(small.found)
    #expect(small.screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
    try tmux.resize(width: 60, height: 15)
    #expect(try tmux.waitFor("terminal too small: need 80×24, have 60×15").found)
    try tmux.resize(width: 100, height: 30)
    let back = try tmux.waitFor("protocols and ports")
    #expect(back.found && !back.screen.contains("terminal too small"))
    try tmux.send("q")
    #expect(try tmux.waitFor("END").screen.contains("EXIT=0"))
  }

  @Test func controlCQuitsAndRestoresTheTerminal() throws {
    let tmux = try start()
    try tmux.waitFor("Details: 1 Submission")
    try tmux.send("C-c")
    let (exited, screen) = try tmux.waitFor("END")
    #expect(exited)
    #expect(screen.contains("EXIT=0"))
    #expect(screen.contains("icanon echo"))
  }

  @Test func sigtermRestoresTheTerminalAndExits143() throws {
    let tmux = try start()
    try tmux.waitFor("Details: 1 Submission")
    let children = try tmux.childProcessIDs()
    #expect(!children.isEmpty)
    for pid in children { kill(pid, SIGTERM) }
    let (exited, screen) = try tmux.waitFor("END")
    #expect(exited)
    #expect(screen.contains("EXIT=143"))
    #expect(screen.contains("icanon echo"))
  }

  @Test func closingTheTerminalEndsTheExplorer() throws {
    let tmux = try start()
    try tmux.waitFor("Details: 1 Submission")
    let children = try tmux.childProcessIDs()
    #expect(!children.isEmpty)
    try tmux.run(["kill-server"], captureOutput: false)
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline && children.contains(where: { kill($0, 0) == 0 }) {
      Thread.sleep(forTimeInterval: 0.05)
    }
    #expect(!children.contains { kill($0, 0) == 0 }, "mailflow kept running after its terminal closed")
  }

  /// The real binary on an mbox: the domains, one domain's messages, a message's journey, the list again.
  @Test func opensAMailboxAndAMessageFromIt() throws {
    let path = try MailboxTraceCommandTests.write(
      try MailboxTraceCommandTests.mbox(["postfix.eml", "exim.eml", "qmail.eml"]), "explore.mbox")
    let tmux = try start("explore --mailbox '\(path)'", height: 30)
    let (found, screen) = try tmux.waitFor("3 messages traced")
    #expect(found, "\(screen)")
    #expect(screen.contains("sending domain"))
    try tmux.send("Enter")
    #expect(try tmux.waitFor("Esc back").found)
    try tmux.send("Enter")
    let (journey, journeyScreen) = try tmux.waitFor("Journey: Message:")
    #expect(journey, "\(journeyScreen)")
    try tmux.send("M")
    // Back where it was: the domain's messages.
    #expect(try tmux.waitFor("cleartext hops").found)
    try tmux.send("q")
    #expect(try tmux.waitFor("EXIT=0").found)
  }

  /// The real binary on a scan's output: the list, a filter, a domain's report opened from its line in
  /// the normal panes, and the list again.
  @Test func opensAScanAndADomainFromIt() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var lines = ""
    for domain in ["alpha.example", "bravo.example", "charlie.example"] {
      let json = String(decoding: try encoder.encode(sampleReport(domain: domain)), as: UTF8.self)
      lines += #"{"input":""# + domain + #"","# + json.dropFirst() + "\n"
    }
    let path = try MailboxTraceCommandTests.write(lines, "explore-scan.jsonl")
    let tmux = try start("explore --scan '\(path)'", height: 30)
    let (found, screen) = try tmux.waitFor("3 domains")
    #expect(found, "\(screen)")
    #expect(screen.contains("relay"))
    try tmux.send("/")
    try tmux.run(["send-keys", "-t", tmux.name, "-l", "bravo"])
    try tmux.send("Enter")
    let (filtered, filteredScreen) = try tmux.waitFor("1 of 3")
    #expect(filtered, "\(filteredScreen)")
    #expect(!filteredScreen.contains("alpha.example"), "\(filteredScreen)")
    try tmux.send("Enter")
    // The domain's report in the normal panes: its probed relay in the hop table, its MX in the details.
    let (opened, report) = try tmux.waitFor("Measured at bravo.example", seconds: 10)
    #expect(opened, "\(report)")
    #expect(report.contains("mailflow · bravo.example ✘✘ insecure"), "\(report)")
    #expect(!report.contains("Esc closes"), "the list is still open:\n\(report)")
    try tmux.send("M")
    #expect(try tmux.waitFor("Esc closes").found)
    try tmux.send("q")
    #expect(try tmux.waitFor("EXIT=0").found)
  }

  @Test func opensAMessagesJourneyFromTheCommandLine() throws {
    let message = corpus.appendingPathComponent("postfix.eml").path
    let tmux = try start("explore --message '\(message)'", height: 40)
    let (found, screen) = try tmux.waitFor("Journey: Message: Café on Friday?")
    #expect(found, "\(screen)")
    // The pane's title can be on screen a moment before its last lines are drawn.
    let (stepShown, stepScreen) = try tmux.waitFor("Step 1 of 3")
    #expect(stepShown, "\(stepScreen)")
    try tmux.send("n")
    #expect(try tmux.waitFor("Received #2: mail.example.org").found)
    try tmux.send("q")
  }

  @Test func opensAMessageFromInsideAndShowsErrorsInline() throws {
    let tmux = try start(height: 40)
    try tmux.waitFor("Details: 1 Submission")
    try tmux.send("m")
    #expect(try tmux.waitFor("Message file to trace:").found)
    try tmux.run(["send-keys", "-t", tmux.name, "-l", "/no/such/file.eml"])
    try tmux.send("Enter")
    let (failed, screen) = try tmux.waitFor("cannot read '/no/such/file.eml'")
    #expect(failed, "\(screen)")
    try tmux.send("C-u")
    try tmux.run(["send-keys", "-t", tmux.name, "-l", corpus.appendingPathComponent("exim.eml").path])
    try tmux.send("Enter")
    #expect(try tmux.waitFor("Journey: Message: Exim test").found)
    try tmux.send("q")
    #expect(try tmux.waitFor("END").screen.contains("EXIT=0"))
  }

  /// A message of 20,000 Received fields takes seconds to read in a debug build: meanwhile the
  /// explorer answers keys (Esc, then ? opens the help at once), and the answer that comes after Esc
  /// is dropped rather than opened over what the user does next.
  @Test func keysAreAnsweredWhileAHugeMessageLoads() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-huge-\(UUID().uuidString).eml")
    try hugeMessage().write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let tmux = try start(height: 40)
    try tmux.waitFor("Details: 1 Submission")
    try tmux.send("m")
    #expect(try tmux.waitFor("Message file to trace:").found)
    try tmux.run(["send-keys", "-t", tmux.name, "-l", file.path])
    try tmux.send("Enter")
    let asked = Date()
    try tmux.send("Escape")
    try tmux.send("?")
    let (help, screen) = try tmux.waitFor("Help · Esc closes", seconds: 5)
    #expect(help, "\(screen)")
    #expect(Date().timeIntervalSince(asked) < 1.5, "keys waited for the message")
    try tmux.send("Escape")
    let (opened, _) = try tmux.waitFor("Message: huge", seconds: 8)
    #expect(!opened, "the message answered after Esc was opened anyway")
    try tmux.send("q")
    #expect(try tmux.waitFor("END").screen.contains("EXIT=0"))
  }

  @Test func anUnreadableMessageFailsBeforeTheScreenIsTaken() throws {
    let result = try runMailflow(["explore", "--message", "/no/such/file.eml"])
    #expect(result.status == 2)
    #expect(result.stderr == "mailflow: error: cannot read '/no/such/file.eml': No such file or directory\n")
  }

  @Test func worksWithoutColourAndInASCII() throws {
    let tmux = try start("--ascii", environment: ["NO_COLOR": "1"])
    let (found, screen) = try tmux.waitFor("protocols and ports")
    #expect(found)
    #expect(screen.contains("| MUA |"))
    #expect(screen.contains("OK protected"))
    try tmux.send("q")
  }

  @Test func nonUTF8LocaleFallsBackToASCII() throws {
    let tmux = try start(environment: ["LANG": "C"])
    let (found, screen) = try tmux.waitFor("protocols and ports")
    #expect(found)
    #expect(screen.contains("+-----+"))
    try tmux.send("q")
  }

  @Test func mouseClickSelectsAHop() throws {
    let tmux = try start()
    let (_, screen) = try tmux.waitFor("Details: 1 Submission")
    // Find the row of hop 2 in the table and click on it, as a terminal reports a click (SGR mouse).
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
    guard let row = lines.firstIndex(where: { $0.hasPrefix("│ 2 ") }) else {
      Issue.record("no row for hop 2 on screen: \(screen)")
      try tmux.send("q")
      return
    }
    // SGR mouse press and release at column 10 of that row (1-based).
    try tmux.run(["send-keys", "-t", tmux.name, "-l", "\u{1B}[<0;10;\(row + 1)M\u{1B}[<0;10;\(row + 1)m"])
    #expect(try tmux.waitFor("Details: 2 Outbound").found)
    try tmux.send("q")
  }
}
