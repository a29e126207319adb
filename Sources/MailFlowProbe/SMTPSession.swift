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
  public var tlsEstablished = false
  public var tlsVersion: String?
  /// The negotiated cipher suite's IANA name, read from the ServerHello.
  public var cipher: String?
  /// The certificates the server presented, DER, leaf first.
  public var chain: [[UInt8]] = []
  public var ehloAfterTLS: SMTPReply?
  /// Bytes followed the 220 to STARTTLS before TLS began (command injection, CVE-2011-0411 family).
  public var bytesAfterStartTLS = false
  /// What went wrong, when something did.
  public var error: String?
  public var transcript: [ProbeTranscriptLine] = []

  /// The evidence the relay rating reads.
  public var outcome: RelayEvidence.Endpoint.Outcome {
    if let banner, banner.code != 220 {
      return .refused("\(banner.code) \(banner.lines.joined(separator: " "))")
    }
    guard ehlo != nil else { return .unreachable(error ?? "no answer to EHLO") }
    return .tested(starttls: starttlsOffered, tlsEstablished: tlsEstablished)
  }
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
    public init() {}
  }

  public static func probe(
    host: String, address: String, port: Int, options: Options = Options(),
    group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) async -> SMTPSessionResult {
    var result = SMTPSessionResult(host: host, address: address, port: port)
    let handler = SMTPClientHandler()
    handler.implicitTLS = options.implicitTLS
    let chainBox = ChainBox()
    let channel: Channel
    do {
      channel = try await ClientBootstrap(group: group)
        .connectTimeout(options.timeout.timeAmount)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            if options.implicitTLS {
              try channel.pipeline.syncOperations.addHandler(handler.serverHello)
              try channel.pipeline.syncOperations.addHandler(
                try makeTLSHandler(host: host, chainBox: chainBox))
            }
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
            try channel.pipeline.syncOperations.addHandler(handler)
          }
        }
        .connect(host: address, port: port).get()
    } catch {
      result.error = "cannot connect to \(address) port \(port): \(describeConnectError(error))"
      return result
    }
    result.connected = true
    let deadline = channel.eventLoop.scheduleTask(in: options.timeout.timeAmount) {
      handler.fail("no complete dialogue within \(options.timeout) (timed out)", context: nil)
      channel.close(promise: nil)
    }

    func reply() async throws -> SMTPReply {
      try await channel.eventLoop.flatSubmit { handler.nextReply(on: channel.eventLoop) }.get()
    }
    func send(_ command: String) async throws -> SMTPReply {
      try await channel.eventLoop.submit { handler.record(ProbeTranscriptLine(.client, command)) }.get()
      try await channel.writeAndFlush(ByteBuffer(string: command + "\r\n"))
      return try await reply()
    }

    do {
      let banner = try await reply()
      result.banner = banner
      if options.implicitTLS {
        try await recordTLS(channel: channel, handler: handler, chainBox: chainBox, result: &result)
      }
      guard banner.code == 220 else {
        throw ProbeFailure("refused: \(banner.code) \(banner.lines.joined(separator: " "))")
      }
      var ehlo = try await send("EHLO \(options.heloName)")
      if !(200..<300).contains(ehlo.code) {
        ehlo = try await send("HELO \(options.heloName)")
      }
      guard (200..<300).contains(ehlo.code) else { throw ProbeFailure("EHLO and HELO refused: \(ehlo.code)") }
      result.ehlo = ehlo
      result.starttlsOffered = ehlo.extensions["STARTTLS"] != nil
      if result.starttlsOffered {
        try await startTLS(channel: channel, handler: handler, host: host, result: &result, send: send)
        result.ehloAfterTLS = try await send("EHLO \(options.heloName)")
      }
      _ = try? await send("QUIT")
    } catch {
      result.error = "\(error)"
    }
    deadline.cancel()
    try? await channel.close()
    if let (transcript, injected) = try? await channel.eventLoop.submit({
      (handler.transcript, handler.bytesAfterStartTLS)
    }).get() {
      result.transcript = transcript
      result.bytesAfterStartTLS = injected
    }
    return result
  }

  private static func startTLS(
    channel: Channel, handler: SMTPClientHandler, host: String, result: inout SMTPSessionResult,
    send: (String) async throws -> SMTPReply
  ) async throws {
    let chainBox = ChainBox()
    try await channel.eventLoop.submit {
      handler.prepareUpgrade { try makeTLSHandler(host: host, chainBox: chainBox) }
    }.get()
    let reply = try await send("STARTTLS")
    guard reply.code == 220 else {
      throw ProbeFailure("STARTTLS refused: \(reply.code) \(reply.lines.joined(separator: " "))")
    }
    do {
      try await channel.eventLoop.flatSubmit { handler.handshakeDone(on: channel.eventLoop) }.get()
    } catch {
      result.chain = try await channel.eventLoop.submit { chainBox.chain }.get()
      throw error
    }
    try await recordTLS(channel: channel, handler: handler, chainBox: chainBox, result: &result)
  }

  /// A client TLS handler that accepts any chain and records it: judging it (PKIX, names, DANE) is the
  /// report's job, and a probe must see an untrusted certificate rather than fail on it.
  static func makeTLSHandler(host: String, chainBox: ChainBox) throws -> NIOSSLClientHandler {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .noHostnameVerification
    configuration.minimumTLSVersion = .tlsv1
    let context = try NIOSSLContext(configuration: configuration)
    let serverName = host.hasSuffix(".") ? String(host.dropLast()) : host
    return try NIOSSLClientHandler(context: context, serverHostname: serverName) { certificates, promise in
      chainBox.chain = certificates.compactMap { try? $0.toDERBytes() }
      promise.succeed(.certificateVerified)
    }
  }

  /// What the established TLS session is: version, cipher, chain.
  static func recordTLS(
    channel: Channel, handler: SMTPClientHandler, chainBox: ChainBox, result: inout SMTPSessionResult
  ) async throws {
    result.tlsEstablished = try await channel.eventLoop.submit { handler.inTLS }.get()
    result.chain = try await channel.eventLoop.submit { chainBox.chain }.get()
    result.tlsVersion = try await channel.nioSSL_tlsVersion().get().map(describe)
    result.cipher = try await channel.eventLoop.submit { handler.serverHello.hello?.cipherName }.get()
  }

  static func describe(_ version: TLSVersion) -> String {
    switch version {
    case .tlsv1: "TLSv1.0"
    case .tlsv11: "TLSv1.1"
    case .tlsv12: "TLSv1.2"
    case .tlsv13: "TLSv1.3"
    }
  }
}

/// The chain captured by the verification callback (event loop only).
final class ChainBox: @unchecked Sendable {
  var chain: [[UInt8]] = []
}

extension Duration {
  /// The same span as NIO's TimeAmount.
  var timeAmount: TimeAmount {
    .nanoseconds(Int64(components.seconds) * 1_000_000_000 + Int64(components.attoseconds / 1_000_000_000))
  }
}

/// NIO's connection errors in a few words for the report.
func describeConnectError(_ error: any Error) -> String {
  let text = "\(error)"
  if text.contains("Connection refused") { return "connection refused" }
  if text.lowercased().contains("timeout") || text.contains("timed out") { return "connection timed out" }
  if text.contains("Network is unreachable") { return "network unreachable" }
  if text.contains("No route to host") { return "no route to host" }
  return text
}
