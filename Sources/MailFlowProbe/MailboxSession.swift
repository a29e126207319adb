import MailFlowReport
import NIOCore
import NIOPosix

/// What one IMAP or POP3 conversation with one server address showed. A probe never logs in: it asks for
/// the capabilities, starts TLS where offered, asks again, and says goodbye.
public struct MailboxSessionResult: Sendable {
  public enum Kind: String, Sendable {
    case imap, pop3
  }

  public var host: String
  public var address: String
  public var port: Int
  public var kind: Kind
  public var implicitTLS: Bool
  public var connected = false
  public var greeting: String?
  /// Before TLS (or, with implicit TLS, inside it); `nil` when the server never answered.
  public var capabilities: [String]?
  public var starttlsOffered = false
  /// IMAP `LOGINDISABLED` before TLS (RFC 9051 §6.2.3): the server refuses passwords in cleartext.
  public var loginDisabled = false
  /// IMAP `PREAUTH` greeting without TLS: already authenticated in cleartext, STARTTLS impossible.
  public var preauthenticated = false
  /// POP3 without CAPA (RFC 2449): which password methods exist before TLS is not known.
  public var capabilitiesUnknown = false
  public var tls = TLSFacts()
  public var capabilitiesAfterTLS: [String] = []
  public var bytesAfterStartTLS = false
  /// A TLS handshake began and failed: the server refused what the client offered.
  public var tlsHandshakeFailed = false
  public var error: String?
  public var transcript: [ProbeTranscriptLine] = []

  /// The ways to send a password before TLS that the server announced: IMAP `LOGIN` (unless
  /// LOGINDISABLED) and `AUTH=` mechanisms, POP3 `USER` and `SASL` mechanisms.
  public var passwordMethodsBeforeTLS: [String] {
    guard !implicitTLS, let capabilities else { return [] }
    switch kind {
    case .imap:
      // LOGINDISABLED disables the LOGIN command only (RFC 9051 §6.2.3); SASL mechanisms stay offered.
      return (loginDisabled ? [] : ["LOGIN"]) + capabilities.filter { $0.hasPrefix("AUTH=") }
    case .pop3:
      guard !capabilitiesUnknown else { return [] }
      var methods = capabilities.contains("USER") ? ["USER"] : []
      for line in capabilities where line.hasPrefix("SASL ") {
        methods += line.split(separator: " ").dropFirst().map { "SASL \($0)" }
      }
      return methods
    }
  }
}

/// IMAP (143 with STARTTLS, 993 with implicit TLS) and POP3 (110 with STLS, 995) probe sessions on
/// SwiftNIO: CAPABILITY/CAPA, STARTTLS/STLS, LOGOUT/QUIT — never LOGIN, USER or AUTHENTICATE.
public enum MailboxSession {
  public static func probe(
    _ kind: MailboxSessionResult.Kind, host: String, address: String, port: Int, implicitTLS: Bool,
    timeout: Duration, offer: TLSOffer = .any, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) async -> MailboxSessionResult {
    var result = MailboxSessionResult(
      host: host, address: address, port: port, kind: kind, implicitTLS: implicitTLS)
    switch kind {
    case .imap:
      switch await LineSession.connect(
        host: host, address: address, port: port, implicitTLS: implicitTLS, timeout: timeout,
        assembler: IMAPResponseAssembler(), offer: offer, group: group)
      {
      case .failure(let failure): result.error = failure.description
      case .success(let session):
        result.connected = true
        await imap(session, &result)
      }
    case .pop3:
      switch await LineSession.connect(
        host: host, address: address, port: port, implicitTLS: implicitTLS, timeout: timeout,
        assembler: POP3ResponseAssembler(), offer: offer, group: group)
      {
      case .failure(let failure): result.error = failure.description
      case .success(let session):
        result.connected = true
        await pop3(session, &result)
      }
    }
    return result
  }

  private static func imap(
    _ session: LineSession<IMAPResponseAssembler>, _ result: inout MailboxSessionResult
  )
    async
  {
    do {
      let greeting = try await session.reply()
      result.greeting = "\(greeting.status) \(greeting.text)"
      if result.implicitTLS { result.tls = try await session.implicitTLSFacts() }
      guard greeting.status != "BYE" else { throw ProbeFailure("refused: * BYE \(greeting.text)") }
      if greeting.status == "PREAUTH" && !result.implicitTLS {
        result.preauthenticated = true
      }
      let capability = try await session.send("a1 CAPABILITY")
      let capabilities = capability.capabilities ?? greeting.capabilities ?? []
      result.capabilities = capabilities
      result.starttlsOffered = capabilities.contains("STARTTLS")
      result.loginDisabled = capabilities.contains("LOGINDISABLED")
      if result.preauthenticated {
        // Authenticated in cleartext from the first line; STARTTLS is not allowed in that state.
        result.starttlsOffered = false
        throw ProbeFailure(
          "PREAUTH greeting: the session is authenticated in cleartext, so STARTTLS is impossible (RFC 9051 §6.2.1)"
        )
      }
      if result.starttlsOffered && !result.implicitTLS {
        do {
          result.tls = try await session.startTLS(
            "a2 STARTTLS", goAhead: { $0.tag == "a2" && $0.status == "OK" },
            refused: { "STARTTLS refused: \($0.status) \($0.text)" })
        } catch let failure as HandshakeFailure {
          result.tls = failure.facts
          throw failure
        }
        result.capabilitiesAfterTLS = try await session.send("a3 CAPABILITY").capabilities ?? []
      }
      await session.sendLast("a4 LOGOUT")
    } catch {
      result.error = "\(error)"
    }
    let ending = await session.finish()
    (result.transcript, result.bytesAfterStartTLS) = (ending.transcript, ending.bytesAfterStartTLS)
    result.tlsHandshakeFailed = ending.tlsHandshakeFailed
  }

  private static func pop3(
    _ session: LineSession<POP3ResponseAssembler>, _ result: inout MailboxSessionResult
  )
    async
  {
    do {
      let greeting = try await session.reply()
      result.greeting = (greeting.ok ? "+OK " : "-ERR ") + greeting.text
      if result.implicitTLS { result.tls = try await session.implicitTLSFacts() }
      guard greeting.ok else { throw ProbeFailure("refused: -ERR \(greeting.text)") }
      try await session.configure { $0.multiline = true }
      let capa = try await session.send("CAPA")
      let capabilities = capa.ok ? capa.lines.map { $0.uppercased() } : []
      result.capabilities = capabilities
      result.capabilitiesUnknown = !capa.ok
      result.starttlsOffered = capabilities.contains("STLS")
      // A server without CAPA (RFC 2449) may still know STLS (RFC 2595): ask, as mail programs do.
      let tryStartTLS = capabilities.contains("STLS") || !capa.ok
      if tryStartTLS && !result.implicitTLS {
        do {
          result.tls = try await session.startTLS(
            "STLS", goAhead: { $0.ok }, refused: { "STLS refused: -ERR \($0.text)" })
          result.starttlsOffered = true
        } catch let failure as HandshakeFailure {
          result.starttlsOffered = true
          result.tls = failure.facts
          throw failure
        } catch let failure as ProbeFailure where !capa.ok && failure.upgradeRefused {
          // Not announced and not supported: a server without STLS, which is what the capabilities say.
        }
        if result.tls.established {
          try await session.configure { $0.multiline = true }
          let after = try await session.send("CAPA")
          result.capabilitiesAfterTLS = after.ok ? after.lines.map { $0.uppercased() } : []
        }
      }
      await session.sendLast("QUIT")
    } catch {
      result.error = "\(error)"
    }
    let ending = await session.finish()
    (result.transcript, result.bytesAfterStartTLS) = (ending.transcript, ending.bytesAfterStartTLS)
    result.tlsHandshakeFailed = ending.tlsHandshakeFailed
  }
}
