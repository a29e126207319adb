import MailFlowAssets
import MailFlowModel
import Testing

@testable import MailFlowTrace

/// The organisation model: steps follow where a message passes from one organisation to another, with
/// provider families from `Assets/providers.json` and the Public Suffix List. The fields are the real
/// forms issue 20 quotes (Microsoft 365's layers and tenant-to-tenant mail, Gmail's sending side and
/// API, a content filter re-injecting, fetchmail), in messages written for each case.
@Suite("Trace: organisations and steps")
struct OrganisationTests {
  static let providers = try! BuiltinKnowledge.load().providers
  /// A small suffix list with the rules these messages need (the real one is read by the CLI).
  static let suffixes = try! PublicSuffixList("com\nnet\norg\nuk\nco.uk\nexample\n")
  static let organisations = Organisations(providers: providers, suffixes: suffixes)

  /// A message from Received fields listed oldest first (they are written newest first).
  static func trace(_ oldestFirst: [String], organisations: Organisations = organisations) throws
    -> TraceReport
  {
    var text = ""
    for (index, field) in oldestFirst.enumerated().reversed() {
      text += "Received: \(field); Mon, 30 Nov 2026 10:0\(index):00 +0000\r\n"
    }
    text += "From: a@sender.example\r\nSubject: t\r\n\r\n"
    return try TraceAnalyzer.analyze(try HeaderSection.parse(Array(text.utf8)), organisations: organisations)
  }

  static func steps(_ report: TraceReport) -> [String] {
    report.hops.map { "\($0.step.rawValue) \($0.rating.rawValue)" }
  }

  /// A name belongs to the family of its nearest listed domain, found by walking up from the last
  /// label: a deeper listing wins, a listed name inside another name's labels does not count.
  @Test func theNearestListedDomainWins() {
    let o = Organisations(
      providers: [
        ProviderFamily(id: "outer", name: "Outer", domains: ["example.com"], inbound: []),
        ProviderFamily(
          id: "inner", name: "Inner", domains: ["mail.example.com"], inbound: ["in.mx.example.com"]),
      ], suffixes: Self.suffixes)
    #expect(o.owner(of: "a.b.mail.example.com") == .provider(id: "inner", name: "Inner"))
    #expect(o.owner(of: "Mail.Example.com.") == .provider(id: "inner", name: "Inner"))
    #expect(o.owner(of: "www.example.com") == .provider(id: "outer", name: "Outer"))
    #expect(o.owner(of: "example.com.evil.org") == .domain("evil.org"))
    #expect(o.owner(of: "xmail.example.com") == .provider(id: "outer", name: "Outer"))
    #expect(o.inboundFamily(of: "x.in.mx.example.com")?.id == "inner")
    #expect(o.inboundFamily(of: "mx.example.com") == nil)
  }

  @Test func providersAreOneOrganisationAcrossTheirDomains() {
    let o = Self.organisations
    #expect(o.owner(of: "BN9PR03CA0607.outlook.office365.com") == o.owner(of: "x.namprd02.prod.outlook.com"))
    #expect(
      o.owner(of: "mail-oo1-f53.google.com") == .provider(id: "google", name: "Google (Gmail, Workspace)"))
    #expect(o.owner(of: "mx1.mail.example.co.uk") == .domain("example.co.uk"))
    #expect(o.owner(of: "[192.0.2.1]") == nil)
    #expect(o.owner(of: "localhost") == nil)
    // A label of many digits (seen in real HELO names) is a name, not an address, and no overflow.
    #expect(o.owner(of: "12345678901234567890123.example.net") == .domain("example.net"))
    #expect(!ReceivedParser.isIPAddress("99999999999999999999999999"))
    #expect(o.inboundFamily(of: "BL02EPF0002992C.mail.protection.outlook.com")?.id == "microsoft")
    #expect(o.inboundFamily(of: "TYPPR03CU001.outbound.protection.outlook.com") == nil)
    // Without the list: the last two labels, three under a well-known two-label suffix.
    #expect(Organisations.plain.organisationalDomain("mx.example.co.uk") == "example.co.uk")
  }

  @Test func microsoftsInternalLayersAreInsideAndATenantToTenantHopCrosses() throws {
    let report = try Self.trace([
      "from smtp.sender.example (smtp.sender.example [198.51.100.7]) by TYPPR03CU001.outbound.protection.outlook.com with Microsoft SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.1",
      "from TYPPR03CU001.outbound.protection.outlook.com (52.101.126.131) by BL02EPF0002992C.mail.protection.outlook.com (10.167.249.57) with Microsoft SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.2",
      "from BL02EPF0002992C.mail.protection.outlook.com (2603:10b6:208:c0:cafe::48) by BL02EPF00021F6B.namprd02.prod.outlook.com (2603:10b6:208:c0::1) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.3",
      "from BL02EPF00021F6B.namprd02.prod.outlook.com (2603:10b6:208:c0:cafe::48) by BN9PR03CA0607.outlook.office365.com (2603:10b6:408:106::1) with Microsoft SMTP Server id 15.20.4 via Frontend Transport",
    ])
    // The oldest record crosses into Microsoft (not its inbound): where the message entered.
    #expect(
      Self.steps(report) == ["submission secure", "relay secure", "delivery internal", "delivery internal"])
    #expect(report.hops[1].crossesOrganisations)
    #expect(
      report.hops[1].notes.contains {
        $0.contains("Microsoft (Microsoft 365, Outlook.com)'s inbound servers")
      })
    #expect(report.hops[3].fromOrganisation == "Microsoft (Microsoft 365, Outlook.com)")
    #expect(report.overall.rating == .secure)
  }

  @Test func gmailsSendingSideAndAPISubmission() throws {
    let report = try Self.trace([
      "by gmailapi.google.com with HTTPREST",
      "by 2002:a05:6a10:9a0b:b0:5c1:1a2b:3c4d with SMTP id x1csp123",
      "from mail-oo1-f53.google.com (mail-oo1-f53.google.com [209.85.161.53]) by mx.recipient.example (Postfix) with ESMTPS id 4B1 (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384)",
      "from localhost (localhost [127.0.0.1]) by mx.recipient.example (Postfix) with LMTP id 9",
    ])
    // The API call is the submission (nothing crossed a network in what is recorded), Google's own
    // hand-over the sending side, the hop to the recipient a relay rated by its TLS.
    #expect(
      Self.steps(report) == ["submission internal", "outbound internal", "relay secure", "delivery internal"])
  }

  @Test func aFirstHopWithoutASendingHostIsNotCleartext() throws {
    let report = try Self.trace([
      "by mail-oo1-f53.google.com with SMTP id 006d021491bc7-5f1",
      "from mail-oo1-f53.google.com (mail-oo1-f53.google.com [209.85.161.53]) by mx.google.com with SMTPS id x (Google Transport Security)",
    ])
    #expect(Self.steps(report) == ["submission internal", "relay secure"])
    #expect(report.hops[0].notes.contains { $0.contains("No sending host") })
  }

  @Test func aContentFilterReinjectingIsNotASecondSubmission() throws {
    let report = try Self.trace([
      "from [192.168.1.20] (host.isp.example [203.0.113.40]) by smtp.sender.example (Postfix) with ESMTPSA id 1 (version=TLSv1.3)",
      "from smtp.sender.example (smtp.sender.example [198.51.100.7]) by ietfa.amsl.com (Postfix) with ESMTPS id 2 (version=TLSv1.3)",
      "from ietfa.amsl.com ([127.0.0.1]) by localhost (ietfa.amsl.com [127.0.0.1]) (amavisd-new, port 10024) with ESMTP id 3",
      "from localhost (localhost [127.0.0.1]) by ietfa.amsl.com (Postfix) with ESMTPA id 4",
    ])
    #expect(
      Self.steps(report) == ["submission secure", "relay secure", "delivery internal", "delivery internal"])
    #expect(report.hops[3].notes.contains { $0.contains("re-injection") })
  }

  @Test func anAuthenticatedSmarthostAfterTheSubmissionIsStillBetweenOrganisations() throws {
    let report = try Self.trace([
      "from pc.lan (pc.lan [192.168.1.5]) by server.office.example with ESMTP id 1",
      "from server.office.example (server.office.example [198.51.100.9]) by smtp.isp.example with ESMTPA id 2",
      "from smtp.isp.example (smtp.isp.example [203.0.113.2]) by mx.recipient.example with ESMTP id 3",
    ])
    // Cleartext across the office network, then across organisations twice: never secure.
    #expect(Self.steps(report) == ["submission insecure", "relay insecure", "relay insecure"])
    #expect(report.overall.rating == .insecure)
  }

  @Test func aGatewayInsideTheRecipientsCompanyIsDelivery() throws {
    let report = try Self.trace([
      "from mail.sender.example (mail.sender.example [198.51.100.7]) by gw1.recipient.example with ESMTPS id 1 (version=TLSv1.3)",
      "from gw1.recipient.example (gw1.recipient.example [192.0.2.10]) by filter.recipient.example with ESMTP id 2",
      "from filter.recipient.example (filter.recipient.example [192.0.2.11]) by hub.recipient.example with ESMTP id 3",
      "from hub.recipient.example (hub.recipient.example [192.0.2.12]) by mbx.recipient.example with ESMTP id 4",
    ])
    #expect(
      Self.steps(report) == [
        "submission secure", "delivery internal", "delivery internal", "delivery internal",
      ])
  }

  @Test func anIntermediarysOwnHopsLieBetweenTwoCrossings() throws {
    let report = try Self.trace([
      "from [192.168.1.20] (host.isp.example [203.0.113.40]) by mail.sender.example with ESMTPSA id 0",
      "from mail.sender.example (mail.sender.example [198.51.100.7]) by eu-smtp-inbound-1.mimecast.com with ESMTPS id 1 (version=TLSv1.2)",
      "from eu-smtp-inbound-1.mimecast.com (eu-smtp-inbound-1.mimecast.com [195.130.217.1]) by eu-smtp-delivery-2.mimecast.com with ESMTP id 2",
      "from eu-smtp-delivery-2.mimecast.com (eu-smtp-delivery-2.mimecast.com [195.130.217.2]) by mx.recipient.example with ESMTPS id 3 (version=TLSv1.2)",
    ])
    #expect(Self.steps(report) == ["submission secure", "relay secure", "relay internal", "relay secure"])
  }

  @Test func aHELOCannotMakeAStrangerLookInternal() throws {
    // No reverse DNS recorded, a public address, a HELO in the recipient's own domain: a crossing.
    let report = try Self.trace([
      "from mx.recipient.example ([203.0.113.66]) by mail.recipient.example with ESMTP id 1"
    ])
    #expect(report.hops[0].crossesOrganisations)
    #expect(report.hops[0].rating == .insecure)
  }

  /// A crossing that records no protocol (the phishing honeypot's Aliyun first hops) could have been
  /// cleartext: the message is not ✔ however well the rest is protected.
  @Test func aCrossingWithoutAProtocolMakesTheMessageUnknownNotSecure() throws {
    let report = try Self.trace([
      "from srv01(mailfrom:a@sender.example fp:SMTPD_-VHcBUOx-v5) by smtpdm.aliyun.com(127.0.0.1)",
      "from out208-121.dm.aliyun.com (140.205.208.121) by VI1EUR06FT042.mail.protection.outlook.com (10.13.6.221) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1",
    ])
    #expect(Self.steps(report) == ["submission unknown", "relay secure"])
    #expect(report.overall == TraceReport.Overall(rating: .unknown, limitedBy: 1))
  }

  @Test func fetchmailIsTheRecipientsRetrieval() throws {
    let report = try Self.trace([
      "from mail.sender.example (mail.sender.example [198.51.100.7]) by mx.provider.example with ESMTPS id 1 (version=TLSv1.3)",
      "from imap.provider.example [198.51.100.20] by laptop.home.example with IMAP (fetchmail-6.4.37) for <me@home.example> (single-drop)",
    ])
    #expect(Self.steps(report) == ["submission secure", "retrieval unknown"])
  }

  @Test func withoutTheSuffixListTheNotesSaySo() throws {
    let report = try Self.trace(
      [
        "from mail.sender.example (mail.sender.example [198.51.100.7]) by mx.recipient.example with ESMTP id 1"
      ],
      organisations: Organisations(providers: Self.providers))
    #expect(report.hops[0].notes.contains { $0.contains("no Public Suffix List here") })
    #expect(report.message.senderDomain == "sender.example")
  }
}
