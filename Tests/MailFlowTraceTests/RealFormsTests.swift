import MailFlowModel
import Testing

@testable import MailFlowTrace

/// Forms of Received fields seen in real delivered mail (the classes listed in issue 20, from public
/// corpora of mail-parser and spam-filter test suites; host names and ids shortened, addresses kept).
@Suite("Received fields in real providers' forms")
struct RealFormsTests {
  static let date = "; Mon, 30 Nov 2026 10:00:00 +0000"

  /// The connecting address decides, not a literal HELO (Microsoft 365, Postfix, a `really` note).
  @Test(
    arguments: [
      (
        "from [127.0.1.1] (134.199.158.178) by SG2PEPF000B66CA.mail.protection.outlook.com with Microsoft SMTP Server id 15.20.8",
        "134.199.158.178", "[127.0.1.1]", nil
      ),
      (
        "from [172.20.10.4] (hf3b.n1.ips.mtn.co.ug [41.210.143.59]) by mx.example.net (Postfix) with ESMTPS id 4B1",
        "41.210.143.59", "[172.20.10.4]", "hf3b.n1.ips.mtn.co.ug"
      ),
      (
        "from [10.0.0.1] (really [124.183.219.10]) by mail.example.net with ESMTP id 1",
        "124.183.219.10", "[10.0.0.1]", nil
      ),
    ] as [(String, String, String, String?)])
  func aLiteralHELOIsNotTheConnectingAddress(field: String, address: String, helo: String, host: String?) {
    let parsed = ReceivedParser.parse(field + Self.date)
    #expect(parsed.from?.address == address)
    #expect(parsed.from?.helo == helo)
    #expect(parsed.from?.host == host)
    #expect(!TraceAnalyzer.isPrivate(parsed.from?.address))
  }

  @Test func tOnlinesColonNotationIsTLS() {
    let field = ReceivedParser.parse(
      "from mailout.t-online.de ([194.25.134.80]) by mx.example.net with (TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384 encrypted) esmtp id 1"
        + Self.date)
    #expect(field.tls?.version == "TLSv1.2")
    #expect(field.tls?.cipher == "ECDHE-RSA-AES256-GCM-SHA384")
    #expect(field.with == "esmtp")
  }

  @Test func messageLabsCipherBeforeTheProtocol() {
    let field = ReceivedParser.parse(
      "from mail.example.com (mail.example.com [192.0.2.1]) by server-3.tower-21.messagelabs.com with ECDHE-RSA-AES256-GCM-SHA384 encrypted SMTP id 1"
        + Self.date)
    #expect(field.tls?.cipher == "ECDHE-RSA-AES256-GCM-SHA384")
    #expect(field.with == "SMTP")
    #expect(field.transmission?.base == .smtp)
  }

  @Test(
    arguments: [
      "from [192.0.2.9] (account user@example.org HELO pc) by mail.example.org (IceWarp 12.0) with ASMTP (SSL) id 1",
      "from [76.199.3.163] (user@76.199.3.163 with login) by smtp106.sbc.mail.example.com with SMTP",
    ])
  func authenticatedSubmissions(field: String) {
    #expect(ReceivedParser.parse(field + Self.date).authenticated)
  }

  @Test(arguments: ["(qmail 21402 invoked by alias)", "(qmail 1234 invoked by VF by uid 0)"])
  func qmailInvocationsAreLocalAndDated(field: String) {
    let parsed = ReceivedParser.parse(field + "; 30 Nov 2026 10:00:00 -0000")
    #expect(parsed.isLocal)
    #expect(parsed.date?.iso8601 == "2026-11-30T10:00:00Z")
  }

  /// SendGrid writes its date without `;` and with milliseconds; Go's services write their own format.
  @Test func datesWithoutSemicolonOrInGosFormat() {
    let sendgrid = ReceivedParser.parse(
      "by filter0001p1mdw1.sendgrid.net with HTTP id abc Sat, 05 Jul 2025 17:17:56.216 +0000 (UTC)")
    #expect(sendgrid.date?.iso8601 == "2025-07-05T17:17:56Z")
    #expect(sendgrid.by == "filter0001p1mdw1.sendgrid.net")
    let go = ReceivedParser.parse(
      "from api by relay.example.net with HTTP; 2025-07-05 17:17:56.232298007 +0000 UTC m=+0.123")
    #expect(go.date?.iso8601 == "2025-07-05T17:17:56Z")
  }

  /// Dates in the other orders real fields carry (the SpamAssassin public corpus, MailCore's test data):
  /// asctime with and without a zone, spamware's month-first 12-hour clock, a numeric day above 12.
  @Test(
    arguments: [
      ("Wed Dec 24 04:09:36 2014", "2014-12-24T04:09:36Z"),
      ("Fri Sep  6 18:13:52 2002 -0000", "2002-09-06T18:13:52Z"),
      ("Aug, 25 2002 6:19:40 AM -0100", "2002-08-25T07:19:40Z"),
      ("Sep, 12 2002 12:53:53 AM +0400", "2002-09-11T20:53:53Z"),
      ("Aug, 31 2002 5:21:52 PM +0400", "2002-08-31T13:21:52Z"),
      ("22/08/2002 10:04:10", "2002-08-22T10:04:10Z"),
      ("Mon,  9 Feb 2009 12: 31: 43 -0500 (EST)", "2009-02-09T17:31:43Z"),
    ])
  func datesInOtherOrders(text: String, iso: String) {
    #expect(MessageDate.parse(text)?.iso8601 == iso)
  }

  /// Nothing is guessed: a numeric day that could be either, two days, no year.
  @Test(arguments: ["05/06/2002 10:04:10", "Aug 25 26 2002 10:00:00", "Aug 25 10:00:00", "Mon Aug 25"])
  func ambiguousDatesAreNotRead(text: String) {
    #expect(MessageDate.parse(text) == nil)
  }

  /// Old Sendmail and Gmail wrote TLS 1.0 by its cipher family (MailCore's test data, 2010).
  @Test func tlsv1SlashSSLv3IsTLS10() {
    let field = ReceivedParser.parse(
      "from ns307334.ovh.net (sd2.visialis.net [94.23.229.68]) by mx.google.com with ESMTPS id m5si1 (version=TLSv1/SSLv3 cipher=RC4-MD5)"
        + Self.date)
    #expect(field.tls?.version == "TLSv1.0")
  }

  /// A list manager's own note, neither end named (mime4j's test mail, 2003), and CMU Andrew's `via`.
  @Test(arguments: [
    "with LISTAR (v0.129a; list rlug); Sat, 08 Feb 2003 01:53:02 +0200 (EET)",
    "from Messages.8.5.N.CUILIB.3.45.SNAP.NOT.LINKED.nevada.galaxy.sun4.41 via MS.5.6.nevada.galaxy.sun4_41; Mon,  8 Jun 1992 15:56:59 -0400 (EDT)",
    "(cpmta 27945 invoked from network); 23 Jul 2002 04:41:04 -0700",
  ])
  func handOversWithoutABy(field: String) {
    let parsed = ReceivedParser.parse(field)
    #expect(parsed.parsed)
    #expect(parsed.isLocal)
    #expect(parsed.date != nil)
  }

  /// A `by` that names no host (spamware, a truncated relay) still has the shape of a Received field.
  @Test func aByClauseWithoutAHostIsReadAndSaidSo() {
    let field = ReceivedParser.parse(
      "from [130.210.145.27] (account x@tin.it HELO kzr.example) by  (Postfix) with ESMTPA id 24hE for y@example.it"
        + Self.date)
    #expect(field.parsed)
    #expect(field.by == nil)
    #expect(field.with == "ESMTPA")
    #expect(field.problems.contains("the 'by' clause names no host"))
  }
}
