import Foundation
import MailFlowTestSupport
import Testing

@testable import MailFlowDNS

@Suite("DNS with DNSSEC (libunbound, hermetic)", .serialized)
struct DNSResolverTests {
  @Test func secureMXInPreferenceOrderWithAddresses() async throws {
    let resolver = try fixtureResolver()
    let mx = await resolver.query("dane.example", .mx)
    #expect(mx.status == .secure)
    #expect(
      Set(mx.records) == [
        .mx(preference: 10, exchange: "mx.dane.example."), .mx(preference: 20, exchange: "mx2.dane.example."),
      ])
    let a = await resolver.query("mx.dane.example.", .a)
    #expect(a.status == .secure)
    #expect(a.records == [.a("127.0.0.1")])
    let aaaa = await resolver.query("mx.dane.example.", .aaaa)
    #expect(aaaa.records == [.aaaa("::1")])
  }

  @Test func tlsaRecordsDecode() async throws {
    let resolver = try fixtureResolver()
    let answer = await resolver.query("_25._tcp.mx.dane.example.", .tlsa)
    #expect(answer.status == .secure)
    guard case .tlsa(let usage, let selector, let matching, let data)? = answer.records.first else {
      Issue.record("no TLSA record: \(answer)")
      return
    }
    #expect((usage, selector, matching) == (3, 1, 1))
    #expect(data.count == 32)
    #expect(data.first == 0x8f)
  }

  @Test func nullMXAndSecureDenials() async throws {
    let resolver = try fixtureResolver()
    let nullMX = await resolver.query("nullmx.example.", .mx)
    #expect(nullMX.records == [.mx(preference: 0, exchange: ".")])
    let nodata = await resolver.query("implicit.example.", .mx)
    #expect(nodata.status == .nodata)
    #expect(nodata.authenticated)
    let nxdomain = await resolver.query("missing.example.", .a)
    #expect(nxdomain.status == .nxdomain)
    #expect(nxdomain.authenticated)
  }

  @Test func cnamesAreFollowedAndReported() async throws {
    let resolver = try fixtureResolver()
    let answer = await resolver.query("alias.example.", .a)
    #expect(answer.status == .secure)
    #expect(answer.canonicalName == "mx.dane.example.")
    #expect(answer.records == [.a("127.0.0.1")])
  }

  @Test func txtAndSRV() async throws {
    let resolver = try fixtureResolver()
    let txt = await resolver.query("_mta-sts.dane.example.", .txt)
    #expect(txt.records == [.txt(["v=STSv1; id=20261129T000000"])])
    let srv = await resolver.query("_submissions._tcp.dane.example.", .srv)
    #expect(srv.records == [.srv(priority: 0, weight: 1, port: 465, target: "smtp.dane.example.")])
    let notOffered = await resolver.query("_imap._tcp.dane.example.", .srv)
    #expect(notOffered.records == [.srv(priority: 0, weight: 0, port: 0, target: ".")])
  }

  @Test func unsignedZoneIsInsecure() async throws {
    let resolver = try fixtureResolver()
    let answer = await resolver.query("example.org.", .mx)
    #expect(answer.status == .insecure)
    #expect(answer.records == [.mx(preference: 10, exchange: "mx.example.org.")])
  }

  @Test func tamperedSignatureIsBogusWithAReason() async throws {
    let resolver = try fixtureResolver()
    let answer = await resolver.query("broken.", .mx)
    #expect(answer.status == .bogus)
    #expect(answer.reason?.isEmpty == false)
    #expect(!answer.hasData)
  }

  @Test func manyLookupsInParallel() async throws {
    let resolver = try fixtureResolver()
    let names = ["dane.example.", "nullmx.example.", "example.org.", "broken.", "missing.example."]
    let statuses = await withTaskGroup(of: (String, DNSAnswer.Status).self) { group in
      for name in names { group.addTask { (name, await resolver.query(name, .mx).status) } }
      var result: [String: DNSAnswer.Status] = [:]
      for await (name, status) in group { result[name] = status }
      return result
    }
    #expect(
      statuses == [
        "dane.example.": .secure, "nullmx.example.": .secure, "example.org.": .insecure, "broken.": .bogus,
        "missing.example.": .nxdomain,
      ])
  }

  /// An answered lookup is let go when its answer comes, not kept until its deadline: a scan starts
  /// thousands a second, and holding each for the whole deadline grew its memory by tens of megabytes.
  @Test func answeredLookupsAreLetGoAtOnce() async throws {
    let resolver = try fixtureResolver()
    let answers = await withTaskGroup(of: DNSAnswer.Status.self) { group in
      for index in 0..<200 { group.addTask { await resolver.query("n\(index).example.org.", .a).status } }
      return await group.reduce(into: [DNSAnswer.Status]()) { $0.append($1) }
    }
    #expect(answers.count == 200 && !answers.contains(.timeout))
    #expect(await resolver.lookupsHeld() == 0)
  }

  @Test func anUnreachableForwarderTimesOutAtTheLookupsDeadline() async throws {
    let resolver = try Self.nothingListening(timeout: .milliseconds(600))
    let clock = ContinuousClock()
    let start = clock.now
    let answer = await resolver.query("dane.example.", .mx)
    let elapsed = clock.now - start
    #expect(answer.status == .timeout || answer.status == .servfail)
    #expect(elapsed < .seconds(3))
  }

  /// A resolver forwarding to a port where nothing listens (no lookup is ever answered).
  static func nothingListening(timeout: Duration) throws -> DNSResolver {
    var configuration = DNSResolver.Configuration()
    configuration.forwarders = [ResolverAddress(address: "127.0.0.1", port: 9)]
    configuration.useRootAnchor = false
    configuration.timeout = timeout
    return try DNSResolver(configuration)
  }

  /// A resolver that has never answered and lets a lookup reach its deadline is not there: every later
  /// lookup fails at once with that reason, instead of each waiting out its own deadline.
  @Test func aSilentResolverFailsFastAndSaysSo() async throws {
    let resolver = try Self.nothingListening(timeout: .milliseconds(600))
    // One lost answer is not a silent resolver: later lookups still go out and wait.
    let first = await resolver.query("dane.example.", .mx)
    #expect(first.status == .timeout || first.status == .servfail)
    // Three lookups at once (as a probe sends them) that all time out: now it is.
    let clock = ContinuousClock()
    let waited = clock.now
    async let a = resolver.query("x1.example.", .a)
    async let b = resolver.query("x2.example.", .a)
    _ = await (a, b)
    #expect(clock.now - waited >= .milliseconds(500))  // these still went out and waited
    let start = clock.now
    for name in ["a.example.", "b.example.", "c.example.", "d.example.", "e.example."] {
      let answer = await resolver.query(name, .a)
      #expect(answer.status == .timeout)
      #expect(answer.reason?.hasPrefix("the resolver 127.0.0.1@9 did not answer within") == true, "\(answer)")
    }
    // Waiting out each deadline would take 5 × 600 ms = 3 s; failing fast takes a fraction of one
    // deadline even on a loaded machine (tests run in parallel on two cores).
    #expect(clock.now - start < .milliseconds(1500))
  }

  /// A cancelled lookup (a probe the user cancelled) ends at once, not at its deadline.
  @Test func cancellationEndsALookupAtOnce() async throws {
    let resolver = try Self.nothingListening(timeout: .seconds(10))
    let clock = ContinuousClock()
    let start = clock.now
    let task = Task { await resolver.query("slow.example.", .mx) }
    try await Task.sleep(for: .milliseconds(100))
    task.cancel()
    let answer = await task.value
    #expect(answer.status == .timeout)
    #expect(answer.reason == "cancelled")
    #expect(clock.now - start < .seconds(2))
    // Cancelled before it even started: answered too, never left waiting.
    let early = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return await resolver.query("early.example.", .a)
    }
    #expect(await early.value.reason == "cancelled")
  }

  @Test func badConfigurationIsASetupError() {
    var configuration = DNSResolver.Configuration()
    configuration.useRootAnchor = false
    configuration.trustAnchorFiles = ["/nonexistent/anchor.ds"]
    #expect(throws: DNSResolver.SetupError.self) { try DNSResolver(configuration) }
  }
}

@Suite("Forwarders that strip DNSSEC")
struct RecursionFallbackTests {
  @Test(arguments: [
    (DNSAnswer.Status.secure, false), (.insecure, true), (.bogus, true), (.timeout, false),
    (.servfail, false),
  ])
  func decidesFromTheRootKeys(status: DNSAnswer.Status, fallBack: Bool) {
    #expect(
      DNSResolver.forwardersStripDNSSEC(DNSAnswer(name: ".", type: .dnskey, status: status)) == fallBack)
  }

  @Test func theRootKeysOfAValidatingSetupAreSecure() async throws {
    // The fixture anchors stand in for the root: the zone apex keys come back secure.
    let answer = await (try fixtureResolver()).query("example.", .dnskey)
    #expect(answer.status == .secure)
    #expect(!DNSResolver.forwardersStripDNSSEC(answer))
  }
}
