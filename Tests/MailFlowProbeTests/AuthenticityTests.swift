import Foundation
import MailFlowModel
import MailFlowReport
import Testing

/// SPF (RFC 7208) and DMARC (RFC 7489) against a table of DNS answers: every parsing and counting rule.
@Suite("Authenticity: SPF and DMARC as published")
struct AuthenticityTests {
  /// A zone as a table: TXT and MX answers by name; names not in it are NXDOMAIN.
  static func zone(_ txt: [String: [String]], mx: [String: [String]] = [:], a: [String: [String]] = [:])
    -> AuthenticityCheck.Lookup
  {
    { name, type in
      let table = type == .txt ? txt : type == .mx ? mx : a
      let key = String(name.dropLast())
      guard let records = table[key] else {
        let exists = txt[key] != nil || mx[key] != nil || a[key] != nil
        return .init(status: exists ? .nodata : .nxdomain, records: [])
      }
      return .init(status: .insecure, records: records)
    }
  }

  func check(
    _ txt: [String: [String]], mx: [String: [String]] = [:], a: [String: [String]] = [:], nullMX: Bool = false
  )
    async -> AuthenticityReport
  {
    await AuthenticityCheck.run(domain: "example.net", nullMX: nullMX, lookup: Self.zone(txt, mx: mx, a: a))
  }

  @Test func rfc7208_hardFailIsSecureSoftFailWeakNeutralAndPassOpen() async {
    for (all, rating) in [("-all", Rating.secure), ("~all", .weak), ("?all", .insecure), ("+all", .insecure)]
    {
      let report = await check(["example.net": ["v=spf1 ip4:192.0.2.0/24 \(all)"]])
      #expect(report.spf.rating == rating, "\(all)")
      #expect(report.spf.all == all)
    }
    #expect(await check(["example.net": ["v=spf1 ip4:192.0.2.1"]]).spf.rating == .insecure)
  }

  @Test func rfc7208_4_5_noRecordOrTwoRecords() async {
    #expect(await check(["example.net": ["some other text"]]).spf.rating == .insecure)
    let two = await check(["example.net": ["v=spf1 -all", "v=spf1 mx -all"]])
    #expect(two.spf.rating == .broken)
    #expect(two.spf.problems.first?.contains("2 SPF records") == true)
    // "v=spf10" is not a record at all.
    #expect(!SPFRecord.isSPF("v=spf10 -all"))
  }

  @Test func rfc7208_4_6_4_lookupsAreCountedThroughIncludesAndRedirect() async {
    let report = await check(
      [
        "example.net": ["v=spf1 mx a include:_spf.example.org redirect=_spf.example.com"],
        "_spf.example.org": ["v=spf1 include:one.example.org include:two.example.org -all"],
        "one.example.org": ["v=spf1 a:x.example.org -all"], "two.example.org": ["v=spf1 ip4:192.0.2.1 -all"],
        "_spf.example.com": ["v=spf1 exists:%{i}.example.com -all"],
      ], mx: ["example.net": ["10 mx.example.net."]],
      a: ["example.net": ["192.0.2.1"], "x.example.org": ["192.0.2.2"]])
    // mx, a, include, (include, include (a)), redirect, exists = 8; the redirect's -all decides (no own all).
    #expect(report.spf.lookups == 8)
    #expect(
      report.spf.includes == ["_spf.example.org", "one.example.org", "two.example.org", "_spf.example.com"])
    #expect(report.spf.rating == .secure)
    #expect(report.spf.usesMacros == false)  // the macro is in an included record, shown as written there
  }

  @Test func rfc7208_4_6_4_moreThanTenLookupsIsAPermanentError() async {
    var txt = [
      "example.net": [
        "v=spf1 " + (1...11).map { "include:i\($0).example.org" }.joined(separator: " ") + " -all"
      ]
    ]
    for i in 1...11 { txt["i\(i).example.org"] = ["v=spf1 ip4:192.0.2.\(i) -all"] }
    let report = await check(txt)
    #expect(report.spf.lookups == 11)
    #expect(report.spf.rating == .broken)
  }

  @Test func rfc7208_4_6_4_moreThanTwoVoidLookups() async {
    let report = await check([
      "example.net": ["v=spf1 a:gone1.example.org a:gone2.example.org a:gone3.example.org -all"]
    ])
    #expect(report.spf.voidLookups == 3)
    #expect(report.spf.rating == .broken)
  }

  @Test func rfc7208_5_2_anIncludeLoopIsNamed() async {
    let report = await check([
      "example.net": ["v=spf1 include:a.example.org -all"],
      "a.example.org": ["v=spf1 include:example.net -all"],
    ])
    // example.net includes a.example.org, which includes example.net again.
    #expect(report.spf.rating == .broken)
    #expect(report.spf.problems.contains { $0.contains("a loop") }, "\(report.spf.problems)")
  }

  @Test func rfc7208_5_5_ptrIsDeprecatedAndMacrosAreShownAsWritten() async {
    let report = await check(["example.net": ["v=spf1 ptr exists:%{i}._spf.example.net -all"]])
    #expect(report.spf.usesPTR)
    #expect(report.spf.usesMacros)
    #expect(report.spf.problems.contains { $0.contains("ptr is deprecated") })
  }

  @Test(arguments: [
    ("v=spf1 foo -all", "'foo': unknown mechanism"), ("v=spf1 ip4:300.1.1.1 -all", "ip4 needs an IPv4"),
    ("v=spf1 include -all", "include needs a domain"),
    ("v=spf1 redirect=a redirect=b", "appears more than once"),
    ("v=spf1 -all:x", "all takes no argument"),
  ])
  func rfc7208_4_6_1_theTermThatFailsIsNamed(text: String, problem: String) async {
    let report = await check(["example.net": [text]])
    #expect(report.spf.rating == .broken)
    #expect(report.spf.problems.contains { $0.contains(problem) }, "\(report.spf.problems)")
  }

  @Test func rfc7489_6_3_policiesRateLikeTransport() async {
    let spf = "v=spf1 -all"
    for (record, rating) in [
      ("v=DMARC1; p=reject; rua=mailto:d@example.net", Rating.secure),
      ("v=DMARC1; p=reject; pct=50; rua=mailto:d@example.net", .weak),
      ("v=DMARC1; p=quarantine; rua=mailto:d@example.net", .weak), ("v=DMARC1; p=none", .insecure),
    ] {
      let report = await check(["example.net": [spf], "_dmarc.example.net": [record]])
      #expect(report.dmarc.rating == rating, "\(record)")
    }
    #expect(await check(["example.net": [spf]]).dmarc.rating == .insecure)
  }

  @Test(arguments: [
    ("v=DMARC1", "p: missing"), ("v=DMARC1; p=block", "'block' is not none"),
    ("p=reject; v=DMARC1", "must start with v=DMARC1"),
    ("v=DMARC1; p=reject; pct=150", "pct"), ("v=DMARC1; p=reject; adkim=x", "adkim"),
    ("v=DMARC1; p=reject; rua=reports", "not a URI"),
  ])
  func rfc7489_6_3_syntaxErrorsAreNamed(record: String, problem: String) async {
    let report = await check(["_dmarc.example.net": [record]])
    if record.hasPrefix("p=") {
      #expect(report.dmarc.rating == .insecure)  // not a DMARC record at all
    } else {
      #expect(report.dmarc.rating == .broken)
      #expect(report.dmarc.problems.contains { $0.contains(problem) }, "\(report.dmarc.problems)")
    }
  }

  @Test func rfc7489_7_1_externalReportDestinationsMustAuthorize() async {
    let record = "v=DMARC1; p=reject; rua=mailto:a@reports.example.org,mailto:b@example.net"
    let refused = await check(["_dmarc.example.net": [record]])
    #expect(
      refused.dmarc.externalDestinations == [
        .init(address: "mailto:a@reports.example.org", authorized: false)
      ])
    let allowed = await check([
      "_dmarc.example.net": [record], "example.net._report._dmarc.reports.example.org": ["v=DMARC1"],
    ])
    #expect(allowed.dmarc.externalDestinations.first?.authorized == true)
  }

  @Test func rfc7489_6_6_3_theOrganisationalDomainsRecordApplies() async {
    let report = await AuthenticityCheck.run(
      domain: "mail.example.net", nullMX: false,
      lookup: Self.zone([
        "_dmarc.example.net": ["v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.net"]
      ]))
    #expect(report.dmarc.foundAt == "_dmarc.example.net")
    #expect(report.dmarc.rating == .weak)  // sp applies to the subdomain
  }

  @Test func rfc7505_aNullMXDomainShouldRefuseEverything() async {
    let report = await check(
      ["example.net": ["v=spf1 ~all"], "_dmarc.example.net": ["v=DMARC1; p=none"]], nullMX: true)
    #expect(report.spf.problems.contains { $0.contains("should publish v=spf1 -all") })
    #expect(report.dmarc.problems.contains { $0.contains("should publish DMARC p=reject") })
  }
}

@Suite("How to fix: SPF and DMARC")
struct AuthenticityFixTests {
  func fixes(_ txt: [String: [String]], nullMX: Bool = false) async -> [Fix] {
    let found = await AuthenticityCheck.run(
      domain: "example.net", nullMX: nullMX, lookup: AuthenticityTests.zone(txt))
    let hop = ProbeReport.Hop(
      id: .relay, rating: nullMX ? .none : .weak, summary: "", endpoints: [],
      tlsRpt: .init(txt: "v=TLSRPTv1", rua: []))
    var withAuthenticity = hop
    withAuthenticity.authenticity = found
    return FixAdvisor.fixes(for: withAuthenticity, domain: "example.net", startedAt: "2026-12-01T00:00:00Z")
  }

  @Test func missingRecordsAreProposed() async throws {
    let all = await fixes([:])
    #expect(
      all.first { $0.kind == .spfPublish }?.items.map(\.line) == ["example.net. IN TXT \"v=spf1 mx -all\""])
    #expect(
      all.first { $0.kind == .dmarcPublish }?.items.map(\.line)
        == ["_dmarc.example.net. IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.net\""])
  }

  @Test func aNullMXDomainIsToldToRefuseEverything() async {
    let all = await fixes([:], nullMX: true)
    #expect(all.first { $0.kind == .spfPublish }?.items.first?.value == "\"v=spf1 -all\"")
    #expect(all.first { $0.kind == .dmarcPublish }?.items.first?.value.contains("p=reject") == true)
  }

  @Test func aWeakPolicyMovesToRejectKeepingItsReportAddresses() async {
    let all = await fixes([
      "example.net": ["v=spf1 mx -all"],
      "_dmarc.example.net": ["v=DMARC1; p=quarantine; rua=mailto:d@example.net"],
    ])
    let fix = all.first { $0.kind == .dmarcRepair }
    #expect(fix?.items.first?.value == "\"v=DMARC1; p=reject; rua=mailto:d@example.net\"")
    #expect(!all.contains { $0.kind == .spfRepair || $0.kind == .spfPublish })
  }
}

/// DKIM keys (RFC 6376 §3.6.1, RFC 8301, RFC 8463): public keys made with openssl for these tests.
@Suite("Authenticity: DKIM keys")
struct DKIMTests {
  static let rsa1024 =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC5lQKOwgY8X3zzfIVvYrpbbO+QIVeF68s+WBJu/Xv/opKPmci6smMT9Wj0BpxUrJZGiqansMKVk9EVMwlDcJLf0ND9hrNtOEsi/qeqyPZlNz/MRO5xtET/mvXiNsfAhf61JErZVxgc7yT88EzUF3AljfDLLwiNNzsYNrnBcriBUQIDAQAB"
  static let rsa2048 =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoU26/kaeLK7x5+Fu+KPOTz6ZRwQt1tw4JzZFDyLYlrmrxFl+bsk4hHERBfIXFr5qF33R++TCP4H3dQmWrHKPNv3zwr6O4kIs/F3R0ZBBOpK5F+nio8cKIRUBQSrsixzI+qTKNKyG+X1Q9pu68d8qjnwH9De2t1R9V/JuSJkgBMKMb8cJlzBshhjcf1IzxYbu82a9NvthvcQpgw1JQyclWddTzrRIKGvDfHSuFWCOs10tYMfjgEsw/s9o3War4BH+b6hz6DOWMqEPOdJu28p9gIAYmx1qHc9sb8hJVSJh0TuFoPpJlonel8LL989OQ3Wye7A+dz1EmYO4m1Scl4lMgQIDAQAB"
  static let ed25519 = "rB2erWm7xIyDG8jK2snckitmS90IAkffvySid7V7bdc="

  @Test func rfc8301_rsaSizesRateAndEd25519IsSecure() throws {
    let small = try DKIMKey("v=DKIM1; k=rsa; p=\(Self.rsa1024)")
    #expect(small.bits == 1024)
    #expect(small.rating == .weak)
    let big = try DKIMKey("v=DKIM1; p=\(Self.rsa2048)")  // k defaults to rsa
    #expect(big.bits == 2048)
    #expect(big.rating == .secure)
    let edwards = try DKIMKey("v=DKIM1; k=ed25519; p=\(Self.ed25519)")
    #expect(edwards.type == .ed25519)
    #expect(edwards.rating == .secure)
  }

  @Test func rfc6376_3_6_1_revokedTestingAndBrokenRecords() throws {
    #expect(try DKIMKey("v=DKIM1; p=").revoked)
    #expect(try DKIMKey("v=DKIM1; p=").rating == .none)
    #expect(try DKIMKey("v=DKIM1; t=y; p=\(Self.rsa2048)").testing)
    #expect(throws: DKIMKey.SyntaxError.self) { try DKIMKey("v=DKIM1; k=dsa; p=\(Self.rsa2048)") }
    #expect(throws: DKIMKey.SyntaxError.self) { try DKIMKey("v=DKIM1; p=not*base64") }
    #expect(throws: DKIMKey.SyntaxError.self) { try DKIMKey("v=DKIM1; k=ed25519; p=\(Self.rsa2048)") }
    #expect(throws: DKIMKey.SyntaxError.self) { try DKIMKey("v=DKIM1; k=rsa") }
  }

  @Test func aKeyPublishedInSeveralStringsIsJoined() throws {
    let half = Self.rsa2048.count / 2
    let split = "v=DKIM1; p=" + Self.rsa2048.prefix(half) + " " + Self.rsa2048.dropFirst(half)
    #expect(try DKIMKey(split).bits == 2048)
  }

  @Test func givenSelectorsAreReportedFoundOrNotCommonOnesOnlyWhenFound() async {
    let lookup = AuthenticityTests.zone([
      "mine._domainkey.example.net": ["v=DKIM1; k=rsa; p=\(Self.rsa1024)"],
      "google._domainkey.example.net": ["v=DKIM1; k=ed25519; p=\(Self.ed25519)"],
    ])
    let report = await AuthenticityCheck.run(
      domain: "example.net", selectors: ["mine", "other"], lookup: lookup)
    #expect(report.dkim.map(\.selector) == ["mine", "other", "google"])
    #expect(report.dkim.map(\.rating) == [.weak, .none, .secure])
    let fix = FixAdvisor.authenticity(report, domain: "example.net", nullMX: false).first {
      $0.kind == .dkimRepair
    }
    #expect(fix?.finding.contains("mine._domainkey.example.net") == true)
  }
}

/// Regressions found by review: each of these was once wrong.
@Suite("Authenticity and fixes: review findings")
struct ReviewFindingTests {
  func check(_ txt: [String: [String]], a: [String: [String]] = [:]) async -> AuthenticityReport {
    await AuthenticityCheck.run(domain: "example.net", lookup: AuthenticityTests.zone(txt, a: a))
  }

  @Test func rfc7208_4_6_4_theSameIncludeTwiceIsNoLoop() async {
    let report = await check([
      "example.net": ["v=spf1 include:a.example.org include:b.example.org -all"],
      "a.example.org": ["v=spf1 include:c.example.org -all"],
      "b.example.org": ["v=spf1 include:c.example.org -all"],
      "c.example.org": ["v=spf1 ip4:192.0.2.1 -all"],
    ])
    #expect(report.spf.rating == .secure, "\(report.spf.problems)")
    #expect(report.spf.lookups == 4)
  }

  @Test func rfc7208_5_2_aFailedIncludeLookupIsTemporary() async {
    let lookup: AuthenticityCheck.Lookup = { name, _ in
      name == "example.net."
        ? .init(status: .insecure, records: ["v=spf1 include:down.example.org -all"])
        : .init(status: .servfail, records: [])
    }
    let report = await AuthenticityCheck.run(domain: "example.net", lookup: lookup)
    #expect(report.spf.rating == .unknown)
    #expect(report.spf.problems.first?.contains("temporary") == true)
  }

  @Test(arguments: [
    "v=spf1 ip6:zz:/999 -all", "v=spf1 ip4:01.2.3.4 -all", "v=spf1 ip4:+1.2.3.4 -all", "v=spf1 all/24",
    "v=spf1 a/33 -all", "v=spf1 ip6:2001:db8::/129 -all", "v=spf1 ip6:1:2:3:4:5:6:7:8:9 -all",
  ])
  func rfc7208_5_6_badAddressesAndLengthsAreSyntaxErrors(record: String) async {
    #expect(await check(["example.net": [record]]).spf.rating == .broken, "\(record)")
  }

  @Test(arguments: [
    "v=spf1 ip6:2001:db8::/32 -all", "v=spf1 a/24//64 -all", "v=spf1 mx//64 -all",
    "v=spf1 ip6:::ffff:192.0.2.1 -all", "v=spf1 ip4:0.0.0.0/0 -all",
  ])
  func rfc7208_5_6_validAddressesAndLengthsPass(record: String) async {
    let report = await check(["example.net": [record]], a: ["example.net": ["192.0.2.1"]])
    #expect(report.spf.rating == .secure, "\(record): \(report.spf.problems)")
  }

  @Test func rfc7489_7_1_authorizationIsForThePolicysDomain() async {
    let report = await AuthenticityCheck.run(
      domain: "mail.example.net",
      lookup: AuthenticityTests.zone([
        "_dmarc.example.net": ["v=DMARC1; p=reject; rua=mailto:a@reports.example.org"],
        "example.net._report._dmarc.reports.example.org": ["v=DMARC1"],
      ]))
    #expect(report.dmarc.externalDestinations.first?.authorized == true)
  }

  @Test func rfc7489_6_3_otherURISchemesAreNotSyntaxErrorsAndDestinationsAreCheckedOnce() async {
    let report = await check([
      "_dmarc.example.net": [
        "v=DMARC1; p=reject; rua=https://reports.example.org/d,mailto:a@x.example.org,mailto:b@x.example.org"
      ]
    ])
    #expect(report.dmarc.rating == .secure)
    #expect(report.dmarc.problems.contains { $0.contains("not mailto") })
    #expect(report.dmarc.externalDestinations.count == 1)
  }

  @Test func rfc7489_6_6_3_aLowercaseVersionIsNoRecord() {
    #expect(!DMARCRecord.isDMARC("v=dmarc1; p=reject"))
    #expect(DMARCRecord.isDMARC("v = DMARC1; p=reject"))
  }

  @Test func dkimKeysNestedBeyondOneWrapperAreRefused() throws {
    func tlv(_ tag: UInt8, _ body: [UInt8]) -> [UInt8] {
      let count = body.count
      let length: [UInt8] =
        count < 128
        ? [UInt8(count)]
        : count < 256 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
      return [tag] + length + body
    }
    let spki = Array(try #require(Base64Probe.decode(DKIMTests.rsa2048)))
    let algorithm = tlv(0x30, rsaEncryptionOID + [0x05, 0x00])
    let nested = tlv(0x30, algorithm + tlv(0x03, [0] + spki))
    #expect(throws: DKIMKey.SyntaxError.self) {
      try DKIMKey("v=DKIM1; p=" + Base64Probe.encode(nested))
    }
  }

  @Test func aBrokenDMARCRecordIsRepairedWithoutWeakeningIt() async {
    let report = await check(["_dmarc.example.net": ["v=DMARC1; p=reject; pct=500"]])
    #expect(report.dmarc.rating == .broken)
    let fix = FixAdvisor.authenticity(report, domain: "example.net", nullMX: false).first {
      $0.kind == .dmarcRepair
    }
    #expect(fix?.items.first?.value.contains("p=reject") == true)
  }

  @Test func aCertificateThatExpiredEarlierTodayIsExpired() {
    let tls = ProbeReport.TLS(pkixValid: true, nameMatch: true, notAfter: "2026-12-01T01:00:00Z")
    let endpoint = FixAdvisorTests.mx(tls: tls)
    let fixes = FixAdvisor.fixes(
      for: FixAdvisorTests.relay([endpoint]), domain: "example.net", startedAt: "2026-12-01T10:00:00Z")
    #expect(fixes.first?.kind == .certificateExpired)
    #expect(fixes.first?.finding.contains("expired today") == true)
    #expect(ReportDate.days("2026-02-31") == nil)
  }

  @Test func aReportDiffedWithItselfShowsNoExpiryChange() {
    let tls = ProbeReport.TLS(pkixValid: true, nameMatch: true, notAfter: "2026-12-05T00:00:00Z")
    let report = ProbeReport(
      domain: "example.net", startedAt: "2026-12-01T00:00:00Z", durationMs: 1,
      overall: .init(rating: .weak, limitedBy: .relay),
      hops: [FixAdvisorTests.relay([FixAdvisorTests.mx(tls: tls)])],
      dns: [])
    #expect(ReportDiff.changes(from: report, to: report).isEmpty)
  }
}

/// Base64 for the tests (the product's decoder is internal): Foundation's.
enum Base64Probe {
  static func decode(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map { Array($0) } }
  static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

let rsaEncryptionOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
