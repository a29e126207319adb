import MailFlowModel
import MailFlowTestSupport
import MailFlowTrace
import TerminalUI
import Testing

@testable import MailFlowExplorer

/// The mailbox list (`explore --mailbox`): filled while loading, domains then messages then a journey,
/// ordered and filtered, and its screen.
@Suite("Mailbox in the explorer")
struct MailboxExplorerTests {
  /// A message from `from` with one relay hop, in TLS or in cleartext.
  static func report(from: String, id: String, tls: Bool, day: Int = 29) throws -> TraceReport {
    let with = tls ? "ESMTPS id 1 (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)" : "ESMTP id 1"
    let text = """
      Received: from mx.\(from) (mx.\(from) [192.0.2.\(day)]) by mx.example.net with \(with); \(day) Nov 2026 10:00:05 +0000
      From: Someone <someone@\(from)>
      Message-ID: <\(id)>
      Date: \(day) Nov 2026 10:00:00 +0000


      """
    return try TraceAnalyzer.analyze(try HeaderSection.parse(Array(text.utf8)))
  }

  static func loaded() throws -> ExplorerState {
    var state = explorer(width: 100, height: 30)
    state.mailbox = MailboxBrowser(path: "/mail/inbox.mbox")
    state.overlay = .mailbox
    let reports = [
      (try report(from: "example.org", id: "a1", tls: true), 0),
      (try report(from: "example.org", id: "a2", tls: true, day: 28), 900),
      (try report(from: "example.org", id: "a3", tls: false, day: 27), 1800),
      (try report(from: "plain.example", id: "b1", tls: false), 2700),
    ]
    var summary = MailboxSummary()
    var entries: [MailboxBrowser.Entry] = []
    for (report, offset) in reports {
      summary.add(report, source: "inbox@\(offset)")
      entries.append(MailboxBrowser.Entry(report, file: "/mail/inbox.mbox", offset: offset))
    }
    _ = run(
      &state,
      [
        .mailboxProgress(Array(entries.prefix(2)), summary),
        .mailboxProgress(Array(entries.dropFirst(2)), summary),
      ])
    return state
  }

  @Test func domainsThenMessagesThenAJourney() throws {
    var state = try Self.loaded()
    let rows = try #require(state.mailbox?.domainRows)
    #expect(rows.map(\.domain) == ["example.org", "plain.example"])
    #expect(rows.map(\.messages) == [3, 1])
    #expect(rows.map(\.cleartextShare) == [33, 100])
    _ = run(&state, [.key(.enter)])
    #expect(state.mailbox?.domain == "example.org")
    #expect(state.mailbox?.messageRows.map(\.messageId) == ["<a1>", "<a2>", "<a3>"])  // newest first
    let effects = run(&state, [.key(.down), .key(.enter)])
    #expect(
      effects == [.openMailboxMessage(file: "/mail/inbox.mbox", offset: 900, request: state.lastRequest)])
    // The journey replaces the list; M brings the list back where it was.
    let journey = TraceJourney.make(
      try Self.report(from: "example.org", id: "a2", tls: true), name: "inbox@900")
    _ = run(&state, [.messageLoaded(.success(journey), request: state.lastRequest)])
    #expect(state.overlay == nil)
    #expect(state.mode == .journey)
    _ = run(&state, [.key(.character("M"))])
    #expect(state.overlay == .mailbox)
    #expect(state.mailbox?.selected == 1)
    _ = run(&state, [.key(.escape)])
    #expect(state.mailbox?.domain == nil)
    _ = run(&state, [.key(.escape)])
    #expect(state.overlay == nil)
  }

  @Test func orderedAndFiltered() throws {
    var state = try Self.loaded()
    _ = run(&state, [.key(.character("s"))])
    #expect(state.mailbox?.sort == .worst)
    #expect(state.mailbox?.domainRows.first?.worst == .insecure)
    _ = run(&state, [.key(.character("s"))])
    #expect(state.mailbox?.domainRows.map(\.domain) == ["plain.example", "example.org"])  // cleartext share
    _ = run(&state, [.key(.character("/"))] + typing("plain") + [.key(.enter)])
    #expect(state.mailbox?.filter == "plain")
    #expect(state.mailbox?.domainRows.map(\.domain) == ["plain.example"])
    _ = run(&state, [.key(.escape)])
    #expect(state.mailbox?.filter == nil)
    #expect(state.overlay == .mailbox)
  }

  @Test func withoutAMailboxMSaysHowToOpenOne() {
    var state = explorer()
    _ = run(&state, [.key(.character("M"))])
    #expect(state.overlay == nil)
    #expect(state.status?.contains("--mailbox") == true)
  }

  @Test func theMailboxScreen() throws {
    var state = try Self.loaded()
    _ = run(&state, [.mailboxFinished(failure: nil)])
    assertSnapshot(ExplorerRenderer.render(state).buffer.snapshot, named: "mailbox-100x30")
    _ = run(&state, [.key(.enter)])
    assertSnapshot(ExplorerRenderer.render(state).buffer.snapshot, named: "mailbox-domain-100x30")
  }

  /// Back from a domain opened in a filtered list, that domain is selected (not the row number it had).
  @Test func backSelectsTheDomainOpenedAndAFailedOpenStaysInTheList() throws {
    var state = try Self.loaded()
    _ = run(&state, [.key(.character("/"))] + typing("plain") + [.key(.enter), .key(.enter)])
    #expect(state.mailbox?.domain == "plain.example")
    _ = run(&state, [.key(.enter)])
    _ = run(&state, [.messageLoaded(.failure(MessageLoadError("gone: renamed")), request: state.lastRequest)])
    #expect(state.overlay == .mailbox)
    #expect(state.status == "gone: renamed")
    #expect(state.prompt == nil)
    _ = run(&state, [.key(.escape)])
    let rows = try #require(state.mailbox?.domainRows)
    #expect(rows[state.mailbox?.selected ?? 0].domain == "plain.example")
  }

  /// The help opened over the list returns to it; closing the list says how to get it back, and the
  /// footer offers M only while there is a list.
  @Test func helpReturnsToTheListAndMIsOffered() throws {
    var state = try Self.loaded()
    _ = run(&state, [.key(.character("?"))])
    #expect(state.overlay == .help)
    _ = run(&state, [.key(.escape)])
    #expect(state.overlay == .mailbox)
    _ = run(&state, [.key(.escape)])
    #expect(state.overlay == nil)
    #expect(state.status == "M brings the mailbox list back")
    #expect(Keymap.standard.hints(for: state).contains { $0.key == "M" })
    #expect(!Keymap.standard.hints(for: explorer()).contains { $0.key == "M" })
  }
}
