import Crypto
import Foundation
import MailFlowTestSupport
import NIOCore
import Testing

@testable import MailFlowProbe

@Suite("SMTP sessions against fixture servers", .serialized)
struct SMTPSessionTests {
  /// Generous, so that success cases do not race a loaded machine.
  var options: SMTPSession.Options {
    var options = SMTPSession.Options()
    options.timeout = .seconds(15)
    return options
  }

  /// Short, for the tests of the deadline itself.
  var quick: SMTPSession.Options {
    var options = SMTPSession.Options()
    options.timeout = .seconds(2)
    return options
  }

  @Test func starttlsWithAChainThatDANEMatches() async throws {
    let pki = try TestPKI(leafName: "mx.fixture.example")
    let server = try await FixtureSMTPServer(
      .starttls(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let result = await SMTPSession.probe(
      host: "mx.fixture.example.", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.error == nil, "\(result.error ?? "")")
    #expect(result.starttlsOffered)
    #expect(result.tlsEstablished)
    #expect(result.tlsVersion == "TLSv1.3")
    #expect(result.cipher?.hasPrefix("TLS_AES_") == true || result.cipher == "TLS_CHACHA20_POLY1305_SHA256")
    #expect(result.chain == (try pki.chain))
    #expect(result.ehloAfterTLS?.code == 250)
    #expect(result.outcome == .tested(starttls: true, tlsEstablished: true))
    #expect(result.transcript.map(\.text).contains("STARTTLS"))
    #expect(result.transcript.contains { $0.speaker == .tls })
    #expect(
      !result.transcript.map(\.text).contains { $0.hasPrefix("MAIL") || $0.hasPrefix("RCPT") || $0 == "DATA" }
    )
    let spki = DANEVerifier.subjectPublicKeyInfo(pki.leaf)!
    let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: Array(SHA256.hash(data: spki)))
    let dane = await DANEVerifier.verify(
      records: [record], chain: result.chain, names: ["mx.fixture.example"])
    #expect(dane.status == .valid)
  }

  @Test func implicitTLSFromTheFirstByte() async throws {
    let pki = try TestPKI(leafName: "smtp.fixture.example")
    let server = try await FixtureSMTPServer(
      .implicitTLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    var options = options
    options.implicitTLS = true
    let result = await SMTPSession.probe(
      host: "smtp.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.error == nil, "\(result.error ?? "")")
    #expect(result.tlsEstablished)
    #expect(result.banner?.code == 220)
    #expect(result.tlsVersion == "TLSv1.3")
    #expect(result.chain == (try pki.chain))
    #expect(result.ehlo?.extensions["AUTH"] == ["PLAIN", "LOGIN"])
    #expect(!result.starttlsOffered)
  }

  @Test func implicitTLSAgainstACleartextServerFailsAsTLS() async throws {
    let server = try await FixtureSMTPServer(.plain)
    var options = options
    options.implicitTLS = true
    let result = await SMTPSession.probe(
      host: "smtp.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(!result.tlsEstablished)
    #expect(result.error?.hasPrefix("TLS handshake failed") == true, "\(result.error ?? "nil")")
    // In words, never BoringSSL's text with its build path; that stays in the transcript.
    #expect(
      result.error
        == "TLS handshake failed: the server did not answer with TLS (its reply is not a TLS record)")
    #expect(result.error?.contains(".cc:") == false)
    #expect(result.transcript.contains { $0.text.hasPrefix("TLS library: ") })
  }

  @Test func noSTARTTLSIsEvidenceNotAnError() async throws {
    let server = try await FixtureSMTPServer(.plain)
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.error == nil)
    #expect(result.outcome == .tested(starttls: false, tlsEstablished: false))
    #expect(result.ehlo?.extensions["PIPELINING"] != nil)
  }

  @Test func aFailedHandshakeIsRecordedWithItsReason() async throws {
    let server = try await FixtureSMTPServer(.brokenTLS)
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.starttlsOffered)
    #expect(!result.tlsEstablished)
    #expect(result.outcome == .tested(starttls: true, tlsEstablished: false))
    #expect(result.error != nil)
  }

  @Test func a421BannerIsARefusalNotMissingSTARTTLS() async throws {
    let server = try await FixtureSMTPServer(.refuse421)
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.outcome == .refused("421 4.7.0 fixture too busy, try later"))
  }

  @Test(arguments: [FixtureSMTPServer.Behaviour.tarpit, .drip, .bannerThenSilence])
  func silentAndDrippingServersEndAtTheDeadline(behaviour: FixtureSMTPServer.Behaviour) async throws {
    let server = try await FixtureSMTPServer(behaviour)
    let clock = ContinuousClock()
    let start = clock.now
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: quick)
    let elapsed = clock.now - start
    await server.close()
    #expect(result.error?.contains("timed out") == true, "\(result.error ?? "nil")")
    #expect(elapsed < .seconds(4))
    // The connection opened: never "unreachable", which would blame a blocked port 25.
    if case .incomplete = result.outcome {
    } else {
      Issue.record("expected incomplete, got \(result.outcome)")
    }
    if case .bannerThenSilence = behaviour {
      // The banner was complete: no line is reported unfinished.
      #expect(result.error?.hasPrefix("timed out after the banner began") == true, "\(result.error ?? "nil")")
      #expect(!result.transcript.contains { $0.text.hasPrefix("unfinished line") })
    } else if case .drip = behaviour {
      #expect(result.error?.hasPrefix("timed out after the banner began") == true, "\(result.error ?? "nil")")
      #expect(
        result.transcript.contains { $0.text.hasPrefix("unfinished line when the time ran out: 220 fix") })
    } else {
      #expect(result.error?.hasPrefix("the connection opened, but the server sent nothing within") == true)
    }
  }

  @Test func anEndlessLineIsCutOffWithAReason() async throws {
    let server = try await FixtureSMTPServer(.endlessLine)
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.error == "the server sent a line longer than 4096 bytes", "\(result.error ?? "nil")")
  }

  /// 3.6 MB of EHLO reply: the dialogue completes, but only 64 KiB of it are kept, with a note.
  @Test func aFloodingServerKeepsABoundedTranscript() async throws {
    let server = try await FixtureSMTPServer(.floodEHLO)
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    let kept = result.transcript.reduce(0) { $0 + $1.text.utf8.count }
    #expect(kept <= 64 * 1024 + 200)
    #expect(result.transcript.last?.text.hasPrefix("(transcript cut at ") == true)
    #expect(result.ehlo?.lines.count == 902)  // the dialogue itself went on
    #expect(keywords(result.ehlo).count == 64)
    #expect(keywords(result.ehlo).allSatisfy { $0.count <= 513 })
  }

  @Test func dataAfterTheSTARTTLSReplyIsFlagged() async throws {
    let pki = try TestPKI(leafName: "mx.fixture.example")
    let server = try await FixtureSMTPServer(
      .injectAfterStartTLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.bytesAfterStartTLS)
    #expect(result.ehloAfterTLS?.lines.first == "fixture.example", "the injected line was taken as a reply")
  }

  @Test func extensionsAreRecordedBeforeAndAfterTLS() async throws {
    let pki = try TestPKI(leafName: "mx.fixture.example")
    let server = try await FixtureSMTPServer(
      .starttls(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.ehlo?.extensions.keys.sorted() == ["8BITMIME", "PIPELINING", "SIZE", "STARTTLS"])
    #expect(result.ehloAfterTLS?.extensions["SIZE"] == ["10240000"])
  }

  @Test func garbageIsEvidenceWithTheLine() async throws {
    let server = try await FixtureSMTPServer(.garbage)
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: server.port, options: options)
    await server.close()
    #expect(result.error?.contains("not an SMTP reply line") == true, "\(result.error ?? "nil")")
  }

  @Test func nothingListeningIsAConnectError() async throws {
    let result = await SMTPSession.probe(
      host: "mx.fixture.example", address: "127.0.0.1", port: 9, options: options)
    #expect(!result.connected)
    #expect(result.error?.hasPrefix("cannot connect to 127.0.0.1 port 9") == true)
  }
}

@Suite("Connection failures are read from NIO's types")
struct ConnectFailureTests {
  @Test func errnoAndTimeoutsNameTheFailure() {
    #expect(ConnectFailure(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == .refused)
    #expect(ConnectFailure(IOError(errnoCode: ETIMEDOUT, reason: "connect")) == .timedOut)
    #expect(ConnectFailure(IOError(errnoCode: EHOSTUNREACH, reason: "connect")) == .noRouteToHost)
    #expect(ConnectFailure(IOError(errnoCode: ENETUNREACH, reason: "connect")) == .networkUnreachable)
    #expect(ConnectFailure(ChannelError.connectTimeout(.seconds(1))) == .timedOut)
    #expect(ConnectFailure(ChannelError.connectTimeout(.seconds(1))).description == "connection timed out")
  }

  @Test func aMessageThatMerelyMentionsATimeoutIsNotOne() {
    struct Odd: Error, CustomStringConvertible {
      var description: String { "timeout of the widget: refused" }
    }
    #expect(ConnectFailure(Odd()) == .other("timeout of the widget: refused"))
  }
}
