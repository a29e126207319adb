import MailFlowModel
import TerminalUI
import Testing

@testable import MailFlowExplorer

@Suite("Layout: the hop table first, at every size")
struct LayoutTests {
  static let sizes = [(80, 24), (100, 30), (120, 40), (160, 48), (200, 60)]

  /// The table's rows as drawn.
  func tableText(_ state: ExplorerState) -> String {
    let frame = ExplorerRenderer.render(state)
    let table = ExplorerLayout(state).table!
    return frame.buffer.lines[table.y..<table.maxY].joined(separator: "\n")
  }

  @Test func fromHundredColumnsTheWholeTableShowsEveryPort() {
    for (width, height) in Self.sizes.dropFirst() {
      let state = explorer(width: width, height: height)
      let layout = ExplorerLayout(state)
      #expect(layout.tableForm == .full, "\(width)×\(height)")
      let text = tableText(state)
      for port in ["587", "465", " 25", "143", "993", "110", "995"] {
        #expect(text.contains(port), "\(width)×\(height) does not show \(port)")
      }
      // Nothing cut ("…" other than the relay's label `3…`).
      #expect(!text.split(separator: "\n").contains { $0.dropFirst(6).contains("…") }, "\(width)×\(height)")
    }
  }

  @Test func atEightyByTwentyFourEveryHopHasItsRowAndItsBestRating() {
    let state = explorer()
    #expect(ExplorerLayout(state).tableForm == .compact)
    let rows = tableText(state).split(separator: "\n")
    for hop in state.knowledge.hops {
      let row = rows.first { $0.hasPrefix("│ \(hop.label) ") }
      #expect(row != nil, "no row for \(hop.label)")
      let best = state.knowledge.bestRating(of: hop).symbol(ascii: false)
      #expect(row?.contains(best) == true, "\(hop.label) does not show its best rating \(best)")
    }
    // The details still get room below.
    #expect((ExplorerLayout(state).content?.height ?? 0) >= 8)
  }

  @Test func wideTerminalsSetTheDetailsInTwoColumnsWithoutBlankRuns() {
    for (width, height) in [(160, 48), (200, 60)] {
      let state = explorer(width: width, height: height)
      let layout = ExplorerLayout(state)
      #expect(layout.contentColumns == 2)
      let frame = ExplorerRenderer.render(state)
      let content = layout.content!
      // Rows blank across both columns come at most two in a row (a paragraph break) until the text
      // ends; when all of it fits, the rows below its end are the only blank run.
      var run = 0
      var longest = 0
      for row in frame.buffer.lines[content.y + 1..<content.maxY - 1] {
        let blank = row.dropFirst().dropLast().allSatisfy { $0 == " " || $0 == "│" }
        if !blank { longest = max(longest, run) }
        run = blank ? run + 1 : 0
      }
      #expect(longest <= 2, "\(width)×\(height): \(longest) blank rows in a row in the details")
      #expect(frame.viewport.details.visible == 2 * content.inner.height)
    }
  }

  @Test func narrowTerminalsKeepOneColumn() {
    for (width, height) in [(80, 24), (100, 30), (120, 40)] {
      #expect(ExplorerLayout(explorer(width: width, height: height)).contentColumns == 1)
    }
  }
}
