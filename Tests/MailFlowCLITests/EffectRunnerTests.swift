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
    // A test whose user never sees what it waits for ends (and fails) instead of typing forever.
    if keysSent.count > 3000 { return keysSent.count.isMultiple(of: 2) ? .control("c") : .character("q") }
    let key = script.isEmpty ? KeyEvent.down : script.removeFirst()
    keysSent.append((key, clock.now))
    return key
  }
}

/// Runs the explorer's loop with the real effect runner on a thread of its own, as `mailflow explore`
/// runs it on the main thread: a loop that blocks one of the few threads of Swift's cooperative pool
/// (two on this machine) would starve the very tasks — probes, message loads — whose answers it awaits.
func runExplorer(_ terminal: PacedTerminal, _ effects: ExplorerEffectRunner) async -> ExplorerState {
  let initial = ExplorerState(knowledge: try! BuiltinKnowledge.load(), width: 0, height: 0, ascii: false)
  return await withCheckedContinuation { continuation in
    let thread = Thread {
      var state = initial
      let clock = ContinuousClock()
      let start = clock.now
      _ = ExplorerLoop.run(
        &state, terminal: terminal, inbox: effects.drain, clock: { clock.now - start },
        perform: effects.perform)
      continuation.resume(returning: state)
    }
    // The main thread's stack (a new thread's default is far smaller, too small for a debug build).
    thread.stackSize = 8 << 20
    thread.start()
  }
}

@Suite("Effects run off the explorer's loop", .serialized)
struct EffectRunnerTests {
  @Test func keysAreAnsweredWhileAHugeMessageLoads() async throws {
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
    let state = await runExplorer(terminal, effects)
    #expect(state.journey?.name == "Message: huge")
    // After Enter, every key was followed by a frame within 100 ms while the message loaded.
    let enter = try #require(terminal.keysSent.lastIndex { $0.key == .enter })
    let loaded = try #require(terminal.frames.first { $0.text.contains("Message: huge") }).at
    // Keys typed after Enter and before the message appeared: on a blocked loop there are none.
    let whileLoading = terminal.keysSent[(enter + 1)...].filter { $0.at < loaded }
    #expect(whileLoading.count > 3, "the message loaded before any key could be tried")
    for (index, key) in whileLoading.enumerated() {
      let frame = terminal.frames.first { $0.at >= key.at }
      #expect(
        frame.map { $0.at - key.at < .milliseconds(100) } == true,
        "key \(index + 1) of \(whileLoading.count) typed while loading: frame after \(frame.map { $0.at - key.at } ?? .zero), loaded frame: \(frame?.at == loaded)"
      )
    }
  }
}

@Suite("Cancelling a probe whose resolver never answers", .serialized)
struct SilentResolverCancelTests {
  @Test func escReturnsToTheKnowledgeViewAndReleasesTheProbeAtOnce() async throws {
    // Nothing listens on port 9: every lookup would wait its full 300 s deadline.
    var configuration = DNSResolver.Configuration()
    configuration.forwarders = [ResolverAddress(address: "127.0.0.1", port: 9)]
    configuration.useRootAnchor = false
    configuration.timeout = .seconds(300)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let probes = ExplorerProbeRunner(
      resolver: nil, configuration: configuration, probeOptions: DomainProbe.Options())
    let effects = ExplorerEffectRunner(
      probes: probes, historyFile: directory.appendingPathComponent("history"))
    // 300 ms of a running probe (z is no key).
    let waiting = Array(repeating: KeyEvent.character("z"), count: 30)
    let terminal = PacedTerminal(
      [.character("p")] + "silent.example".map { .character($0) } + [.enter] + waiting + [.escape])
    terminal.done = { frames in frames.last?.text.contains("probe of silent.example cancelled") == true }
    let state = await runExplorer(terminal, effects)
    effects.finishWrites()
    #expect(state.probe?.phase == .cancelled)
    let escape = try #require(terminal.keysSent.last { $0.key == .escape }).at
    let back = try #require(terminal.frames.first { $0.at >= escape && $0.text.contains("cancelled") }).at
    #expect(back - escape < .milliseconds(200), "the knowledge view came back \(back - escape) after Esc")
    // The probe's task let go of its lookups: it ended, long before any lookup's deadline. (Within a
    // minute rather than milliseconds: tests running beside this one — subprocesses and tmux sessions
    // waited for synchronously — may hold the two threads of Swift's cooperative pool on which the
    // probe's tasks must run to see the cancellation for tens of seconds; alone it ends in well under
    // a second. Without the cancellation it would end at the 300 s deadline.)
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(90)
    while probes.lastProbeEnded.withLock({ $0 }) == nil && clock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
    let ended = try #require(probes.lastProbeEnded.withLock { $0 }, "the cancelled probe is still running")
    #expect(ended - escape < .seconds(90), "the probe ended \(ended - escape) after Esc")
  }
}
