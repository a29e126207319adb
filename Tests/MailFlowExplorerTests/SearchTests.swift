import Foundation
import MailFlowModel
import MailFlowTestSupport
import TerminalUI
import Testing

@testable import MailFlowExplorer

@Suite("Search: / in the focused pane, n and N, as in less")
struct SearchTests {
  @Test func slashSearchesTheDetailsAndShowsTheFirstMatchHighlighted() {
    var store = ExplorerStore(explorer(width: 100, height: 30))
    for action in [ExplorerAction.key(.enter), .key(.character("/"))] + typing("DANE") + [.key(.enter)] {
      store.send(action)
    }
    let frame = store.render()
    let state = store.state
    #expect(state.prompt == nil)
    #expect(state.search?.target == .details)
    let match = try! #require(state.search?.current)
    let lines = DetailsView.lines(state, width: PaneChrome.textWidth(ExplorerLayout(state).content!))
    #expect(lines[match].text.contains("DANE"))
    // On screen, in reverse video.
    let content = ExplorerLayout(state).content!
    let rows = (content.inner.y..<content.inner.maxY).filter { frame.buffer.lines[$0].contains("DANE") }
    #expect(!rows.isEmpty)
    let row = rows[0]
    let column = frame.buffer.lines[row].distance(
      from: frame.buffer.lines[row].startIndex, to: frame.buffer.lines[row].range(of: "DANE")!.lowerBound)
    #expect(frame.buffer[column, row].reversed)
  }

  @Test func nAndCapitalNMoveBetweenMatchesAndWrapAround() {
    var store = ExplorerStore(explorer(width: 100, height: 30))
    for action in [ExplorerAction.key(.enter), .key(.character("/"))] + typing("STARTTLS") + [.key(.enter)] {
      store.send(action)
    }
    _ = store.render()
    let matches = store.state.viewport.details.matches
    #expect(matches.count >= 2)
    let first = store.state.search?.current
    store.send(.key(.character("n")))
    #expect(store.state.search?.current == matches.first { $0 > first! })
    store.send(.key(.character("N")))
    #expect(store.state.search?.current == first)
    for _ in matches { store.send(.key(.character("n"))) }
    #expect(store.state.search?.current == first)  // around the end and back
  }

  @Test func aWordThatIsNowhereSaysSo() {
    var store = ExplorerStore(explorer())
    for action in [ExplorerAction.key(.enter), .key(.character("/"))] + typing("zebra") + [.key(.enter)] {
      store.send(action)
    }
    _ = store.render()
    #expect(store.state.search == nil)
    #expect(store.state.status == "no match for “zebra”")
  }

  @Test func inTheTableAMatchIsAHop() {
    var state = explorer(typing("/") + typing("IMAPS") + [.key(.enter)])
    #expect(state.selectedHop == 4)
    state = explorer(typing("/") + typing("25") + [.key(.enter), .key(.character("n"))])
    #expect(state.selectedHop == 2)  // only the relay speaks port 25: n wraps to it again
  }

  @Test func theHelpWindowIsSearchedToo() {
    var store = ExplorerStore(explorer())
    for action in typing("?/") + typing("observer") + [.key(.enter)] { store.send(action) }
    _ = store.render()
    #expect(store.state.search?.target == .overlay)
    #expect(store.state.search?.current != nil)
    #expect(store.state.overlay == .help)
    store.send(.key(.escape))  // Esc clears the search first, then closes
    #expect(store.state.search == nil)
    #expect(store.state.overlay == .help)
  }

  @Test func slashNoLongerProbes() {
    var state = explorer()
    #expect(send(&state, .key(.character("/"))).isEmpty)
    #expect(state.prompt?.purpose == .search)
  }

  @Test func eachPromptHasItsOwnHistory() {
    var state = explorer(typing("/") + typing("DANE") + [.key(.enter)])
    _ = send(&state, .key(.character("p")))
    _ = send(&state, .key(.up))
    #expect(state.prompt?.editor.text == "")  // no domains yet: the search word is not offered
    _ = send(&state, .key(.escape))
    _ = send(&state, .key(.character("/")))
    _ = send(&state, .key(.up))
    #expect(state.prompt?.editor.text == "DANE")
  }
}

@Suite("Keys that users of other tools expect")
struct HabitKeysTests {
  @Test func gAndCapitalGGoToTheFirstAndLastHop() {
    #expect(explorer(keys(.character("3"), .character("g"))).selectedHop == 0)
    #expect(explorer(keys(.character("G"))).selectedHop == 4)
    #expect(explorer(keys(.end)).selectedHop == 4)
    #expect(explorer(keys(.character("4"), .home)).selectedHop == 0)
  }

  @Test func ctrlZAsksTheLoopToSuspend() {
    var state = explorer()
    #expect(send(&state, .key(.control("z"))) == [.suspend])
  }

  @Test func xPutsTheProbeAwayAndCancelsARunningOne() {
    var state = explorer()
    _ = send(&state, .probeRequested("example.net"))
    _ = send(&state, .probeStarted(generation: 1, domain: "example.net"))
    #expect(state.probe?.isRunning == true)
    #expect(send(&state, .key(.character("x"))) == [.cancelProbe])
    #expect(state.probe == nil)
    // Whatever the put-away probe still sends is dropped.
    _ = send(&state, .probeFinished(generation: 1, sampleReport()))
    #expect(state.probe == nil)
  }
}

@Suite("Search: where it lands and how it shows")
struct SearchShowTests {
  @Test func inAJourneyTheStepsTextIsSearchedAndNGoesToTheNextMatch() {
    var store = ExplorerStore(explorer(width: 100, height: 30))
    for action in typing("J/") + typing("DANE") + [.key(.enter)] { store.send(action) }
    _ = store.render()
    #expect(store.state.search?.target == .journey)
    let first = store.state.search?.current
    #expect(first != nil)
    let step = store.state.step
    store.send(.key(.character("n")))
    #expect(store.state.step == step)  // n moves between matches while the search is shown
    store.send(.key(.escape))
    #expect(store.state.search == nil)
    store.send(.key(.character("n")))
    #expect(store.state.step == step + 1)  // and steps again once it is cleared
  }

  @Test func theCurrentMatchIsReversedTheOthersColoured() {
    var store = ExplorerStore(explorer(width: 100, height: 40))
    for action in [ExplorerAction.key(.enter), .key(.character("/"))] + typing("STARTTLS") + [.key(.enter)] {
      store.send(action)
    }
    let buffer = store.render().buffer
    let details = ExplorerLayout(store.state).content!.inner
    let cells = (details.y..<details.maxY).flatMap { y in (details.x..<details.maxX).map { (x: $0, y: y) } }
    let reversed = cells.filter { buffer[$0.x, $0.y].reversed && buffer[$0.x, $0.y].character == "S" }
    let coloured = cells.filter { buffer[$0.x, $0.y].role == .warning && buffer[$0.x, $0.y].character == "S" }
    #expect(Set(reversed.map(\.y)).count == 1, "one current match line")
    #expect(!coloured.isEmpty, "the other matches are marked too")
  }

  @Test func textThatFitsIsSharedEvenlyBetweenTheColumns() {
    // The relay's short RFC text at 200×60: both columns carry about half.
    let state = explorer(width: 200, height: 60, keys(.character("J")))
    let frame = ExplorerRenderer.render(state)
    let content = ExplorerLayout(state).content!
    let middle = content.x + content.width / 2
    let rows = frame.buffer.lines[content.inner.y..<content.inner.maxY]
    let left = rows.filter { !$0.prefix(middle - content.x - 2).dropFirst().allSatisfy { $0 == " " } }.count
    let right = rows.filter { !$0.dropFirst(middle + 1).dropLast().allSatisfy { $0 == " " || $0 == "│" } }
      .count
    #expect(abs(left - right) <= 2, "left \(left) rows, right \(right) rows")
  }
}
