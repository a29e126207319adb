import MailFlowModel
import MailFlowReport
import MailFlowTestSupport
import TerminalUI
import Testing

@testable import MailFlowExplorer

func typing(_ text: String) -> [ExplorerAction] { text.map { .key(.character($0)) } }

/// Reduces actions and collects the effects they asked for.
func run(_ state: inout ExplorerState, _ actions: [ExplorerAction]) -> [ExplorerEffect] {
  actions.flatMap { send(&state, $0) }
}

@Suite("Probe in the explorer: reducer")
struct ProbeReducerTests {
  func probing(_ domain: String = "example.net", at start: Duration = .seconds(1)) -> ExplorerState {
    var state = explorer(width: 100, height: 40, [.tick(start)])
    _ = run(&state, [.key(.character("p"))] + typing(domain) + [.key(.enter)])
    _ = run(&state, [.probeStarted(generation: state.probeGeneration, domain: domain)])
    return state
  }

  @Test func thePromptStartsAProbeAndTheEdgeConfirmsIt() {
    var state = explorer()
    let effects = run(&state, [.key(.character("p"))] + typing("example.net") + [.key(.enter)])
    #expect(effects == [.startProbe(domain: "example.net", generation: 1)])
    #expect(state.prompt?.purpose == .probeDomain)  // open until the edge answers
    _ = run(&state, [.probeStarted(generation: 1, domain: "example.net")])
    #expect(state.prompt == nil)
    #expect(state.probe?.isRunning == true)
    #expect(state.domainHistory == ["example.net"])
  }

  @Test func anInvalidDomainIsShownInThePrompt() {
    var state = explorer()
    _ = run(&state, [.key(.character("p"))] + typing("bad..example") + [.key(.enter)])
    _ = run(
      &state, [.probeRejected(generation: 1, reason: "invalid domain: 'bad..example' has an empty label")])
    #expect(state.prompt?.error == "invalid domain: 'bad..example' has an empty label")
    #expect(state.probe == nil)
    _ = run(&state, [.key(.backspace)])
    #expect(state.prompt?.error == nil)
  }

  @Test func hopsLandOneByOneAndTheOverallFollows() {
    var state = probing()
    let report = sampleReport()
    let relay = report.hops[2]
    #expect(state.isProbing(state.knowledge.hops[2]))
    #expect(DiagramView.ratings(state) == [.unknown, .internal, .unknown, .internal, .unknown])
    _ = run(&state, [.probeHop(generation: 1, relay)])
    #expect(state.measured(state.knowledge.hops[2]) == relay)
    #expect(!state.isProbing(state.knowledge.hops[2]))
    #expect(state.isProbing(state.knowledge.hops[0]))
    #expect(DiagramView.ratings(state) == [.unknown, .internal, .secure, .internal, .unknown])
    #expect(state.probe?.overall?.rating == .secure)
    _ = run(&state, [.probeHop(generation: 1, report.hops[4])])
    #expect(state.probe?.overall?.rating == .insecure)
    #expect(state.probe?.overall?.limitedBy == .retrieval)
    _ = run(&state, [.probeFinished(generation: 1, report)])
    #expect(state.probe?.phase == .finished)
    #expect(DiagramView.ratings(state) == [.weak, .internal, .secure, .internal, .insecure])
    #expect(state.probe?.elapsedText == "1.2 s")
  }

  @Test func theClockDrivesTheSpinnerAndTheElapsedTime() {
    var state = probing(at: .seconds(10))
    _ = run(&state, [.tick(.seconds(10) + .milliseconds(300))])
    #expect(state.probe?.elapsedText == "0.3 s")
    let first = state.probe?.spinner(ascii: false)
    _ = run(&state, [.tick(.seconds(10) + .milliseconds(400))])
    #expect(state.probe?.spinner(ascii: false) != first)
    #expect(state.probe?.spinner(ascii: true) == "|")  // 4 tenths: the fifth ASCII frame is the first
  }

  @Test func escCancelsAndLateResultsAreDropped() {
    var state = probing()
    let effects = run(&state, [.key(.escape)])
    #expect(effects == [.cancelProbe])
    #expect(state.probe?.phase == .cancelled)
    #expect(state.status == "probe of example.net cancelled")
    _ = run(
      &state,
      [.probeHop(generation: 1, sampleReport().hops[2]), .probeFinished(generation: 1, sampleReport())])
    #expect(state.probe?.hops.isEmpty == true)
    #expect(state.probe?.report == nil)
  }

  @Test func aNewProbeReplacesTheOldAndItsResultsAreDropped() {
    var state = probing()
    let effects = run(&state, [.key(.character("r"))])
    #expect(effects == [.startProbe(domain: "example.net", generation: 2)])
    _ = run(&state, [.probeStarted(generation: 2, domain: "example.net")])
    _ = run(&state, [.probeHop(generation: 1, sampleReport().hops[2])])
    #expect(state.probe?.hops.isEmpty == true)
    _ = run(&state, [.probeHop(generation: 2, sampleReport().hops[2])])
    #expect(state.probe?.hops.count == 1)
    // A rejection or start for an older generation changes nothing either.
    _ = run(&state, [.probeStarted(generation: 1, domain: "old.example")])
    #expect(state.probe?.domain == "example.net")
  }

  /// The history arrives as an action (only the reducer changes state), at most the limit kept.
  @Test func theHistoryArrivesAsAnAction() {
    var state = explorer()
    _ = run(&state, [.historyLoaded((1...150).map { "d\($0).example" })])
    #expect(state.domainHistory.count == ExplorerReducer.historyLimit)
    #expect(state.domainHistory.last == "d150.example")
  }

  @Test func theHistoryIsBrowsedWithUpAndDown() {
    var state = explorer()
    state.domainHistory = ["a.example", "b.example"]
    _ = run(&state, [.key(.character("p"))] + typing("c"))
    _ = run(&state, [.key(.up)])
    #expect(state.prompt?.editor.text == "b.example")
    _ = run(&state, [.key(.up), .key(.up)])
    #expect(state.prompt?.editor.text == "a.example")
    _ = run(&state, [.key(.down), .key(.down)])
    #expect(state.prompt?.editor.text == "c")
  }

  @Test func savingWaitsForTheReportThenAsksWhere() {
    var state = probing()
    #expect(run(&state, [.key(.character("s"))]).isEmpty)
    #expect(state.status == "nothing to save yet: the probe is still running")
    let report = sampleReport()
    _ = run(&state, [.probeFinished(generation: 1, report)])
    // The edge is asked for a name no file has yet; the prompt opens with its answer.
    #expect(
      run(&state, [.key(.character("s"))]) == [.proposeReportName("mailflow-example.net-202611290300.json")])
    #expect(state.prompt == nil)
    _ = run(&state, [.reportNameProposed("mailflow-example.net-202611290300.json")])
    #expect(state.prompt?.purpose == .saveReport)
    #expect(state.prompt?.editor.text == "mailflow-example.net-202611290300.json")
    _ = run(&state, [.key(.up)])
    #expect(state.prompt?.editor.text == "mailflow-example.net-202611290300.json")  // no domains offered
    let effects = run(&state, [.key(.enter)])
    #expect(
      effects == [.saveReport(path: "mailflow-example.net-202611290300.json", report: report, request: 1)])
    _ = run(&state, [.reportSaved(.failure(MessageLoadError("x exists: choose another name")))])
    #expect(state.prompt?.error == "x exists: choose another name")
    _ = run(&state, [.reportSaved(.success("r.json"))])
    #expect(state.prompt == nil)
    #expect(state.status == "saved the report to r.json")
  }

  /// Answers come later now (effects run off the loop): one that arrives after Esc is dropped, never
  /// applied to whatever the user does next, and Enter is not sent twice while one is awaited.
  @Test func lateAnswersAreDroppedAfterEsc() throws {
    var state = explorer()
    _ = run(&state, [.key(.character("m"))] + typing("/tmp/x.eml"))
    #expect(run(&state, [.key(.enter)]) == [.openMessage("/tmp/x.eml", request: 1)])
    #expect(run(&state, [.key(.enter)]).isEmpty)  // still waiting for the first
    _ = run(&state, [.key(.escape), .key(.character("p"))] + typing("exam"))
    _ = run(&state, [.messageLoaded(.failure(MessageLoadError("cannot read")), request: 1)])
    #expect(state.prompt?.purpose == .probeDomain)
    #expect(state.prompt?.error == nil)  // not the message's error in the domain prompt
    _ = run(&state, [.messageLoaded(.success(try tracedJourney()), request: 1)])
    #expect(state.mode == .explore && state.prompt?.editor.text == "exam")
  }

  /// Esc right after Enter on a domain (typed ahead in one burst): the probe the edge started stops,
  /// and its start and results are dropped.
  @Test func escAfterEnterCancelsTheProbeThatWasAskedFor() {
    var state = explorer()
    let effects = run(
      &state, [.key(.character("p"))] + typing("example.net") + [.key(.enter), .key(.escape)])
    #expect(effects == [.startProbe(domain: "example.net", generation: 1), .cancelProbe])
    _ = run(
      &state,
      [.probeStarted(generation: 1, domain: "example.net"), .probeHop(generation: 1, sampleReport().hops[2])])
    #expect(state.probe == nil)
  }

  @Test func theDomainsOwnJourneyUsesTheRealTranscripts() throws {
    var state = probing()
    _ = run(&state, [.probeFinished(generation: 1, sampleReport())])
    _ = run(&state, [.key(.character("J"))])
    #expect(state.mode == .journey)
    let journey = try #require(state.journey)
    #expect(journey.id == "probe")
    #expect(journey.steps.map(\.hopID) == ["submission", "outbound", "relay", "delivery", "retrieval"])
    let relay = journey.steps[2]
    #expect(relay.option.modeID == "starttls-mta-sts")
    #expect(relay.transcript.first?.text == "220 mx.example.net ESMTP")
    // After "TLS established" an observer sees nothing of the dialogue.
    #expect(relay.encryptedLines == [false, false, false, false, false, false, false, true, true, true])
    #expect(journey.steps[4].option.modeID == "cleartext")
    #expect(journey.steps[4].observer == .everything)
  }

  @Test func transcriptsOpenForAProbedHopOnly() {
    var state = probing()
    _ = run(&state, [.key(.character("t"))])
    #expect(state.overlay == nil)
    #expect(state.status == "no transcript yet: this hop is still being probed")
    _ = run(
      &state, [.probeFinished(generation: 1, sampleReport()), .key(.character("3")), .key(.character("t"))])
    #expect(state.overlay == .transcript)
    _ = run(&state, [.key(.escape)])
    #expect(state.overlay == nil)
  }

  @Test func cancellingAReprobeBringsBackTheEarlierResult() {
    var state = probing()
    _ = run(&state, [.probeFinished(generation: 1, sampleReport())])
    _ = run(&state, [.key(.character("r"))])
    _ = run(&state, [.probeStarted(generation: 2, domain: "example.net")])
    #expect(state.probe?.isRunning == true)
    _ = run(&state, [.key(.escape)])
    #expect(state.probe?.phase == .finished)
    #expect(state.probe?.report == sampleReport())
    #expect(state.status == "probe of example.net cancelled; showing the earlier result")
  }

  @Test func theElapsedTimeStartsWhenTheProbeStarts() {
    var state = explorer(width: 100, height: 40, [.tick(.seconds(8))])
    _ = run(&state, [.key(.character("p"))] + typing("example.net") + [.key(.enter)])
    _ = run(
      &state, [.probeStarted(generation: 1, domain: "example.net"), .tick(.seconds(8) + .milliseconds(300))])
    #expect(state.probe?.elapsedText == "0.3 s")
    _ = run(&state, [.tick(.seconds(9)), .key(.escape)])
    #expect(state.probe?.elapsedText == "1.0 s")
  }

  @Test func aReportWithoutHopsCannotCrashTheJourney() {
    var empty = sampleReport()
    empty.hops = []
    var state = explorer()
    _ = run(&state, [.reportOpened(empty, file: "empty.json"), .key(.character("J"))])
    #expect(state.mode == .journey)
    #expect(state.journey?.id != "probe")  // the built-in scenarios are stepped through instead
    _ = run(
      &state, [.key(.character("c")), .key(.character("c")), .key(.character("c")), .key(.character("n"))])
  }

  @Test func aMessageOpenedAfterAProbeIsTheJourneyShown() {
    var state = probing()
    _ = run(&state, [.probeFinished(generation: 1, sampleReport())])
    let message = Journey(
      id: "message", name: "Message: hello", summary: "", sender: "a", recipient: "b",
      steps: [
        JourneyStep(
          hopID: "relay", option: TransportOption(protocolID: "smtp", modeID: "starttls"), title: "t",
          narrative: "",
          observer: .metadata, observerNote: "", transcript: [])
      ])
    _ = run(&state, [.messageLoaded(.success(message))])
    #expect(state.mode == .journey)
    #expect(state.journey?.id == "message")
  }

  @Test func aProbeFinishingDuringAJourneyLeavesJourneyModeRatherThanSwitchingJourneys() {
    var state = probing()
    _ = run(&state, [.key(.character("J")), .key(.character("n"))])
    #expect(state.mode == .journey)
    _ = run(&state, [.probeFinished(generation: 1, sampleReport())])
    #expect(state.mode == .explore)
    #expect(state.scenario == 0)
  }

  @Test func keysTakenByThePaneAreNotOfferedForTheProbe() {
    var state = probing()
    #expect(Keymap.standard.hints(for: state).contains { $0.text == "cancel probe" })
    _ = run(&state, [.key(.enter)])  // the details pane: Esc goes back there
    #expect(!Keymap.standard.hints(for: state).contains { $0.text == "cancel probe" })
  }

  @Test func aSavedReportOpensOffline() {
    var state = explorer()
    _ = run(&state, [.reportOpened(sampleReport(), file: "saved.json")])
    #expect(state.probe?.phase == .finished)
    #expect(state.probe?.file == "saved.json")
    #expect(DiagramView.ratings(state) == [.weak, .internal, .secure, .internal, .insecure])
  }

  /// The report's own probe options are not known: r asks first, a second r probes, any other key
  /// keeps the report.
  @Test func reprobingASavedReportAsksFirst() {
    var state = explorer()
    _ = run(&state, [.reportOpened(sampleReport(), file: "saved.json")])
    #expect(run(&state, [.key(.character("r"))]).isEmpty)
    #expect(state.status?.hasPrefix("a saved report: r again probes example.net live") == true)
    _ = run(&state, [.key(.down)])
    #expect(run(&state, [.key(.character("r"))]).isEmpty)
    #expect(run(&state, [.key(.character("r"))]) == [.startProbe(domain: "example.net", generation: 1)])
  }
}

@Suite("Probe in the explorer: screens")
struct ProbeScreenTests {
  func snapshot(
    _ state: ExplorerState, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    assertSnapshot(
      ExplorerRenderer.render(state).buffer.snapshot, named: name, sourceLocation: sourceLocation)
  }

  func finished(width: Int, height: Int, _ more: [ExplorerAction] = []) -> ExplorerState {
    var state = explorer(width: width, height: height, [.tick(.seconds(1))])
    _ = run(&state, [.key(.character("p"))] + typing("example.net") + [.key(.enter)])
    _ = run(
      &state,
      [.probeStarted(generation: 1, domain: "example.net"), .probeFinished(generation: 1, sampleReport())])
    _ = run(&state, more)
    return state
  }

  @Test func probingShowsSpinners() {
    var state = explorer(width: 100, height: 30, [.tick(.seconds(1))])
    _ = run(&state, [.key(.character("p"))] + typing("example.net") + [.key(.enter)])
    _ = run(&state, [.probeStarted(generation: 1, domain: "example.net"), .tick(.milliseconds(1700))])
    _ = run(&state, [.probeHop(generation: 1, sampleReport().hops[2])])
    snapshot(state, "probe-running-100x30")
  }

  @Test func aFinishedProbe() {
    snapshot(finished(width: 80, height: 24), "probe-finished-80x24")
    snapshot(finished(width: 160, height: 48), "probe-finished-160x48")
  }

  @Test func evidenceOfTheRelayHop() {
    snapshot(
      finished(width: 100, height: 60, [.key(.character("3")), .key(.enter)]), "probe-relay-details-100x60")
  }

  @Test func theTranscriptWindow() {
    snapshot(
      finished(width: 100, height: 30, [.key(.character("3")), .key(.character("t"))]),
      "probe-transcript-100x30")
  }

  @Test func thePromptWithAnError() {
    var state = explorer(width: 80, height: 24)
    _ = run(&state, [.key(.character("p"))] + typing("bad..example") + [.key(.enter)])
    _ = run(
      &state, [.probeRejected(generation: 1, reason: "invalid domain: 'bad..example' has an empty label")])
    snapshot(state, "probe-prompt-error-80x24")
  }
}

@Suite("Probe in the explorer: what changed since the last probe")
struct ReprobeChangesTests {
  @Test func aReprobeMarksChangedHopsAndListsTheChanges() {
    var state = explorer(width: 100, height: 40, [.tick(.seconds(1))])
    _ = run(&state, [.key(.character("p"))] + typing("example.net") + [.key(.enter)])
    _ = run(
      &state,
      [.probeStarted(generation: 1, domain: "example.net"), .probeFinished(generation: 1, sampleReport())])
    #expect(state.probe?.changes == nil)
    var worse = sampleReport()
    worse.startedAt = "2026-11-30T03:00:00Z"
    worse.hops[2].rating = .weak
    _ = run(&state, [.key(.character("r"))])
    _ = run(
      &state, [.probeStarted(generation: 2, domain: "example.net"), .probeFinished(generation: 2, worse)])
    let relay = state.probe?.changes(of: "relay") ?? []
    #expect(relay.contains { $0.what == "rating" && $0.before == "secure" && $0.after == "weak" && $0.worse })
    #expect(state.probe?.changes(of: "submission").isEmpty == true)
    _ = run(&state, [.key(.character("3")), .key(.enter)])
    let screen = ExplorerRenderer.render(state).buffer.lines.joined(separator: "\n")
    #expect(screen.contains("changed: "), "the table marks the hop")
    #expect(screen.contains("Changed since 2026-11-29T03:00:00Z"), "\(screen)")
    #expect(screen.contains("relay: rating secure → weak (worse)"))
  }
}

@Suite("Probe in the explorer: the checklist window")
struct ChecklistWindowTests {
  @Test func cOpensTheDomainsChecklistOnceTheReportIsThere() {
    var state = explorer(width: 100, height: 40, [.tick(.seconds(1))])
    _ = run(&state, [.key(.character("p"))] + typing("example.net") + [.key(.enter)])
    _ = run(&state, [.probeStarted(generation: 1, domain: "example.net")])
    _ = run(&state, [.key(.character("c"))])
    #expect(state.overlay == nil)
    #expect(state.status == "the checklist is ready when the probe finishes")
    _ = run(&state, [.probeFinished(generation: 1, sampleReport()), .key(.character("c"))])
    #expect(state.overlay == .checks)
    let screen = ExplorerRenderer.render(state).buffer.lines.joined(separator: "\n")
    #expect(screen.contains("Checklist · example.net"))
    #expect(screen.contains("relay in transit"))
    #expect(screen.contains("MTA-STS"))
    _ = run(&state, [.key(.character("c"))])
    #expect(state.overlay == nil)
  }

  @Test(arguments: [(100, 30), (200, 60)])
  func theChecklistWindowSnapshot(width: Int, height: Int) {
    var state = explorer(width: width, height: height, [.tick(.seconds(1))])
    _ = run(&state, [.key(.character("p"))] + typing("example.net") + [.key(.enter)])
    _ = run(
      &state,
      [
        .probeStarted(generation: 1, domain: "example.net"), .probeFinished(generation: 1, sampleReport()),
        .key(.character("c")),
      ])
    assertSnapshot(
      ExplorerRenderer.render(state).buffer.snapshot, named: "probe-checklist-\(width)x\(height)")
  }
}
