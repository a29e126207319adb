import MailFlowModel
import TerminalUI
import Testing

@testable import MailFlowExplorer

@Suite("Reducer: keys to state")
struct ReducerTests {
  @Test func startsOnTheFirstHopWithTheDiagramFocused() {
    let state = explorer()
    #expect(state.selectedHop == 0)
    #expect(state.focus == .diagram)
    #expect(state.mode == .explore)
  }

  @Test func arrowsAndVimKeysMoveTheSelectionAndStopAtTheEnds() {
    #expect(explorer(keys(.right, .right)).selectedHop == 2)
    #expect(explorer(keys(.character("l"), .character("j"), .character("k"))).selectedHop == 1)
    #expect(explorer(keys(.left)).selectedHop == 0)
    #expect(explorer(keys(.right, .right, .right, .right, .right, .right)).selectedHop == 4)
    #expect(explorer(keys(.down, .down, .up)).selectedHop == 1)
  }

  @Test func digitsJumpToAHop() {
    #expect(explorer(keys(.character("4"))).selectedHop == 3)
    #expect(explorer(keys(.character("9"))).selectedHop == 0)
  }

  @Test func tabCyclesThePanesBothWays() {
    #expect(explorer(keys(.tab)).focus == .table)
    #expect(explorer(keys(.tab, .tab)).focus == .details)
    #expect(explorer(keys(.tab, .tab, .tab)).focus == .diagram)
    #expect(explorer(keys(.backTab)).focus == .details)
  }

  @Test func enterOpensDetailsAndEscReturns() {
    let opened = explorer(keys(.character("3"), .enter))
    #expect(opened.focus == .details)
    #expect(opened.selectedHop == 2)
    #expect(explorer(keys(.enter, .escape)).focus == .table)
  }

  @Test func downInDetailsScrollsThenHighlightsRFCsThatAreOnScreen() {
    var state = explorer(keys(.enter, .down))
    #expect(state.detailsScroll == 1)
    #expect(state.detailsLink == nil)
    state = explorer(keys(.enter, .end, .down))
    #expect(state.detailsLink == 0)
    send(&state, .key(.down))
    #expect(state.detailsLink == 1)
    send(&state, .key(.up))
    #expect(state.detailsLink == 0)
  }

  @Test func enterOnAnRFCOpensItAndEscGoesBackToTheSameScroll() {
    var state = explorer(keys(.enter, .end, .down, .enter))
    let submissionRFCs = state.knowledge.hop("submission")!.rfcs
    #expect(state.openRFC == submissionRFCs[0])
    #expect(state.detailsScroll == 0)
    send(&state, .key(.escape))
    #expect(state.openRFC == nil)
    #expect(state.focus == .details)
    #expect(state.detailsScroll > 0)
  }

  @Test func pagingIsClampedToTheContent() {
    let state = explorer(
      keys(.enter, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown))
    let atEnd = explorer(keys(.enter, .end))
    #expect(state.detailsScroll <= atEnd.detailsScroll)
    #expect(explorer(keys(.enter, .end, .home)).detailsScroll == 0)
  }

  @Test func selectingAnotherHopResetsTheDetails() {
    let state = explorer(keys(.enter, .end, .down, .enter, .tab, .right))
    #expect(state.openRFC == nil)
    #expect(state.detailsScroll == 0)
    #expect(state.detailsLink == nil)
  }

  @Test func questionMarkTogglesHelpAndEscClosesIt() {
    #expect(explorer(keys(.character("?"))).overlay == .help)
    #expect(explorer(keys(.character("?"), .character("?"))).overlay == nil)
    #expect(explorer(keys(.character("?"), .escape)).overlay == nil)
    // Keys that mean something else stay inside the help while it is open.
    let state = explorer(keys(.character("?"), .right, .down))
    #expect(state.selectedHop == 0)
    #expect(state.helpScroll == 1)
  }

  @Test func qAndControlCQuit() {
    var state = explorer()
    #expect(send(&state, .key(.character("q"))) == [.quit])
    state = explorer()
    #expect(send(&state, .key(.control("c"))) == [.quit])
    #expect(state.quitRequested)
  }

  @Test func journeyStepsForwardAndBackFollowingTheHops() {
    var state = explorer(keys(.character("J")))
    #expect(state.mode == .journey)
    #expect(state.focus == .journey)
    #expect(state.step == 0)
    #expect(state.selectedHop == 0)
    for (expectedStep, expectedHop) in [(1, 1), (2, 2), (3, 3), (4, 4), (4, 4)] {
      send(&state, .key(.character("n")))
      #expect(state.step == expectedStep)
      #expect(state.selectedHop == expectedHop)
    }
    send(&state, .key(.character("b")))
    #expect(state.step == 3)
    send(&state, .key(.left))
    #expect(state.step == 2)
  }

  @Test func scenariosCycleAndKeepTheCurrentHop() {
    var state = explorer(keys(.character("J"), .character("n"), .character("n")))
    #expect(state.journey?.id == "best-practice")
    send(&state, .key(.character("c")))
    #expect(state.journey?.id == "opportunistic")
    #expect(state.selectedHop == 2)
    send(&state, .key(.character("c")))
    #expect(state.journey?.id == "downgrade")
    #expect(state.journeyStep?.title.hasPrefix("Relay without DANE") == true)
    send(&state, .key(.character("c")))
    #expect(state.journey?.id == "best-practice")
    send(&state, .key(.character("C")))
    #expect(state.journey?.id == "downgrade")
  }

  @Test func theDowngradeScenarioShowsBothOutcomesOnTheRelayHop() {
    let state = explorer(keys(.character("J"), .character("C")))
    let relaySteps = state.journey!.steps.filter { $0.hopID == "relay" }
    #expect(relaySteps.map { state.knowledge.rating(of: $0) } == [.insecure, .secure])
    #expect(relaySteps[0].observer == .everything)
    #expect(relaySteps[1].transcript.contains { $0.speaker == .attacker })
    #expect(relaySteps[1].transcript.last?.text.contains("deferred") == true)
  }

  @Test func digitsInAJourneyJumpToThatHopsStep() {
    let state = explorer(keys(.character("J"), .character("5")))
    #expect(state.step == 4)
    #expect(state.selectedHop == 4)
  }

  @Test func observerViewTogglesAndEscLeavesTheJourney() {
    #expect(explorer(keys(.character("J"), .character("o"))).observerView)
    let left = explorer(keys(.character("J"), .escape))
    #expect(left.mode == .explore)
    #expect(left.focus == .diagram)
  }

  @Test func resizeBelowTheMinimumOnlyAllowsQuitting() {
    var state = explorer()
    send(&state, .resize(width: 60, height: 15))
    #expect(state.isTooSmall)
    send(&state, .key(.right))
    #expect(state.selectedHop == 0)
    send(&state, .resize(width: 80, height: 24))
    send(&state, .key(.right))
    #expect(state.selectedHop == 1)
    #expect(send(&state, .resize(width: 60, height: 15)) == [])
    #expect(send(&state, .key(.character("q"))) == [.quit])
  }

  @Test func focusMovesOffAPaneThatAResizeHides() {
    var state = explorer(width: 100, height: 40, keys(.character("J"), .tab))
    #expect(state.focus == .diagram)
    send(&state, .key(.tab))
    #expect(state.focus == .table)
    send(&state, .resize(width: 80, height: 24))
    #expect(state.focus != .table)
  }
}

@Suite("Reducer: mouse")
struct MouseTests {
  @Test func clickingAnArrowOrARowSelectsItsHop() {
    var state = explorer()
    let frame = ExplorerRenderer.render(state)
    let arrow = frame.hits.first { $0.1 == .hop(3, in: .diagram) }!.0
    send(&state, .mouse(.click, frame.target(x: arrow.x + 1, y: arrow.y + 1)))
    #expect(state.selectedHop == 3)
    #expect(state.focus == .diagram)
    let row = frame.hits.first { $0.1 == .hop(1, in: .table) }!.0
    send(&state, .mouse(.click, frame.target(x: row.x + 40, y: row.y)))
    #expect(state.selectedHop == 1)
    #expect(state.focus == .table)
  }

  @Test func wheelScrollsTheDetailsUnderThePointer() {
    var state = explorer()
    let frame = ExplorerRenderer.render(state)
    let details = ExplorerLayout(state).content!
    send(&state, .mouse(.wheelDown, frame.target(x: details.x + 5, y: details.y + 3)))
    #expect(state.detailsScroll == 3)
    #expect(state.focus == .diagram)
  }

  @Test func wheelOverTheTableMovesTheSelection() {
    var state = explorer()
    let table = ExplorerLayout(state).table!
    let frame = ExplorerRenderer.render(state)
    send(&state, .mouse(.wheelDown, frame.target(x: table.x + 2, y: table.y + 1)))
    #expect(state.selectedHop == 1)
  }

  @Test func clickingAnRFCLinkOpensIt() {
    var state = explorer(keys(.enter, .end))
    let frame = ExplorerRenderer.render(state)
    guard let (rect, target) = frame.hits.last(where: { if case .link = $0.1 { true } else { false } }) else {
      Issue.record("no RFC link on screen")
      return
    }
    send(&state, .mouse(.click, frame.target(x: rect.x + 3, y: rect.y)))
    if case .link(let number) = target { #expect(state.openRFC == number) }
  }
}

@Suite("Keymap")
struct KeymapTests {
  @Test func footerHintsComeFromTheKeymap() {
    let state = explorer()
    let footer = ExplorerRenderer.render(state).buffer.lines.last!
    for (key, text) in Keymap.standard.hints(for: state).prefix(4) {
      #expect(footer.contains("\(key) \(text)"))
    }
  }

  @Test func everyBindingReachesItsIntentInItsScope() {
    // A key listed for a scope must not be shadowed by another binding of the same scope.
    for binding in Keymap.standard.bindings {
      for key in binding.keys {
        let first = Keymap.standard.bindings.first { $0.scope == binding.scope && $0.keys.contains(key) }
        #expect(first?.intent == binding.intent, "\(key) in \(binding.scope) is shadowed")
      }
    }
  }

  @Test func helpListsEveryBinding() {
    let text = HelpOverlay.lines(keymap: .standard, width: 84).map(\.text).joined(separator: "\n")
    for binding in Keymap.standard.bindings {
      #expect(text.contains(String(binding.description.prefix(20))), "\(binding.description)")
    }
  }

  @Test func footerChangesWithTheFocusedPane() {
    let details = explorer(keys(.enter))
    #expect(Keymap.standard.hints(for: details).contains { $0.text == "open RFC" })
    let journey = explorer(keys(.character("J")))
    #expect(Keymap.standard.hints(for: journey).contains { $0.text == "scenario" })
  }
}

@Suite("Colourer")
struct RatingStyleTests {
  @Test(arguments: [
    (Rating.secure, StyleRole.ratingSecure), (.weak, .ratingWeak), (.insecure, .ratingInsecure),
    (.internal, .internal), (.none, .internal), (.unknown, .pending),
  ])
  func eachRatingHasItsRole(rating: Rating, role: StyleRole) {
    #expect(RatingStyle.role(rating) == role)
  }

  @Test func diagramArrowsTakeTheirHopsRating() {
    let frame = ExplorerRenderer.render(explorer())
    let relayArrow = frame.hits.first { $0.1 == .hop(2, in: .diagram) }!.0
    #expect(frame.buffer[relayArrow.x + 1, relayArrow.y + 1].role == .ratingSecure)
    let outboundArrow = frame.hits.first { $0.1 == .hop(1, in: .diagram) }!.0
    #expect(frame.buffer[outboundArrow.x + 1, outboundArrow.y + 1].role == .internal)
  }

  @Test func journeyArrowsShowHowTheScenarioCarriesEachHop() {
    let state = explorer(keys(.character("J"), .character("C"), .character("n"), .character("n")))
    #expect(DiagramView.ratings(state)[2] == .insecure)
    #expect(DiagramView.ratings(explorer(keys(.character("J"), .character("c"))))[2] == .weak)
  }
}

@Suite("Viewport: the render pass reports what it laid out")
struct ViewportTests {
  @Test func theReducerPagesWithTheReportedViewportAndLaysNothingOut() {
    var state = explorer(keys(.enter))
    var viewport = state.viewport
    viewport.details = ExplorerViewport.Text(total: 100, visible: 10)
    _ = ExplorerReducer.reduce(&state, .viewport(viewport))
    _ = ExplorerReducer.reduce(&state, .key(.pageDown))
    #expect(state.detailsScroll == 9)
    _ = ExplorerReducer.reduce(&state, .key(.end))
    #expect(state.detailsScroll == 90)
  }

  @Test func aFrameReportsThePanesAndTheTextsItLaidOut() {
    let state = explorer(keys(.enter))
    let frame = ExplorerRenderer.render(state)
    let content = ExplorerLayout(state).content!
    #expect(frame.viewport.panes == [.diagram, .table, .details])
    #expect(frame.viewport.details.visible == content.inner.height)
    #expect(frame.viewport.details.total > content.inner.height)
    #expect(!frame.viewport.details.links.isEmpty)
    let journey = ExplorerRenderer.render(explorer(keys(.character("J")))).viewport
    #expect(journey.panes == [.diagram, .journey])
    #expect(journey.journey.visible > 0)
  }

  @Test func aKeyAfterOthersInTheSameBurstPagesTheTextNowShown() {
    // Select hop 4 and go to the end of its details without drawing in between: the store lays the
    // new hop out before End, so End reaches the end of hop 4's text, not of hop 1's.
    var store = ExplorerStore(explorer())
    _ = store.render()
    for key in [KeyEvent.character("4"), .enter, .end] { store.send(.key(key)) }
    let text = ExplorerRenderer.render(store.state).viewport.details
    #expect(store.state.selectedHop == 3)
    #expect(store.state.detailsScroll == text.total - text.visible)
  }
}
