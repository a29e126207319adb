import MailFlowReport
import NIOCore
import NIOPosix
import NIOSSL

/// What one SMTP conversation with one server address showed. A probe never sends MAIL, RCPT or DATA.
public struct SMTPSessionResult: Sendable {
  public var host: String
  public var address: String
  public var port: Int
  public var connected = false
  public var banner: SMTPReply?
  public var ehlo: SMTPReply?
  public var starttlsOffered = false
  public var tls = TLSFacts()
  public var ehloAfterTLS: SMTPReply?
  /// Bytes followed the 220 to STARTTLS before TLS began (command injection, CVE-2011-0411 family).
  public var bytesAfterStartTLS = false
  /// A TLS handshake began and failed: the server refused what the client offered.
  public var tlsHandshakeFailed = false
  /// What went wrong, when something did.
  public var error: String?
  /// The connection never opened within the deadline.
  public var connectTimedOut = false
  public var transcript: [ProbeTranscriptLine] = []

  /// The evidence the relay rating reads.
  public var outcome: RelayEvidence.Endpoint.Outcome {
    if let banner, banner.code != 220 {
      return .refused("\(banner.code) \(banner.lines.joined(separator: " "))")
    }
    guard ehlo != nil else {
      if connected { return .incomplete(error ?? "no answer to EHLO") }
      return connectTimedOut ? .connectTimedOut(error ?? "timed out") : .unreachable(error ?? "no connection")
    }
    return .tested(starttls: starttlsOffered, tlsEstablished: tls.established)
  }

  public var tlsEstablished: Bool { tls.established }
  public var tlsVersion: String? { tls.version }
  public var cipher: String? { tls.cipher }
  public var chain: [[UInt8]] { tls.chain }
}

/// One SMTP conversation on SwiftNIO: banner, EHLO (HELO fallback), STARTTLS with SNI, the presented
/// chain recorded without judging it, EHLO again, QUIT. The whole dialogue has one deadline, so a server
/// that drips a byte at a time cannot stretch it.
public enum SMTPSession {
  public struct Options: Sendable {
    /// The name this client gives in EHLO.
    public var heloName = "mailflow.invalid"
    public var timeout: Duration = .seconds(10)
    /// TLS from the first byte (submissions on 465, RFC 8314) instead of STARTTLS.
    public var implicitTLS = false
    /// What TLS offers (a `--tls-versions` handshake offers less).
    public var offer = TLSOffer.any
    public init() {}
  }

  public static func probe(
    host: String, address: String, port: Int, options: Options = Options(),
    group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) async -> SMTPSessionResult {
    var result = SMTPSessionResult(host: host, address: address, port: port)
    let session: LineSession<SMTPReplyParser>
    switch await LineSession.connect(
      host: host, address: address, port: port, implicitTLS: options.implicitTLS, timeout: options.timeout,
      assembler: SMTPReplyParser(), offer: options.offer, group: group)
    {
    case .failure(let failure):
      result.error = failure.description
      result.connectTimedOut = failure.connectTimedOut
      return result
    case .success(let connected): session = connected
    }
    result.connected = true
    do {
      let banner = try await session.reply()
      result.banner = banner
      if options.implicitTLS { result.tls = try await session.implicitTLSFacts() }
      guard banner.code == 220 else {
        throw ProbeFailure("refused: \(banner.code) \(banner.lines.joined(separator: " "))")
      }
      var ehlo = try await session.send("EHLO \(options.heloName)")
      if !(200..<300).contains(ehlo.code) {
        ehlo = try await session.send("HELO \(options.heloName)")
      }
      guard (200..<300).contains(ehlo.code) else { throw ProbeFailure("EHLO and HELO refused: \(ehlo.code)") }
      result.ehlo = ehlo
      result.starttlsOffered = ehlo.extensions["STARTTLS"] != nil
      // Inside implicit TLS, STARTTLS means nothing (some servers advertise it anyway).
      if result.starttlsOffered && !options.implicitTLS {
        do {
          result.tls = try await session.startTLS(
            "STARTTLS", goAhead: { $0.code == 220 },
            refused: { "STARTTLS refused: \($0.code) \($0.lines.joined(separator: " "))" })
        } catch let failure as HandshakeFailure {
          result.tls = failure.facts
          throw failure
        }
        result.ehloAfterTLS = try await session.send("EHLO \(options.heloName)")
      }
      await session.sendLast("QUIT")
    } catch {
      result.error = "\(error)"
    }
    let ending = await session.finish()
    (result.transcript, result.bytesAfterStartTLS) = (ending.transcript, ending.bytesAfterStartTLS)
    result.tlsHandshakeFailed = ending.tlsHandshakeFailed
    return result
  }
}
