import MailFlowTestSupport
import Testing

@testable import MailFlowProbe

/// What a scan adds to a relay probe: a server that says it is busy is asked again once, and a server
/// (address, port, name) is asked once for every domain that uses it.
@Suite("Scan: busy servers and the server cache", .serialized)
struct ScanPolitenessTests {
  func options(cache: SessionCache? = nil, retry: Duration? = nil) -> RelayProbe.Options {
    var options = RelayProbe.Options()
    options.timeout = .seconds(15)
    options.cache = cache
    options.retryBusyAfter = retry
    return options
  }

  @Test func aBusyServerIsAskedAgainOnceAndThenCalledBusy() async throws {
    let server = try await FixtureSMTPServer(.refuse421)
    defer { Task { await server.close() } }
    var relay = options(retry: .milliseconds(50))
    relay.port = server.port
    let result = await RelayProbe.dialogue(
      host: "mx.example", address: "127.0.0.1", options: relay, session: SMTPSession.Options())
    #expect(result.banner?.code == 421)
    #expect(result.error?.contains("answered 421, then 421") == true)
    #expect(result.error?.contains("says nothing about its TLS") == true)
    // Without the scan's patience the first answer stands.
    relay.retryBusyAfter = nil
    let once = await RelayProbe.dialogue(
      host: "mx.example", address: "127.0.0.1", options: relay, session: SMTPSession.Options())
    #expect(once.error?.contains("then 421") != true)
  }

  @Test func aServerIsAskedOncePerAddressPortAndName() async throws {
    let server = try await FixtureSMTPServer(
      .starttls(chain: try RelayProbeTests.leafChain, keyPEM: try RelayProbeTests.keyPEM))
    defer { Task { await server.close() } }
    let cache = SessionCache()
    var relay = options(cache: cache)
    relay.port = server.port
    let first = await RelayProbe.dialogue(
      host: "mx.example", address: "127.0.0.1", options: relay, session: SMTPSession.Options())
    let second = await RelayProbe.dialogue(
      host: "MX.example.", address: "127.0.0.1", options: relay, session: SMTPSession.Options())
    #expect(await cache.hits == 1)
    #expect(first.tls.chain == second.tls.chain)
    _ = await RelayProbe.dialogue(
      host: "mx.other.example", address: "127.0.0.1", options: relay, session: SMTPSession.Options())
    #expect(await cache.hits == 1)  // another name (SNI): its own dialogue
  }

  /// A dialogue that failed (a busy server) is not kept: the next domain asks again.
  @Test func aFailedDialogueIsNotCached() async throws {
    let server = try await FixtureSMTPServer(.refuse421)
    defer { Task { await server.close() } }
    let cache = SessionCache()
    var relay = options(cache: cache)
    relay.port = server.port
    for _ in 0..<2 {
      _ = await RelayProbe.dialogue(
        host: "mx.example", address: "127.0.0.1", options: relay, session: SMTPSession.Options())
    }
    #expect(await cache.hits == 0)
  }

  /// A provider's IMAP server is asked once for every domain that uses it; one that did not answer its
  /// capabilities is asked again.
  @Test func mailboxDialoguesAreCachedToo() async {
    let cache = SessionCache()
    let counter = Counter()
    func dialogue(answered: Bool) async -> MailboxSessionResult {
      await cache.mailbox(
        .imap, host: "imap.provider.example", address: "192.0.2.9", port: 993, implicitTLS: true
      ) {
        await counter.add()
        var result = MailboxSessionResult(
          host: "imap.provider.example", address: "192.0.2.9", port: 993, kind: .imap, implicitTLS: true)
        result.capabilities = answered ? ["IMAP4rev1"] : nil
        return result
      }
    }
    _ = await dialogue(answered: false)
    _ = await dialogue(answered: true)
    _ = await dialogue(answered: true)
    #expect(await counter.value == 2)
    #expect(await cache.hits == 1)
  }

  /// A dialogue that is not kept gives its place back: a server that keeps failing must not push the
  /// servers that answered out of the bounded cache.
  @Test func failuresDoNotCrowdOutKeptDialogues() async {
    let cache = SessionCache()
    func dialogue(_ host: String, answered: Bool) async {
      _ = await cache.mailbox(.imap, host: host, address: "192.0.2.9", port: 993, implicitTLS: true) {
        var result = MailboxSessionResult(
          host: host, address: "192.0.2.9", port: 993, kind: .imap, implicitTLS: true)
        result.capabilities = answered ? ["IMAP4rev1"] : nil
        return result
      }
    }
    await dialogue("imap.kept.example", answered: true)
    for _ in 0..<SessionCache.maximumEntries { await dialogue("imap.busy.example", answered: false) }
    await dialogue("imap.kept.example", answered: true)
    #expect(await cache.hits == 1)
  }
}

actor Counter {
  var value = 0
  func add() { value += 1 }
}
