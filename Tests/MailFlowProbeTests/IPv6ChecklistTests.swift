import MailFlowModel
import MailFlowReport
import Testing

/// IPv6 in the checklist: MX hosts by their probed IPv6 endpoints, client endpoints by their AAAA
/// addresses and a TCP connection — reachable, not answering, or not testable from this machine.
@Suite("IPv6 checklist lines")
struct IPv6ChecklistTests {
  static func report(
    relay: [ProbeReport.Endpoint], submission: [ProbeReport.Endpoint] = [], aaaa: Bool = true,
    aaaaRecords: [String]? = nil, aaaaStatus: DNSStatus? = nil
  )
    -> ProbeReport
  {
    let records = aaaaRecords ?? relay.map(\.address).filter { $0.contains(":") }
    let lookup = ProbeReport.Lookup(
      name: "mx.example.net.", type: "AAAA", status: aaaaStatus ?? (records.isEmpty ? .nodata : .insecure),
      authenticated: false, records: records)
    let hops = [
      ProbeReport.Hop(id: .submission, rating: .weak, summary: "", endpoints: submission),
      FixAdvisorTests.relay(relay, lookups: aaaa ? [lookup] : []),
    ]
    return ProbeReport(
      domain: "example.net", startedAt: "2026-12-01T10:20:30Z", durationMs: 1,
      overall: .init(rating: .weak, limitedBy: .relay), hops: hops, autoconfig: nil, dns: [])
  }

  static func mx(_ address: String, reachable: Bool, error: String? = nil) -> ProbeReport.Endpoint {
    var endpoint = FixAdvisorTests.mx()
    endpoint.address = address
    endpoint.reachable = reachable
    endpoint.error = error
    return endpoint
  }

  func ipv6(_ report: ProbeReport, _ id: String) -> Check? {
    Checklist.checks(report).first { $0.id == id }
  }

  @Test func anMXReachableOverIPv6Passes() throws {
    let report = Self.report(relay: [
      Self.mx("192.0.2.25", reachable: true), Self.mx("2001:db8::25", reachable: true),
    ])
    let check = try #require(ipv6(report, "ipv6.mx.example.net"))
    #expect(check.status == .pass)
    #expect(check.detail == "reachable over IPv6 (2001:db8::25)")
  }

  /// Senders with IPv6 try it first: an address that refuses is the server's problem…
  @Test func anIPv6AddressThatRefusesWarns() throws {
    let report = Self.report(relay: [
      Self.mx("192.0.2.25", reachable: true),
      Self.mx(
        "2001:db8::25", reachable: false, error: "cannot connect to 2001:db8::25 port 25: connection refused"),
    ])
    #expect(ipv6(report, "ipv6.mx.example.net")?.status == .warn)
  }

  /// …but no IPv6 route from here is this machine's, and the line says so instead of blaming the server.
  @Test func noIPv6RouteFromHereIsUnknownWithTheReason() throws {
    let report = Self.report(relay: [
      Self.mx("192.0.2.25", reachable: true),
      Self.mx(
        "2001:db8::25", reachable: false, error: "cannot connect to 2001:db8::25 port 25: network unreachable"
      ),
    ])
    let check = try #require(ipv6(report, "ipv6.mx.example.net"))
    #expect(check.status == .unknown)
    #expect(check.detail.hasPrefix("has IPv6 (2001:db8::25), not testable from here: "))
  }

  @Test func withoutAAAAOrWithout6TheLineSaysWhich() throws {
    #expect(
      ipv6(Self.report(relay: [Self.mx("192.0.2.25", reachable: true)]), "ipv6.mx.example.net")?.detail
        == "no AAAA record")
    #expect(
      ipv6(Self.report(relay: [Self.mx("192.0.2.25", reachable: true)], aaaa: false), "ipv6.mx.example.net")?
        .status
        == .unknown)
  }

  @Test func clientEndpointsCarryTheirOwnCheck() throws {
    var submission = FixAdvisorTests.mx()
    submission.host = "smtp.example.net."
    submission.port = 587
    submission.service = .submission
    submission.ipv6 = IPv6Check(
      addresses: ["2001:db8::587"], reachable: false, reason: "2001:db8::587 port 587: connection refused")
    var report = Self.report(relay: [Self.mx("192.0.2.25", reachable: true)], submission: [submission])
    #expect(ipv6(report, "ipv6.smtp.example.net:587")?.status == .warn)
    report.hops[0].endpoints[0].ipv6 = IPv6Check(addresses: ["2001:db8::587"], reachable: true)
    #expect(ipv6(report, "ipv6.smtp.example.net:587")?.status == .pass)
    report.hops[0].endpoints[0].ipv6 = IPv6Check(addresses: [], reachable: nil)
    #expect(ipv6(report, "ipv6.smtp.example.net:587")?.status == .info)
  }

  /// An AAAA record the probe did not try (the per-host address cap), or a lookup that failed, is not
  /// "no AAAA record".
  @Test func untriedOrUnansweredAAAAIsUnknownNotAbsent() throws {
    let capped = Self.report(relay: [Self.mx("192.0.2.25", reachable: true)], aaaaRecords: ["2001:db8::25"])
    #expect(ipv6(capped, "ipv6.mx.example.net")?.status == .unknown)
    #expect(
      ipv6(capped, "ipv6.mx.example.net")?.detail == "has IPv6 (2001:db8::25), not probed (address cap)")
    let timedOut = Self.report(
      relay: [Self.mx("192.0.2.25", reachable: true)], aaaaRecords: [], aaaaStatus: .timeout)
    #expect(ipv6(timedOut, "ipv6.mx.example.net")?.detail == "the AAAA lookup did not answer (timeout)")
  }
}
