import Foundation
import MailFlowAssets
import MailFlowDNS
import MailFlowExplorer
import MailFlowProbe
import MailFlowTestSupport
import TerminalUI
import Testing

@testable import MailFlowCLI

/// A terminal whose user types a script, a key every few milliseconds, and that records when each
/// frame was drawn.
final class PacedTerminal: TerminalBackend, @unchecked Sendable {
  var size: (width: Int, height: Int) = (100, 30)
  let glyphsSupported = true
  var script: [KeyEvent]
  var keysSent: [(key: KeyEvent, at: ContinuousClock.Instant)] = []
  var frames: [(at: ContinuousClock.Instant, text: String)] = []
  /// Called between keys: the test decides when the user has seen enough.
  var done: ([(at: ContinuousClock.Instant, text: String)]) -> Bool = { _ in false }
  let clock = ContinuousClock()

  init(_ script: [KeyEvent]) { self.script = script }

  func draw(_ buffer: ScreenBuffer) { frames.append((clock.now, buffer.lines.joined(separator: "\n"))) }

  func nextEvent(timeoutMilliseconds: Int) -> KeyEvent? {
    if timeoutMilliseconds == 0 { return nil }  // nothing typed ahead
    Thread.sleep(forTimeInterval: 0.01)
    if done(frames) { return .character("q") }
    let key = script.isEmpty ? KeyEvent.down : script.removeFirst()
    keysSent.append((key, clock.now))
    return key
  }
}

@Suite("Effects run off the explorer's loop", .serialized)
struct EffectRunnerTests {
  @Test func keysAreAnsweredWhileAHugeMessageLoads() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("huge.eml").path
    try hugeMessage().write(toFile: path, atomically: true, encoding: .utf8)

    let probes = ExplorerProbeRunner(
      resolver: nil, configuration: DNSResolver.Configuration(), probeOptions: DomainProbe.Options())
    let effects = ExplorerEffectRunner(
      probes: probes, historyFile: directory.appendingPathComponent("history"))
    let terminal = PacedTerminal([.character("m")] + path.map { .character($0) } + [.enter])
    terminal.done = { frames in frames.last?.text.contains("Message: huge") == true }
    var state = ExplorerState(knowledge: try BuiltinKnowledge.load(), width: 0, height: 0, ascii: false)
    let clock = ContinuousClock()
    let start = clock.now
    _ = ExplorerLoop.run(
      &state, terminal: terminal, inbox: effects.drain, clock: { clock.now - start },
      perform: { effect in
        effects.perform(effect)
        return nil
      })
    #expect(state.journey?.name == "Message: huge")
    // After Enter, every key was followed by a frame within 100 ms while the message loaded.
    let enter = try #require(terminal.keysSent.lastIndex { $0.key == .enter })
    let loaded = try #require(terminal.frames.first { $0.text.contains("Message: huge") }).at
    // Keys typed after Enter and before the message appeared: on a blocked loop there are none.
    let whileLoading = terminal.keysSent[(enter + 1)...].filter { $0.at < loaded }
    #expect(whileLoading.count > 3, "the message loaded before any key could be tried")
    for key in whileLoading {
      let frame = terminal.frames.first { $0.at >= key.at }
      #expect(frame.map { $0.at - key.at < .milliseconds(100) } == true)
    }
  }
}
