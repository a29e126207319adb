import Foundation
import Testing

@testable import MailFlowCLI

/// The scan's pure parts: the domain list, shards, resuming, and the summary of an output.
@Suite("mailflow scan: input, shards, resume")
struct ScanTests {
  @Test func theListSkipsCommentsBlanksAndBadLinesAndProbesEachDomainOnce() {
    let input = ScanInput(
      "# domains\nexample.net\n\n  Example.NET  \nbücher.example # IDN\nnot a domain\nbad..example\nlocalhost\nexample.org\r\n"
    )
    #expect(input.domains == ["example.net", "xn--bcher-kva.example", "example.org"])
    #expect(input.duplicates == 1)
    #expect(input.badLines.map(\.number) == [6, 7, 8])
    #expect(input.badLines[0].reason == "more than one word")
  }

  @Test func shardsSplitAListWithoutOverlapOrGap() throws {
    let domains = (0..<1000).map { "d\($0).example" }
    let shards = (0..<4).map { try! #require(ScanShard("\($0)/4")) }
    var seen = 0
    for domain in domains {
      let owners = shards.filter { $0.contains(domain) }
      #expect(owners.count == 1)
      seen += owners.count
    }
    #expect(seen == 1000)
    // Stable: FNV-1a 64 of the name, the same on every machine and in every version.
    #expect(ScanShard.hash("a") == 0xaf63_dc4c_8601_ec8c)
    #expect(ScanShard("4/4") == nil)
    #expect(ScanShard("-1/4") == nil)
    #expect(ScanShard("1/0") == nil)
  }

  @Test func resumingDropsATornLastLine() {
    let whole = #"{"input":"a.example","domain":"a.example"}"# + "\n" + #"{"input":"b.example","x":1}"# + "\n"
    let torn = whole + #"{"input":"c.exam"#
    let resume = ScanResume(Array(torn.utf8))
    #expect(resume.done == ["a.example", "b.example"])
    #expect(resume.validLength == whole.utf8.count)
    var pieces = ScanResume()
    for byte in torn.utf8 { pieces.feed([byte][...]) }
    #expect(pieces == resume)
  }
}
