import MailFlowModel
import MailFlowTestSupport
import TerminalUI
import Testing

@testable import MailFlowExplorer

/// The scan list (`explore --scan`): rows as they load, ordered by any column, filtered by a word or a
/// hop's rating, a domain's report opened from its line.
@Suite("Scan in the explorer")
struct ScanExplorerTests {
  static func loaded() -> ExplorerState {
    var state = explorer(width: 100, height: 30)
    state.scan = ScanBrowser(path: "/data/scan.jsonl")
    state.overlay = .scan
    let rows = [
      ScanBrowser.Row(
        domain: "b.example", offset: 0, length: 10, overall: .weak, submission: .secure, relay: .weak,
        retrieval: .secure),
      ScanBrowser.Row(
        domain: "a.example", offset: 11, length: 10, overall: .secure, submission: .secure, relay: .secure,
        retrieval: .secure),
      ScanBrowser.Row(
        domain: "c.example", offset: 22, length: 10, overall: .insecure, submission: .insecure, relay: .weak,
        retrieval: .none),
    ]
    _ = run(
      &state, [.scanProgress(Array(rows.prefix(2)), unreadable: 1), .scanProgress([rows[2]], unreadable: 0)])
    return state
  }

  @Test func orderedByEachColumnWorstFirstAndFiltered() {
    var state = Self.loaded()
    #expect(state.scan?.shownRows.map(\.domain) == ["a.example", "b.example", "c.example"])
    #expect(state.scan?.unreadable == 1)
    _ = run(&state, [.key(.character("s"))])
    #expect(state.scan?.sort == .overall)
    #expect(state.scan?.shownRows.map(\.domain) == ["c.example", "b.example", "a.example"])
    _ = run(&state, [.key(.character("/"))] + typing("relay:weak") + [.key(.enter)])
    #expect(state.scan?.shownRows.map(\.domain) == ["c.example", "b.example"])
    _ = run(&state, [.key(.escape)])
    #expect(state.scan?.filter == nil)
    #expect(state.scan?.counts(.relay) == [.weak: 2, .secure: 1])
  }

  @Test func enterOpensTheReportFromItsLine() {
    var state = Self.loaded()
    let effects = run(&state, [.key(.down), .key(.enter)])
    #expect(
      effects == [.openScanReport(file: "/data/scan.jsonl", offset: 0, length: 10, domain: "b.example")])
    _ = run(&state, [.reportOpened(sampleReport(domain: "b.example"), file: "scan.jsonl: b.example")])
    #expect(state.overlay == nil)
    _ = run(&state, [.key(.character("M"))])
    #expect(state.overlay == .scan)
  }

  @Test func theScanScreen() {
    var state = Self.loaded()
    _ = run(&state, [.scanFinished(failure: nil)])
    assertSnapshot(ExplorerRenderer.render(state).buffer.snapshot, named: "scan-100x30")
  }

  /// Filtered by a hop's rating: the bars still count every domain, the list shows the matches only.
  @Test func theScanScreenFilteredByARelayRating() {
    var state = Self.loaded()
    _ = run(&state, [.scanFinished(failure: nil)])
    _ = run(&state, [.key(.character("/"))] + typing("relay:weak") + [.key(.enter)])
    assertSnapshot(ExplorerRenderer.render(state).buffer.snapshot, named: "scan-filtered-100x30")
  }
}
