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
    let hops = HopID.allCases.map { id in
      id == .relay ? relay : ProbeReport.Hop(id: id, rating: .internal, summary: "not here", endpoints: [])
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
    #expect(rows.count >= 12)
    for row in rows {
      let words = row.kind == .record(matched: false) ? row.label + " " + row.text : row.line
      #expect(cli.contains(words), "CLI lacks: \(words)")
      #expect(screen.contains(words), "explorer lacks: \(words)")
    }
    #expect(cli.contains(relay.endpoints[0].heading))
    #expect(screen.contains(relay.endpoints[0].heading))
  }
}
