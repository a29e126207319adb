import MailFlowModel
import MailFlowReport

/// A probe report as the engine would produce it for `example.net`: submission on 587 with STARTTLS,
/// the relay protected by MTA-STS, retrieval over cleartext IMAP (the weakest hop).
public func sampleReport(domain: String = "example.net") -> ProbeReport {
  let tls = ProbeReport.TLS(
    version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", pkixValid: true, nameMatch: true,
    notAfter: "2027-01-01T00:00:00Z", subject: "CN=mx.\(domain)", issuer: "CN=Test CA")
  func endpoint(
    _ host: String, _ port: Int, _ service: Service, source: String, rating: Rating, tls: ProbeReport.TLS?,
    transcript: [ProbeTranscriptLine]
  ) -> ProbeReport.Endpoint {
    ProbeReport.Endpoint(
      host: host + ".", address: "192.0.2.\(port % 200)", port: port, service: service,
      sources: source.split(separator: ",").compactMap { DiscoverySource(legacyText: String($0)) },
      reachable: true, starttls: tls != nil, extensions: ["PIPELINING", "STARTTLS"], extensionsAfterTLS: [],
      authBeforeTLS: [], tls: tls, dane: .init(status: .none, tlsa: []), rating: rating, error: nil,
      transcript: transcript)
  }
  let smtpDialogue: [ProbeTranscriptLine] = [
    .init(.server, "220 mx.\(domain) ESMTP"), .init(.client, "EHLO mailflow.invalid"),
    .init(.server, "250-mx.\(domain)"), .init(.server, "250 STARTTLS"), .init(.client, "STARTTLS"),
    .init(.server, "220 go ahead"), .init(.tls, "TLS established"), .init(.client, "EHLO mailflow.invalid"),
    .init(.server, "250 mx.\(domain)"), .init(.client, "QUIT"),
  ]
  let submission = ProbeReport.Hop(
    id: .submission, rating: .weak,
    summary: "smtp.\(domain):587 with STARTTLS, which an on-path attacker can strip",
    endpoints: [
      endpoint(
        "smtp.\(domain)", 587, .submission, source: "SRV _submission._tcp", rating: .weak, tls: tls,
        transcript: smtpDialogue)
    ])
  let relay = ProbeReport.Hop(
    id: .relay, rating: .secure,
    summary:
      "every MX offers STARTTLS with a PKIX-valid certificate and matches the MTA-STS policy in enforce mode",
    endpoints: [
      endpoint("mx.\(domain)", 25, .smtp, source: "MX", rating: .weak, tls: tls, transcript: smtpDialogue)
    ],
    mtaSts: .init(
      txt: "v=STSv1; id=1", id: "1", policyURL: "https://mta-sts.\(domain)/.well-known/mta-sts.txt",
      policy: "version: STSv1", mode: .enforce, mxPatterns: ["mx.\(domain)"], maxAge: 86400,
      mxMatches: [.init(host: "mx.\(domain)", matchesPattern: true, validCertificate: true, satisfied: true)]),
    tlsRpt: .init(txt: "v=TLSRPTv1; rua=mailto:r@\(domain)", rua: ["mailto:r@\(domain)"]))
  let retrieval = ProbeReport.Hop(
    id: .retrieval, rating: .insecure,
    summary:
      "imap.\(domain):143 without working TLS; LOGIN offered in cleartext: passwords would cross in clear",
    endpoints: [
      endpoint(
        "imap.\(domain)", 143, .imap, source: "guess", rating: .insecure, tls: nil,
        transcript: [.init(.server, "* OK ready"), .init(.client, "a1 CAPABILITY"), .init(.server, "a1 OK")])
    ])
  let hops = [
    submission,
    ProbeReport.Hop(
      id: .outbound, rating: .internal, summary: "inside the sender's own system", endpoints: []),
    relay,
    ProbeReport.Hop(
      id: .delivery, rating: .internal, summary: "inside the recipient's own system", endpoints: []),
    retrieval,
  ]
  return ProbeReport(
    domain: domain, startedAt: "2026-11-29T03:00:00Z", durationMs: 1234,
    overall: .init(rating: .insecure, limitedBy: .retrieval), hops: hops,
    dns: [
      .init(
        name: "\(domain).", type: "MX", status: .secure, authenticated: true, records: ["10 mx.\(domain)."]),
      .init(name: "mx.\(domain).", type: "A", status: .secure, authenticated: true, records: ["192.0.2.25"]),
    ])
}
