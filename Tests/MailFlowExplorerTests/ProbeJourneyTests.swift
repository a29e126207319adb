import MailFlowModel
import MailFlowReport
import Testing

@testable import MailFlowExplorer

@Suite("A probed domain's journey")
struct ProbeJourneyTests {
  static func endpoint(_ host: String, service: String, rating: Rating, tls: Bool) -> ProbeReport.Endpoint {
    ProbeReport.Endpoint(
      host: host, address: "192.0.2.1", port: 25, service: service, source: "MX", reachable: true,
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
      Self.endpoint("mx1.example.net.", service: "smtp", rating: .weak, tls: true),
      Self.endpoint("mx2.example.net.", service: "smtp", rating: .insecure, tls: false),
    ]
    let steps = ProbeJourney.make(report).steps.filter { $0.hopID == "relay" }
    #expect(steps.count == 2)
    #expect(!steps[0].narrative.contains("mx2"), "\(steps[0].narrative)")
    #expect(steps[0].narrative.contains("mx1.example.net offers STARTTLS"))
    #expect(steps[0].narrative.contains("The hop is rated by its weakest MX."))
    // A host name starting a sentence keeps its case.
    #expect(steps[1].narrative.contains(" mx2.example.net has no working STARTTLS"), "\(steps[1].narrative)")
    #expect(!steps[1].narrative.contains("Mx2"))
  }

  @Test func implicitTLSShowsNothingBeforeTLS() {
    var report = sampleReport()
    report.hops[0].endpoints = [
      Self.endpoint("smtp.example.net.", service: "submissions", rating: .secure, tls: true)
    ]
    let step = ProbeJourney.make(report).steps.first { $0.hopID == "submission" }
    #expect(step?.observerNote.hasPrefix("Nothing before TLS") == true, "\(step?.observerNote ?? "")")
    #expect(
      ProbeJourney.sentence("mx.example.net does not offer STARTTLS")
        == "mx.example.net does not offer STARTTLS.")
    #expect(ProbeJourney.sentence("every MX offers STARTTLS") == "Every MX offers STARTTLS.")
  }
}
