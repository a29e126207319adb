import Foundation
import MailFlowModel
import MailFlowReport
import MailFlowTestSupport
import Testing

@testable import MailFlowExplorer

@Suite("A probed domain's journey")
struct ProbeJourneyTests {
  static func endpoint(_ host: String, service: Service, rating: Rating, tls: Bool) -> ProbeReport.Endpoint {
    ProbeReport.Endpoint(
      host: host, address: "192.0.2.1", port: 25, service: service, sources: [.mx], reachable: true,
      starttls: tls, extensions: [], extensionsAfterTLS: [],
      tls: tls ? ProbeReport.TLS(version: "TLSv1.3", pkixValid: true, nameMatch: true) : nil,
      dane: .init(status: .none, tlsa: []), rating: rating,
      transcript: [.init(.server, "220 \(host) ESMTP")])
  }

  @Test func eachRelayStepSpeaksOfItsOwnMX() {
    var report = sampleReport()
    report.hops[2].rating = .insecure
    report.hops[2].summary =
      "mx2.example.net [192.0.2.1] does not offer STARTTLS: mail to it crosses in cleartext"
    report.hops[2].endpoints = [
      Self.endpoint("mx1.example.net.", service: .smtp, rating: .weak, tls: true),
      Self.endpoint("mx2.example.net.", service: .smtp, rating: .insecure, tls: false),
    ]
    let steps = ProbeJourney.make(report).steps.filter { $0.hopID == "relay" }
    #expect(steps.count == 2)
    #expect(!steps[0].narrative.contains("mx2"), "\(steps[0].narrative)")
    #expect(steps[0].narrative.contains("mx1.example.net offers STARTTLS"))
    #expect(steps[0].narrative.hasPrefix("Found through MX."), "\(steps[0].narrative)")
    #expect(steps[0].narrative.contains("The hop is rated by its weakest MX."))
    // A host name starting a sentence keeps its case.
    #expect(steps[1].narrative.contains(" mx2.example.net has no working STARTTLS"), "\(steps[1].narrative)")
    #expect(!steps[1].narrative.contains("Mx2"))
  }

  @Test func implicitTLSShowsNothingBeforeTLS() {
    var report = sampleReport()
    report.hops[0].endpoints = [
      Self.endpoint("smtp.example.net.", service: .submissions, rating: .secure, tls: true)
    ]
    let step = ProbeJourney.make(report).steps.first { $0.hopID == "submission" }
    #expect(step?.observerNote.hasPrefix("Nothing before TLS") == true, "\(step?.observerNote ?? "")")
    #expect(
      ProbeJourney.sentence("mx.example.net does not offer STARTTLS")
        == "mx.example.net does not offer STARTTLS.")
    #expect(ProbeJourney.sentence("every MX offers STARTTLS") == "Every MX offers STARTTLS.")
  }
}

@Suite("Names and DNS reasons in the explorer")
struct ExplorerNamesTests {
  @Test func punycodeDecodesAndBothFormsAreShown() {
    #expect(Punycode.decode("bcher-kva") == "bücher")
    #expect(Punycode.decode("mnchen-3ya") == "münchen")
    #expect(Punycode.decode("wgv71a119e") == "日本語")
    #expect(Punycode.decode("!!") == nil)
    #expect(Punycode.decode(String(repeating: "z", count: 60)) == nil)
    #expect(Punycode.decode("cz767205604493046e") == nil)  // would overflow past the last code point
    #expect(Punycode.bothForms("xn--bcher-kva.example") == "bücher.example (xn--bcher-kva.example)")
    #expect(Punycode.bothForms("example.net") == "example.net")
    #expect(Punycode.bothForms("xn--!!.example") == "xn--!!.example")
    let endpoint = ProbeReport.Endpoint(
      host: "mx.xn--bcher-kva.example.", address: "192.0.2.1", port: 25, service: .smtp, sources: [.mx],
      reachable: true, extensions: [], extensionsAfterTLS: [], dane: .init(status: .none, tlsa: []),
      rating: .weak, transcript: [])
    #expect(endpoint.heading == "smtp mx.bücher.example (mx.xn--bcher-kva.example) [192.0.2.1]:25  (from MX)")
    for label in ["bücher", "münchen", "日本語", "παράδειγμα"] {
      #expect(Punycode.encode(label).flatMap(Punycode.decode) == label)
    }
  }

  @Test func theHeaderShowsBothFormsAndDetailsShowTheValidatorsReason() {
    var report = sampleReport(domain: "xn--bcher-kva.example")
    report.dns[0].status = .bogus
    report.dns[0].reason = "signature expired from 192.0.2.53 for key example."
    var state = explorer(width: 140, height: 60, [.tick(.seconds(1))])
    _ = run(&state, [.key(.character("p"))] + typing("xn--bcher-kva.example") + [.key(.enter)])
    _ = run(
      &state,
      [
        .probeStarted(generation: 1, domain: "xn--bcher-kva.example"), .probeFinished(generation: 1, report),
        .key(.character("3")), .key(.enter),
      ])
    let text = ExplorerRenderer.render(state).buffer.lines.joined(separator: "\n")
    #expect(text.contains("mailflow · bücher.example (xn--bcher-kva.example)"), "\(text)")
    #expect(text.contains("(signature expired from 192.0.2.53 for key example.)"), "\(text)")
  }
}

@Suite("Reports of schema version 1")
struct VersionOneReportTests {
  /// A version-1 endpoint: `source` as text, no `lookups`, no `startTLSInjection`.
  static let endpoint = #"""
    { "host": "imap.example.", "address": "192.0.2.1", "port": 993, "service": "imaps",
      "source": "SRV _imaps._tcp, autoconfig", "reachable": true, "starttls": null, "extensions": [],
      "extensionsAfterTLS": [], "authBeforeTLS": [], "loginDisabled": null, "tls": null,
      "dane": { "status": "none", "tlsa": [] }, "rating": "unknown", "error": null, "transcript": [] }
    """#

  @Test func sourcesAreReadFromTheOldText() throws {
    let endpoint = try JSONDecoder().decode(ProbeReport.Endpoint.self, from: Data(Self.endpoint.utf8))
    #expect(endpoint.sources == [.srv, .autoconfig])
    #expect(endpoint.sourceText == "SRV _imaps._tcp, autoconfig")
    #expect(endpoint.lookups == nil)
    #expect(endpoint.startTLSInjection == nil)
    // Written back in today's shape: `sources` as values, every key present.
    let written = String(decoding: try JSONEncoder().encode(endpoint), as: UTF8.self)
    #expect(written.contains(#""sources":["srv","autoconfig"]"#), "\(written)")
    #expect(written.contains(#""lookups":null"#))
    #expect(!written.contains(#""source":"#))
    // Whether a TLSA record was compared is a field now, not read out of its reason.
    #expect(
      ProbeReport.TLSARecordReport(record: "3 1 1 ab", matched: false, reason: "no session", compared: false)
        .summary
        == "3 1 1 ab (no session)")
    #expect(
      ProbeReport.TLSARecordReport(record: "3 1 1 ab", matched: false, reason: "not compared: x").summary
        == "3 1 1 ab does not match: not compared: x")
    var legacy = ProbeReport.TLSARecordReport(record: "3 1 1 ab", matched: false, reason: "not compared: x")
    legacy.compared = nil  // as read from a version-1 report
    #expect(legacy.summary == "3 1 1 ab (not compared: x)")
    #expect(DiscoverySource(legacyText: "implicit MX (no MX records)") == .implicitMX)
    #expect(DiscoverySource(legacyText: "something else") == nil)
  }
}
