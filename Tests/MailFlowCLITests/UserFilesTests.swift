import Foundation
import MailFlowReport
import Testing

@testable import MailFlowCLI

@Suite("Paths and the history file")
struct UserFilesTests {
  @Test func aTildeInAPromptIsTheHomeFolder() {
    #expect(UserPath.expand("~", home: "/home/ann") == "/home/ann")
    #expect(UserPath.expand("~/r.json", home: "/home/ann") == "/home/ann/r.json")
    #expect(UserPath.expand("~/r.json", home: "/home/ann/") == "/home/ann/r.json")
    #expect(UserPath.expand("~bob/r.json", home: "/home/ann") == "~bob/r.json")
    #expect(UserPath.expand("a/~/b", home: "/home/ann") == "a/~/b")
  }

  @Test func theStateFolderFollowsHomeAndAnAbsoluteXDGStateHome() {
    #expect(UserPath.stateDirectory(["HOME": "/home/ann"]) == "/home/ann/.local/state/mailflow")
    #expect(UserPath.stateDirectory(["HOME": "/home/ann", "XDG_STATE_HOME": "/s"]) == "/s/mailflow")
    // The XDG spec: a relative path is invalid and ignored.
    #expect(
      UserPath.stateDirectory(["HOME": "/home/ann", "XDG_STATE_HOME": "rel/state"])
        == "/home/ann/.local/state/mailflow")
    #expect(
      UserPath.stateDirectory(["HOME": "/home/ann", "XDG_STATE_HOME": ""])
        == "/home/ann/.local/state/mailflow")
  }

  @Test func linesThatAreNotDomainNamesAreIgnored() {
    let text =
      "example.net\n\u{1B}]0;evil\u{07}\nnot a domain\n\nbücher.example\n"
      + String(repeating: "a", count: 300) + "\n"
    #expect(DomainHistory.parse(text) == ["example.net", "bücher.example"])
  }

  @Test func aHistoryThatIsASymlinkIsNeverReplaced() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("dotfiles-history")
    try "kept.example\n".write(to: target, atomically: true, encoding: .utf8)
    let link = directory.appendingPathComponent("history")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    DomainHistory.save(["new.example"], to: link)
    let attributes = try FileManager.default.attributesOfItem(atPath: link.path)
    #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
    #expect(try String(contentsOf: target, encoding: .utf8) == "kept.example\n")
    let plain = directory.appendingPathComponent("plain")
    DomainHistory.save(["a.example", "b.example"], to: plain)
    #expect(try String(contentsOf: plain, encoding: .utf8) == "a.example\nb.example\n")
  }
}

@Suite("Saving a report: a free name, the absolute path")
struct ReportNameTests {
  @Test func theProposedNameIsAlwaysFree() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(ReportFile.freeName(like: "r.json", in: directory.path) == directory.path + "/r.json")
    try Data().write(to: directory.appendingPathComponent("r.json"))
    #expect(ReportFile.freeName(like: "r.json", in: directory.path) == directory.path + "/r-2.json")
    try Data().write(to: directory.appendingPathComponent("r-2.json"))
    #expect(ReportFile.freeName(like: "r.json", in: directory.path) == directory.path + "/r-3.json")
  }

  @Test func theSavedPathIsAbsolute() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = ProbeReport(
      domain: "example.net", startedAt: "2026-12-01T00:00:00Z", durationMs: 1,
      overall: .init(rating: .unknown, limitedBy: nil), hops: [], dns: [])
    let path = try ReportFile.save(report, to: directory.path + "/./r.json").get()
    #expect(path == directory.appendingPathComponent("r.json").standardizedFileURL.path)
    #expect(path.hasPrefix("/"))
  }
}
