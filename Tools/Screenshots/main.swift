import Foundation
import MailFlowAssets
import MailFlowExplorer
import MailFlowModel
import MailFlowReport
import MailFlowTrace
import TerminalUI

/// The README's pictures, drawn from the explorer's own screen buffers (the ones the snapshot tests
/// check) as SVG in the colours of a dark terminal.
///
///   mailflow-screenshots DIR           write DIR/NAME.svg for every scene
///   mailflow-screenshots --check DIR   exit 1 naming every picture that is missing or out of date
///
/// Run from the repository's root (`make screenshots`); the scenes read a saved report and a message
/// from the repository.
struct Scene {
  var name: String
  var title: String
  var width: Int
  var height: Int
  var setup: [ExplorerAction]
  var keys: String
}

func typed(_ keys: String) -> [ExplorerAction] {
  keys.map { character in
    switch character {
    case "\n": .key(.enter)
    default: .key(.character(character))
    }
  }
}

func scenes() throws -> [Scene] {
  let reportPath = "docs/screenshots/daneok.example.json"
  let report = try JSONDecoder().decode(
    ProbeReport.self, from: Data(contentsOf: URL(fileURLWithPath: reportPath)))
  let messagePath = "Tests/MailFlowTraceTests/Corpus/gmail.eml"
  let header = try HeaderSection.parse(Array(try Data(contentsOf: URL(fileURLWithPath: messagePath))))
  // Traced as `mailflow trace` does: the provider families and the system's Public Suffix List.
  let suffixes = (try? String(contentsOfFile: PublicSuffixList.systemPath, encoding: .utf8)).flatMap {
    try? PublicSuffixList($0)
  }
  let organisations = Organisations(providers: try BuiltinKnowledge.load().providers, suffixes: suffixes)
  let journey = TraceJourney.make(
    try TraceAnalyzer.analyze(header, organisations: organisations), name: "gmail.eml")
  return [
    Scene(
      name: "explorer", title: "mailflow: the hops of an e-mail's journey and how each can be protected",
      width: 100, height: 30, setup: [], keys: ""),
    Scene(
      name: "journey-observer",
      title: "mailflow: the downgrade attack, step 3, as an on-path observer sees the relay", width: 100,
      height: 36, setup: [], keys: "Jccnno"),
    Scene(
      name: "probe",
      title: "mailflow: a probed domain (the interoperability lab's daneok.example), relay hop",
      width: 120, height: 40, setup: [.reportOpened(report, file: reportPath)], keys: "3\n"),
    Scene(
      name: "trace", title: "mailflow: the journey a real message took, read from its Received fields",
      width: 100, height: 36, setup: [.messageLoaded(.success(journey))], keys: "n"),
  ]
}

func svg(_ scene: Scene, knowledge: KnowledgeBase) -> String {
  var store = ExplorerStore(
    ExplorerState(knowledge: knowledge, width: scene.width, height: scene.height, ascii: false))
  for action in scene.setup + typed(scene.keys) { store.send(action) }
  return SVGScreenshot.render(store.render().buffer, title: scene.title)
}

var arguments = Array(CommandLine.arguments.dropFirst())
let check = arguments.first == "--check"
if check { arguments.removeFirst() }
guard arguments.count == 1 else {
  FileHandle.standardError.write(Data("usage: mailflow-screenshots [--check] DIR\n".utf8))
  exit(2)
}
let directory = URL(fileURLWithPath: arguments[0])
do {
  let knowledge = try BuiltinKnowledge.load()
  var stale: [String] = []
  for scene in try scenes() {
    let file = directory.appendingPathComponent("\(scene.name).svg")
    let picture = svg(scene, knowledge: knowledge)
    if check {
      if (try? String(contentsOf: file, encoding: .utf8)) != picture { stale.append(file.path) }
    } else {
      try Data(picture.utf8).write(to: file, options: .atomic)
      print(file.path)
    }
  }
  if !stale.isEmpty {
    FileHandle.standardError.write(
      Data("out of date (run 'make screenshots'): \(stale.joined(separator: ", "))\n".utf8))
    exit(1)
  }
} catch {
  FileHandle.standardError.write(Data("mailflow-screenshots: \(error)\n".utf8))
  exit(2)
}
