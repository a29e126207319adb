import Foundation
import MailFlowModel
import MailFlowReport
import MailFlowTestSupport
import Testing

@testable import MailFlowProbe

@Suite("Autoconfig documents")
struct AutoconfigDocumentTests {
  static let thunderbirdStyle = """
    <?xml version="1.0" encoding="UTF-8"?>
    <!-- as providers publish it -->
    <clientConfig version="1.1">
      <emailProvider id="auto.example">
        <domain>auto.example</domain>
        <displayName>Auto &amp; Co</displayName>
        <incomingServer type="imap">
          <hostname>imap.%EMAILDOMAIN%</hostname>
          <port>993</port>
          <socketType>SSL</socketType>
          <username>%EMAILADDRESS%</username>
        </incomingServer>
        <incomingServer type="pop3">
          <hostname><![CDATA[pop.auto.example]]></hostname>
          <port>110</port>
          <socketType>plain</socketType>
        </incomingServer>
        <incomingServer type="exchange"><hostname>ews.auto.example</hostname><port>443</port></incomingServer>
        <outgoingServer type="smtp">
          <hostname>smtp.auto.example</hostname>
          <port>587</port>
          <socketType>STARTTLS</socketType>
        </outgoingServer>
      </emailProvider>
    </clientConfig>
    """

  @Test func serversAreReadWithTheDomainFilledIn() throws {
    let config = try Autoconfig.parse(Self.thunderbirdStyle, domain: "auto.example")
    #expect(
      config.servers == [
        .init(type: "imap", host: "imap.auto.example", port: 993, socketType: "SSL"),
        .init(type: "pop3", host: "pop.auto.example", port: 110, socketType: "plain"),
        .init(type: "smtp", host: "smtp.auto.example", port: 587, socketType: "STARTTLS"),
      ])
  }

  @Test func entitiesAndCharacterReferencesAreDecoded() throws {
    let node = try XMLNode.parse("<a b='x &lt; y'>caf&#233; &#x2713;<c/></a>")
    #expect(node.attributes["b"] == "x < y")
    #expect(node.text == "café ✓")
    #expect(node.children.map(\.name) == ["c"])
  }

  @Test(arguments: [
    ("<clientConfig>\n<emailProvider>\n</clientConfig>", "line 3: </clientConfig> closes <emailProvider>"),
    ("<!DOCTYPE x [<!ENTITY a \"b\">]><x/>", "line 1: DOCTYPE declarations are not accepted"),
    ("<a>&bogus;</a>", "line 1: unknown entity &bogus;"),
    ("<a>AT&T</a>", "line 1: a bare & (write &amp;)"),
    ("", "line 1: no root element"),
    ("<a/><b/>", "line 1: content after the root element"),
    (String(repeating: "<a>", count: 40), "line 1: elements nested deeper than 32"),
  ])
  func badDocumentsSayWhereAndWhat(text: String, message: String) {
    #expect(throws: XMLNode.ParseError.self) { try XMLNode.parse(text) }
    do {
      _ = try XMLNode.parse(text)
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func anEntryWithoutAKnownSocketTypeIsSkippedNotTakenAsPlain() throws {
    let text = """
      <clientConfig><emailProvider>
        <incomingServer type="imap"><hostname>a.example</hostname><port>143</port></incomingServer>
        <incomingServer type="imap"><hostname>b.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
        <incomingServer type="imap"><hostname>c.example</hostname><port>143</port><socketType>bogus</socketType></incomingServer>
      </emailProvider></clientConfig>
      """
    #expect(try Autoconfig.parse(text, domain: "x.example").servers.map(\.host) == ["b.example"])
  }

  @Test func aDocumentWithoutMailServersIsRefused() {
    #expect(throws: XMLNode.ParseError.self) {
      try Autoconfig.parse("<clientConfig><emailProvider/></clientConfig>", domain: "x.example")
    }
    #expect(throws: XMLNode.ParseError.self) { try Autoconfig.parse("<html/>", domain: "x.example") }
  }
}

/// Autoconfig fetched over HTTPS from the fixture server (autoconfig.auto.example and auto.example are
/// 127.0.0.1 in the fixture zone), and what discovery makes of it next to SRV.
@Suite("Autoconfig discovery (fixture DNS + HTTPS)", .serialized)
struct AutoconfigDiscoveryTests {
  func fetch(_ routes: [String: FixtureHTTPSServer.Route]) async throws -> (
    Autoconfig?, ProbeReport.AutoconfigReport
  ) {
    let pki = try TestPKI(leafName: "autoconfig.auto.example", otherNames: ["auto.example"])
    let server = try await FixtureHTTPSServer(
      routes: routes, chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation)
    var options = HTTPSFetcher.Options()
    options.port = server.port
    options.extraRoots = [pki.ca]
    options.useIPv6 = false
    options.timeout = .seconds(15)
    let (config, report, _) = await AutoconfigProbe.run(
      domain: "auto.example.", fetcher: HTTPSFetcher(resolver: try fixtureResolver(), options: options))
    await server.close()
    return (config, report)
  }

  @Test func theAutoconfigHostIsTriedFirstThenTheWellKnownPath() async throws {
    let (config, report) = try await fetch([
      "auto.example/.well-known/autoconfig/mail/config-v1.1.xml": .init(
        contentType: "text/xml", body: AutoconfigDocumentTests.thunderbirdStyle)
    ])
    #expect(
      report.attempts == [
        .init(url: "https://autoconfig.auto.example/mail/config-v1.1.xml", error: "HTTP 404"),
        .init(url: "https://auto.example/.well-known/autoconfig/mail/config-v1.1.xml", error: nil),
      ])
    #expect(config?.servers.count == 3)
    #expect(report.servers == config?.servers)
  }

  @Test func redirectsAndNonsenseAreNotFollowed() async throws {
    let (config, report) = try await fetch([
      "autoconfig.auto.example/mail/config-v1.1.xml": .init(
        status: 302, body: "", location: "http://evil.example/"),
      "auto.example/.well-known/autoconfig/mail/config-v1.1.xml": .init(body: "<html>hello</html>"),
    ])
    #expect(config == nil)
    #expect(
      report.attempts.map(\.error) == [
        "HTTP 302 redirect to http://evil.example/ not followed",
        "not a usable autoconfig document: line 1: the root element is <html>, not <clientConfig>",
      ])
  }

  @Test func srvAndAutoconfigDisagreeingIsShownAndPlainAdviceIsARisk() async throws {
    let config = try Autoconfig.parse(AutoconfigDocumentTests.thunderbirdStyle, domain: "auto.example")
    var options = ClientHopProbe.Options()
    options.ports = Dictionary(uniqueKeysWithValues: ClientService.allCases.map { ($0, 9) })
    options.useIPv6 = false
    let resolver = try fixtureResolver()
    let (submission, _) = await ClientHopProbe.run(
      .submission, domain: "auto.example.", resolver: resolver, autoconfig: config, options: options)
    #expect(submission.endpoints.map(\.sourceText) == ["SRV _submissions._tcp", "autoconfig"])
    #expect(submission.endpoints.map(\.port) == [9, 9])
    #expect(submission.endpoints.map(\.service.rawValue) == ["submissions", "submission"])
    #expect(
      submission.notes == [
        "sources disagree for smtp: SRV says smtp.auto.example:465 (implicit TLS); autoconfig says smtp.auto.example:587 (STARTTLS)"
      ])
    // The POP3 server could do STLS, but mail programs following this autoconfig would not use it.
    let pki = try TestPKI(leafName: "pop.auto.example")
    let pop3 = try await FixtureMailboxServer(
      .pop3STLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let pop3Port = pop3.port
    options.ports[.pop3] = pop3Port
    let (retrieval, _) = await ClientHopProbe.run(
      .retrieval, domain: "auto.example.", resolver: resolver, autoconfig: config, options: options)
    await pop3.close()
    #expect(retrieval.endpoints[1].starttls == true)
    #expect(
      retrieval.summary.contains("pop.auto.example:\(pop3Port) as autoconfig advertises it, without TLS"))
    #expect(retrieval.endpoints.map(\.service.rawValue) == ["imaps", "pop3"])
    #expect(
      retrieval.notes.contains(
        "autoconfig tells mail programs to use pop.auto.example:110 without TLS (socketType plain)"))
    #expect(retrieval.endpoints[1].rating == .insecure)
  }

  @Test func theSameServerFromTwoSourcesIsProbedOnce() {
    let srv = ClientHopProbe.Candidate(
      host: "imap.x.example.", port: 993, service: .imaps, sources: [.srv])
    let auto = ClientHopProbe.Candidate(
      host: "IMAP.x.example", port: 993, service: .imaps, sources: [.autoconfig])
    let merged = ClientHopProbe.merge([srv, auto])
    #expect(merged.count == 1)
    #expect(merged[0].sources == [.srv, .autoconfig])
    #expect(ClientHopProbe.disagreements(srv: [srv], autoconfig: [auto]).isEmpty)
  }

  @Test func aHugeListOfServersIsCutToTenPerService() {
    let many = (0..<50).map {
      ClientHopProbe.Candidate(
        host: "imap\($0).x.example.", port: 993, service: .imaps, sources: [.autoconfig])
    }
    #expect(
      ClientHopProbe.limited(ClientHopProbe.merge(many)).count == ClientHopProbe.maximumCandidatesPerService)
  }
}
