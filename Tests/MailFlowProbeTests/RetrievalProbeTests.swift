import Foundation
import MailFlowModel
import MailFlowReport
import MailFlowTestSupport
import Testing

@testable import MailFlowProbe

/// The retrieval hop (MS → MUA): IMAP and POP3 fixture servers standing in for 993/143/995/110, found
/// through SRV in the signed fixture zone (mail.example, with a DANE-EE record for the IMAPS target), in
/// the unsigned one (example.org), or as guesses (guess.example).
@Suite("Retrieval probe (IMAP, POP3)", .serialized)
struct RetrievalProbeTests {
  func options(_ ports: [ClientService: Int], trust pki: TestPKI? = nil) -> ClientHopProbe.Options {
    var options = ClientHopProbe.Options()
    options.timeout = .seconds(15)
    options.useIPv6 = false
    options.ports = Dictionary(uniqueKeysWithValues: ClientService.allCases.map { ($0, ports[$0] ?? 9) })
    if let pki { options.extraRoots = [pki.ca] }
    return options
  }

  func retrieval(_ domain: String, _ options: ClientHopProbe.Options) async throws -> ProbeReport.Hop {
    await ClientHopProbe.run(
      .retrieval, domain: domain, resolver: try fixtureResolver(), autoconfig: nil, options: options
    ).hop
  }

  @Test func imapsWithAMatchingTLSARecordIsSecureAndWeakerPathsAreNamed() async throws {
    let chain = try RelayProbeTests.leafChain
    let key = try RelayProbeTests.keyPEM
    let imaps = try await FixtureMailboxServer(.imaps(chain: chain, keyPEM: key))
    let imap = try await FixtureMailboxServer(.imapStartTLS(chain: chain, keyPEM: key, loginDisabled: true))
    let pop3s = try await FixtureMailboxServer(.pop3s(chain: chain, keyPEM: key))
    let pop3 = try await FixtureMailboxServer(.pop3Plain)
    let hop = try await retrieval(
      "mail.example.",
      options([.imaps: imaps.port, .imap: imap.port, .pop3s: pop3s.port, .pop3: pop3.port]))
    for server in [imaps, imap, pop3s, pop3] { await server.close() }

    #expect(hop.rating == .secure, "\(hop.summary)")
    #expect(hop.endpoints.map(\.service.rawValue) == ["imaps", "imap", "pop3s", "pop3"])
    #expect(
      hop.endpoints.map(\.sourceText) == [
        "SRV _imaps._tcp", "SRV _imap._tcp", "SRV _pop3s._tcp", "SRV _pop3._tcp",
      ])
    // The fixture certificate is not for imap.mail.example and its CA is not trusted: DANE makes it so.
    #expect(hop.endpoints[0].dane.status == .valid)
    #expect(hop.endpoints[0].tls?.pkixValid == false)
    // pop3s has no TLSA record and the same untrusted certificate.
    #expect(hop.endpoints.map(\.rating) == [.secure, .weak, .weak, .insecure])
    #expect(hop.endpoints[1].loginDisabled == true)
    #expect(hop.endpoints[1].extensions.contains("STARTTLS"))
    #expect(hop.endpoints[1].extensionsAfterTLS.contains("AUTH=PLAIN"))
    #expect(hop.endpoints[3].authBeforeTLS == ["USER", "SASL PLAIN"])
    #expect(hop.summary.contains("DANE TLSA"))
    #expect(hop.summary.contains("also advertised, and weaker"))
    #expect(hop.summary.contains("passwords would cross in clear"))
    // Never logs in: only capability, STARTTLS and goodbye commands are sent.
    let commands = hop.endpoints.flatMap(\.transcript).filter { $0.speaker == .client }.map(\.text)
    #expect(Set(commands) == ["a1 CAPABILITY", "a2 STARTTLS", "a3 CAPABILITY", "a4 LOGOUT", "CAPA", "QUIT"])
  }

  @Test(arguments: [
    (
      FixtureMailboxServer.Behaviour.imapPlain, ClientService.imap, Rating.insecure,
      "passwords would cross in clear"
    ),
    (.imapBrokenTLS, .imap, .insecure, "STARTTLS offered, but TLS handshake failed"),
    (.imapPreauth, .imap, .insecure, "PREAUTH greeting: the session is authenticated in cleartext"),
  ])
  func imapWithoutWorkingTLS(
    behaviour: FixtureMailboxServer.Behaviour, service: ClientService, expected: Rating, why: String
  )
    async throws
  {
    let server = try await FixtureMailboxServer(behaviour)
    var options = options([service: server.port])
    options.overrides["imap"] = ("imap.mail.example.", 143)
    let hop = try await retrieval("mail.example.", options)
    await server.close()
    #expect(hop.endpoints.map(\.sourceText) == ["command line"])
    #expect(hop.rating == expected, "\(hop.summary)")
    #expect(hop.summary.contains(why), "\(hop.summary)")
    if case .imapBrokenTLS = behaviour {
      #expect(
        hop.endpoints[0].error?.hasPrefix("TLS handshake failed") == true, "\(hop.endpoints[0].error ?? "")")
    }
  }

  @Test func imapStartTLSWithoutLoginDisabledIsWeakAndSaysSo() async throws {
    let pki = try TestPKI(leafName: "imap.mail.example")
    let server = try await FixtureMailboxServer(
      .imapStartTLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation, loginDisabled: false))
    var options = options([.imap: server.port], trust: pki)
    options.overrides["imap"] = ("imap.mail.example.", 143)
    let hop = try await retrieval("mail.example.", options)
    await server.close()
    #expect(hop.rating == .weak)
    #expect(hop.endpoints[0].loginDisabled == false)
    #expect(hop.summary.contains("LOGIN allowed before TLS"))
    #expect(hop.endpoints[0].tls?.pkixValid == true)
  }

  @Test func pop3WithSTLSIsWeak() async throws {
    let pki = try TestPKI(leafName: "pop.mail.example")
    let server = try await FixtureMailboxServer(
      .pop3STLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    var options = options([.pop3: server.port], trust: pki)
    options.overrides["pop3"] = ("pop.mail.example.", 110)
    let hop = try await retrieval("mail.example.", options)
    await server.close()
    #expect(hop.rating == .weak, "\(hop.summary)")
    #expect(hop.endpoints[0].starttls == true)
    #expect(hop.endpoints[0].authBeforeTLS == [])
    #expect(hop.endpoints[0].extensionsAfterTLS == ["USER", "SASL PLAIN"])
    #expect(hop.summary.contains("no password method before TLS"))
  }

  @Test func pop3WithoutCAPAIsAskedForSTLSAndItsPasswordMethodsAreUnknown() async throws {
    let pki = try TestPKI(leafName: "pop.mail.example")
    let server = try await FixtureMailboxServer(
      .pop3NoCAPA(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    var options = options([.pop3: server.port], trust: pki)
    options.overrides["pop3"] = ("pop.mail.example.", 110)
    let hop = try await retrieval("mail.example.", options)
    await server.close()
    #expect(hop.rating == .weak, "\(hop.summary)")
    #expect(hop.endpoints[0].authBeforeTLS == nil)
    #expect(hop.summary.contains("password methods before TLS unknown (no CAPA)"))
  }

  @Test func anUntrustedCertificateThroughUnsignedSRVIsWeak() async throws {
    let pki = try TestPKI(leafName: "imap.example.org")
    let server = try await FixtureMailboxServer(
      .imaps(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let hop = try await retrieval("example.org.", options([.imaps: server.port]))
    await server.close()
    // The zone is unsigned: its (wrong) TLSA record is not even looked up.
    #expect(hop.endpoints[0].dane.status == .none)
    #expect(hop.rating == .weak)
    #expect(hop.summary.contains("the certificate is not trusted"))
  }

  @Test func theCommonNamesAreTriedAsGuesses() async throws {
    let hop = try await retrieval("guess.example.", options([:]))
    #expect(
      hop.endpoints.map(\.host) == [
        "imap.guess.example.", "imap.guess.example.", "pop.guess.example.", "pop.guess.example.",
      ])
    #expect(hop.endpoints.allSatisfy { $0.sourceText == "guess" })
    #expect(hop.rating == .unknown)
    #expect(hop.endpoints[0].error?.contains("connection refused") == true)
  }

  @Test func aServiceDeclaredNotOfferedAndNothingElseIsNone() async throws {
    let hop = try await retrieval("dane.example.", options([:]))
    #expect(hop.rating == .none)
    #expect(hop.notes.contains { $0.contains("_imap._tcp says imap is not offered") })
    #expect(hop.summary.hasPrefix("no retrieval service found"))
  }

  @Test func nothingAtAllIsNoneWithWhatWasLookedFor() async throws {
    let hop = try await retrieval("nullmx.example.", options([:]))
    #expect(hop.rating == .none)
    #expect(hop.summary.contains("SRV _imaps/_imap/_pop3s/_pop3, autoconfig, imap./pop./mail."))
  }
}

@Suite("IMAP and POP3 replies")
struct MailboxReplyTests {
  @Test func imapGreetingCapabilitiesAndTaggedCompletion() throws {
    var assembler = IMAPResponseAssembler()
    let greeting = try #require(try assembler.feed("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready"))
    #expect(greeting.tag == nil)
    #expect(greeting.capabilities == ["IMAP4REV1", "STARTTLS"])
    #expect(try assembler.feed("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED") == nil)
    let done = try #require(try assembler.feed("a1 OK done"))
    #expect(done.tag == "a1")
    #expect(done.capabilities == ["IMAP4REV1", "STARTTLS", "LOGINDISABLED"])
  }

  @Test(arguments: ["HTTP/1.1 400 Bad Request", "220 smtp.example ESMTP", "* NO go away"])
  func imapGarbageIsNamed(line: String) {
    var assembler = IMAPResponseAssembler()
    #expect(throws: IMAPResponseAssembler.Failure.self) { try assembler.feed(line) }
  }

  @Test func pop3MultiLineOnlyWhenAskedAndDotUnstuffed() throws {
    var assembler = POP3ResponseAssembler()
    #expect(try assembler.feed("+OK ready")?.text == "ready")
    assembler.multiline = true
    #expect(try assembler.feed("+OK capa") == nil)
    #expect(try assembler.feed("STLS") == nil)
    #expect(try assembler.feed("..odd") == nil)
    let capa = try #require(try assembler.feed("."))
    #expect(capa.lines == ["STLS", ".odd"])
    assembler.multiline = true
    let refused = try #require(try assembler.feed("-ERR no CAPA"))
    #expect(!refused.ok)
    #expect(try assembler.feed("+OK next")?.ok == true)
    #expect(throws: POP3ResponseAssembler.Failure.self) { try assembler.feed("220 not pop3") }
  }

  @Test func pop3EndlessMultiLineAnswersAreCut() throws {
    var assembler = POP3ResponseAssembler()
    assembler.multiline = true
    _ = try assembler.feed("+OK")
    #expect(throws: POP3ResponseAssembler.Failure.self) {
      for _ in 0...POP3ResponseAssembler.maximumLines { _ = try assembler.feed("X") }
    }
  }

  @Test func floodsAreCutWithAReason() throws {
    var imap = IMAPResponseAssembler()
    _ = try imap.feed("* OK ready")
    #expect(throws: IMAPResponseAssembler.Failure.self) {
      for _ in 0...IMAPResponseAssembler.maximumUntagged { _ = try imap.feed("* FLOOD") }
    }
    var smtp = SMTPReplyParser()
    #expect(throws: SMTPReplyParser.Failure.tooManyLines(SMTPReplyParser.maximumLines)) {
      for _ in 0...SMTPReplyParser.maximumLines { _ = try smtp.feed("250-x") }
    }
  }
}
