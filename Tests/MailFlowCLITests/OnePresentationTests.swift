import MailFlowAssets
import MailFlowDNS
import MailFlowModel
import MailFlowReport
import TerminalUI
import Testing

@testable import MailFlowCLI
@testable import MailFlowExplorer

/// The CLI's text output and the explorer's details say the same facts in the same words: both render
/// the report's evidence rows, and this test holds every row against both.
@Suite("One presentation of the evidence")
struct OnePresentationTests {
  static func report() -> ProbeReport {
    let tls = ProbeReport.TLS(
      version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", pkixValid: false, nameMatch: true,
      notAfter: "2027-01-01T00:00:00Z", subject: "CN=mx.example.net", issuer: "CN=Test CA",
      error: "no chain to a trusted root")
    let endpoint = ProbeReport.Endpoint(
      host: "mx.example.net.", address: "192.0.2.25", port: 25, service: .smtp, sources: [.mx],
      reachable: true, starttls: true, extensions: ["PIPELINING", "STARTTLS"], extensionsAfterTLS: [],
      authBeforeTLS: ["PLAIN"], tls: tls,
      dane: .init(
        status: .mismatch, tlsa: [.init(record: "3 1 1 abcd", matched: false, reason: "no match")]),
      rating: .broken, error: "the server closed the connection", transcript: [])
    let relay = ProbeReport.Hop(
      id: .relay, rating: .broken, summary: "DANE fails", endpoints: [endpoint],
      mtaSts: .init(
        txt: "v=STSv1; id=1", id: "1", policyURL: "https://mta-sts.example.net/.well-known/mta-sts.txt",
        policy: "", mode: .enforce, mxPatterns: ["mx.example.net"], maxAge: 86400,
        mxMatches: [
          .init(
            host: "mx.example.net", matchesPattern: true, validCertificate: false, satisfied: false,
            reason: "untrusted")
        ]),
      tlsRpt: .init(txt: "v=TLSRPTv1; rua=mailto:r@example.net", rua: ["mailto:r@example.net"]), lookups: [])
    var spf = AuthenticityReport.SPF()
    spf.record = "v=spf1 mx ~all"
    spf.rating = .weak
    spf.all = "~all"
    spf.lookups = 1
    spf.problems = ["~all: unlisted senders soft-fail (accepted, marked)"]
    var dmarc = AuthenticityReport.DMARC()
    dmarc.record = "v=DMARC1; p=none"
    dmarc.foundAt = "_dmarc.example.net"
    dmarc.rating = .insecure
    dmarc.problems = ["p=none: reports only, forged mail is delivered as usual"]
    var authenticity = AuthenticityReport(spf: spf, dmarc: dmarc)
    var key = AuthenticityReport.DKIM(selector: "s1")
    key.keyType = .rsa
    key.bits = 1024
    key.rating = .weak
    authenticity.dkim = [key]
    var relayWithAuthenticity = relay
    relayWithAuthenticity.authenticity = authenticity
    let hops = HopID.allCases.map { id in
      id == .relay
        ? relayWithAuthenticity
        : ProbeReport.Hop(id: id, rating: .internal, summary: "not here", endpoints: [])
    }
    return ProbeReport(
      domain: "example.net", startedAt: "2026-12-01T00:00:00Z", durationMs: 1,
      overall: .init(rating: .broken, limitedBy: .relay), hops: hops, dns: [])
  }

  @Test func cliAndExplorerShowTheSameRows() throws {
    let report = Self.report()
    let knowledge = try BuiltinKnowledge.load()
    let cli = ProbeFormatter.render(
      report, name: try DomainName("example.net"), knowledge: knowledge, style: .plain, transcript: false)
    var store = ExplorerStore(ExplorerState(knowledge: knowledge, width: 200, height: 80, ascii: false))
    store.send(.reportOpened(report, file: "r.json"))
    store.send(.key(.character("3")))
    store.send(.key(.enter))
    let screen = ExplorerRenderer.render(store.state).buffer.lines.joined(separator: "\n")
    let relay = report.hops[2]
    let rows =
      relay.endpoints.flatMap(\.facts) + (relay.mtaSts?.facts ?? []) + [relay.tlsRpt!.fact]
      + relay.authenticity!.facts
      // The findings of the fixes that fit on a line of the explorer's column (longer ones wrap there).
      + relay.fixes(in: report).flatMap(\.facts).filter {
        $0.kind != .publish && $0.label != "do" && $0.line.count <= 70
      }
    #expect(rows.count >= 20)
    for row in rows {
      let words = row.kind == .record(matched: false) ? row.label + " " + row.text : row.line
      #expect(cli.contains(words), "CLI lacks: \(words)")
      #expect(screen.contains(words), "explorer lacks: \(words)")
    }
    #expect(cli.contains(relay.endpoints[0].heading))
    #expect(screen.contains(relay.endpoints[0].heading))
  }
}

extension ProbeReport.Hop {
  /// The fixes both outputs show for this hop (computed from the evidence: the test report has none).
  func fixes(in report: ProbeReport) -> [Fix] { report.fixes(for: self) }
}
