import MailFlowModel
import MailFlowReport
import Testing

/// Fixes computed from evidence, without a network: each kind from the report that calls for it.
@Suite("How to fix: computed from the evidence")
struct FixAdvisorTests {
  static let leaf = String(repeating: "1a", count: 32)
  static let issuer = String(repeating: "2b", count: 32)

  static func tls(notAfter: String = "2027-06-01T00:00:00Z", nameMatch: Bool = true, pkix: Bool = true)
    -> ProbeReport.TLS
  {
    ProbeReport.TLS(
      version: "TLSv1.3", pkixValid: pkix, nameMatch: nameMatch, notAfter: notAfter,
      subject: "CN=mx.example.net",
      issuer: "CN=CA", leafSPKISHA256: leaf, issuerSPKISHA256: issuer)
  }

  static func mx(
    _ host: String = "mx.example.net.", dane: ProbeReport.DANE = .init(status: .none, tlsa: []),
    tls: ProbeReport.TLS? = tls(), rating: Rating = .weak, transcript: [ProbeTranscriptLine] = []
  ) -> ProbeReport.Endpoint {
    ProbeReport.Endpoint(
      host: host, address: "192.0.2.25", port: 25, service: .smtp, sources: [.mx], reachable: true,
      starttls: tls != nil, extensions: ["STARTTLS"], extensionsAfterTLS: [], authBeforeTLS: [], tls: tls,
      dane: dane, rating: rating, transcript: transcript)
  }

  static func relay(
    _ endpoints: [ProbeReport.Endpoint], sts: ProbeReport.MTASTSReport? = nil,
    rpt: ProbeReport.TLSRPTReport? = nil, lookups: [ProbeReport.Lookup] = []
  ) -> ProbeReport.Hop {
    ProbeReport.Hop(
      id: .relay, rating: .weak, summary: "", endpoints: endpoints, mtaSts: sts, tlsRpt: rpt, lookups: lookups
    )
  }

  func fixes(_ hop: ProbeReport.Hop, warnDays: Int = 21) -> [Fix] {
    FixAdvisor.fixes(for: hop, domain: "example.net", startedAt: "2026-12-01T10:20:30Z", warnDays: warnDays)
  }

  @Test func withoutDANETheRecordsOfTheServedCertificateAreProposed() throws {
    let unsigned = ProbeReport.Lookup(
      name: "mx.example.net.", type: "A", status: .insecure, authenticated: false, records: ["192.0.2.25"])
    let fix = try #require(
      fixes(Self.relay([Self.mx()], lookups: [unsigned])).first { $0.kind == .danePublish })
    #expect(fix.severity == .warning)
    #expect(
      fix.items.map(\.line) == [
        "_25._tcp.mx.example.net. IN TLSA 3 1 1 \(Self.leaf)",
        "_25._tcp.mx.example.net. IN TLSA 2 1 1 \(Self.issuer)",
      ])
    #expect(fix.text.contains("is not DNSSEC-signed"))
  }

  @Test func aMismatchSaysWhichRecordsToReplaceAndByWhat() throws {
    let dane = ProbeReport.DANE(
      status: .mismatch, tlsa: [.init(record: "3 1 1 \(String(repeating: "00", count: 32))", matched: false)])
    let fix = try #require(fixes(Self.relay([Self.mx(dane: dane, rating: .broken)])).first)
    #expect(fix.kind == .daneReplace)
    #expect(fix.severity == .error)
    #expect(fix.text.contains("3 1 1 0000"))
    #expect(fix.items.first?.value == "3 1 1 \(Self.leaf)")
  }

  @Test func aLoneEndEntityRecordAsksForItsRolloverPartner() throws {
    let dane = ProbeReport.DANE(status: .valid, tlsa: [.init(record: "3 1 1 \(Self.leaf)", matched: true)])
    let fix = try #require(
      fixes(Self.relay([Self.mx(dane: dane, rating: .secure)])).first { $0.kind == .daneRollover })
    #expect(fix.items.map(\.value) == ["2 1 1 \(Self.issuer)"])
    let paired = ProbeReport.DANE(
      status: .valid,
      tlsa: [
        .init(record: "3 1 1 \(Self.leaf)", matched: true),
        .init(record: "2 1 1 \(Self.issuer)", matched: true),
      ])
    #expect(
      !fixes(Self.relay([Self.mx(dane: paired, rating: .secure)])).contains { $0.kind == .daneRollover })
  }

  @Test func withoutMTASTSTheRecordAndPolicyFileAreProposedInTestingMode() throws {
    let all = fixes(Self.relay([Self.mx(), Self.mx("mx2.example.net.")]))
    let fix = try #require(all.first { $0.kind == .mtaStsPublish })
    #expect(fix.items[0].line == "_mta-sts.example.net. IN TXT \"v=STSv1; id=20261201102030\"")
    #expect(fix.items[1].name == "https://mta-sts.example.net/.well-known/mta-sts.txt")
    #expect(
      fix.items[1].value
        == "version: STSv1\nmode: testing\nmx: mx.example.net\nmx: mx2.example.net\nmax_age: 604800\n")
    let rpt = try #require(all.first { $0.kind == .tlsRptPublish })
    #expect(
      rpt.items[0].line == "_smtp._tls.example.net. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.net\""
    )
  }

  @Test func anMXThePolicyDoesNotNameIsAddedToIt() throws {
    let sts = ProbeReport.MTASTSReport(
      txt: "v=STSv1; id=1", id: "1", policyURL: "https://mta-sts.example.net/.well-known/mta-sts.txt",
      policy: "version: STSv1", mode: .enforce, mxPatterns: ["mx.example.net"], maxAge: 86400,
      mxMatches: [
        .init(host: "mx.example.net", matchesPattern: true, validCertificate: true, satisfied: true),
        .init(host: "backup.example.net", matchesPattern: false, validCertificate: true, satisfied: false),
      ])
    let fix = try #require(fixes(Self.relay([Self.mx()], sts: sts)).first { $0.kind == .mtaStsMismatch })
    #expect(fix.severity == .error)
    #expect(fix.finding.contains("backup.example.net is not named by any mx: line"))
    #expect(fix.items.last?.value.contains("mx: mx.example.net\nmx: backup.example.net\n") == true)
  }

  @Test func certificatesExpiringExpiredOrMisnamedAreFindings() {
    let soon = fixes(Self.relay([Self.mx(tls: Self.tls(notAfter: "2026-12-06T00:00:00Z"))]))
    #expect(soon.contains { $0.kind == .certificateExpiring && $0.finding.contains("expires in 4 days") })
    #expect(
      !fixes(Self.relay([Self.mx(tls: Self.tls(notAfter: "2026-12-06T00:00:00Z"))]), warnDays: 3).contains {
        $0.kind == .certificateExpiring
      })
    let expired = fixes(Self.relay([Self.mx(tls: Self.tls(notAfter: "2026-11-01T00:00:00Z"))]))
    #expect(expired.first?.kind == .certificateExpired)  // errors first
    #expect(
      fixes(Self.relay([Self.mx(tls: Self.tls(nameMatch: false))])).contains { $0.kind == .certificateName })
  }

  @Test func clientHopsGetSRVRecordsAndTheSettingTheBannerNames() throws {
    let postfix = ProbeTranscriptLine(.server, "220 smtp.example.net ESMTP Postfix (Debian/GNU)")
    let submission = ProbeReport.Endpoint(
      host: "smtp.example.net.", address: "192.0.2.1", port: 587, service: .submission, sources: [.guess],
      reachable: true, starttls: true, extensions: ["STARTTLS", "AUTH PLAIN LOGIN"], extensionsAfterTLS: [],
      authBeforeTLS: ["PLAIN", "LOGIN"], tls: Self.tls(), dane: .init(status: .none, tlsa: []),
      rating: .insecure,
      transcript: [postfix])
    let hop = ProbeReport.Hop(id: .submission, rating: .insecure, summary: "", endpoints: [submission])
    let all = fixes(hop)
    let auth = try #require(all.first { $0.kind == .authBeforeTLS })
    #expect(auth.severity == .error)
    #expect(auth.items.map(\.line) == ["smtpd_tls_auth_only = yes"])
    #expect(auth.text.contains("a hint from the banner (Postfix)"))
    let srv = try #require(all.first { $0.kind == .srvPublish })
    #expect(srv.items.map(\.line) == ["_submissions._tcp.example.net. IN SRV 0 1 465 smtp.example.net."])
  }

  @Test func unknownSoftwareGetsNoSettings() {
    let endpoint = ProbeReport.Endpoint(
      host: "imap.example.net.", address: "192.0.2.1", port: 143, service: .imap, reachable: true,
      starttls: false, extensions: [], extensionsAfterTLS: [], dane: .init(status: .none, tlsa: []),
      rating: .insecure, transcript: [ProbeTranscriptLine(.server, "* OK ready")])
    let fix = fixes(ProbeReport.Hop(id: .retrieval, rating: .insecure, summary: "", endpoints: [endpoint]))
      .first {
        $0.kind == .cleartextService
      }
    #expect(fix != nil)
    #expect(fix?.items.isEmpty == true)
  }

  @Test func datesCountDaysFromTheEpoch() {
    #expect(ReportDate.days("1970-01-01T00:00:00Z") == 0)
    #expect(ReportDate.days("2000-03-01") == 11_017)
    #expect(ReportDate.days("2026-12-01T10:20:30Z")! - ReportDate.days("2026-11-01T00:00:00Z")! == 30)
    #expect(ReportDate.days("yesterday") == nil)
    #expect(ReportDate.days("2026-13-01") == nil)
  }
}

@Suite("How to fix: nothing where nothing was found")
struct NoFixTests {
  @Test func aClientHopWithoutServersOrNotProbedHasNothingToFix() {
    let none = ProbeReport.Hop(id: .submission, rating: .none, summary: "no server found", endpoints: [])
    #expect(FixAdvisor.fixes(for: none, domain: "example.net", startedAt: "2026-12-01T00:00:00Z").isEmpty)
  }
}

@Suite("Checklist: every check of a domain in one list")
struct ChecklistTests {
  @Test func checksAreDerivedFromTheEvidenceWithStableIds() {
    let unsigned = ProbeReport.Lookup(
      name: "mx.example.net.", type: "A", status: .insecure, authenticated: false, records: ["192.0.2.25"])
    var relay = FixAdvisorTests.relay(
      [FixAdvisorTests.mx(tls: FixAdvisorTests.tls(notAfter: "2026-12-10T00:00:00Z"))], lookups: [unsigned])
    var spf = AuthenticityReport.SPF()
    spf.record = "v=spf1 -all"
    spf.rating = .secure
    relay.authenticity = AuthenticityReport(spf: spf, dmarc: AuthenticityReport.DMARC())
    let report = ProbeReport(
      domain: "example.net", startedAt: "2026-12-01T00:00:00Z", durationMs: 1,
      overall: .init(rating: .weak, limitedBy: .relay),
      hops: [
        ProbeReport.Hop(id: .submission, rating: .secure, summary: "465", endpoints: []), relay,
      ],
      dns: [
        ProbeReport.Lookup(
          name: "example.net.", type: "MX", status: .secure, authenticated: true, records: [])
      ])
    let checks = Dictionary(uniqueKeysWithValues: Checklist.checks(report).map { ($0.id, $0) })
    #expect(checks["transport.submission"]?.status == .pass)
    #expect(checks["transport.relay"]?.status == .warn)
    #expect(checks["dane.mx.example.net"]?.status == .warn)
    #expect(checks["mta-sts"]?.status == .warn)
    #expect(checks["tls-rpt"]?.status == .info)
    #expect(checks["spf"]?.status == .pass)
    #expect(checks["dmarc"]?.status == .unknown)
    #expect(checks["dkim"]?.status == .unknown)
    #expect(checks["dnssec.domain"]?.status == .pass)
    #expect(checks["dnssec.mx.example.net"]?.status == .warn)
    #expect(checks["ipv6.mx.example.net"]?.status == .unknown)  // no AAAA lookup recorded
    #expect(checks["certificates.expiry"]?.status == .warn)  // 9 days left
  }
}
