import MailFlowProbe
import NIOCore
import NIOPosix
import NIOSSL

/// An SMTP server of our own on 127.0.0.1, for the cases real servers will not produce.
public final class FixtureSMTPServer: Sendable {
  public enum Behaviour: Sendable {
    /// STARTTLS offered and working with this chain and key.
    case starttls(chain: [[UInt8]], keyPEM: String)
    /// No STARTTLS in the EHLO reply (as after an attacker strips it).
    case plain
    /// STARTTLS offered, then the "handshake" is answered with plain text.
    case brokenTLS
    /// `421` banner and close.
    case refuse421
    /// Accepts the connection and never says anything.
    case tarpit
    /// Something that is not SMTP.
    case garbage
    /// Sends the banner one byte at a time, slowly.
    case drip
    /// A "banner" that never ends its line.
    case endlessLine
    /// An EHLO reply of 900 lines of 4000 bytes each (3.6 MB), under every per-reply limit.
    case floodEHLO
    /// A complete banner, then nothing: EHLO is never answered.
    case bannerThenSilence
    /// TLS from the first byte (submissions on 465), with this chain and key; EHLO offers AUTH.
    case implicitTLS(chain: [[UInt8]], keyPEM: String)
    /// Submission on 587: STARTTLS offered, AUTH PLAIN LOGIN advertised before TLS too (a risk).
    case submissionAuthInClear(chain: [[UInt8]], keyPEM: String)
    /// Like `starttls`, but sends an extra line right after its 220 to STARTTLS (command injection).
    case injectAfterStartTLS(chain: [[UInt8]], keyPEM: String)
    /// Like `starttls`, but its banner and an EHLO line carry `hostileText`: terminal escapes, a C1
    /// control, a bidi override and a byte that is not UTF-8.
    case hostile(chain: [[UInt8]], keyPEM: String)
  }

  /// What a hostile server puts in its replies to attack the terminal of whoever reads the output:
  /// OSC 0 (retitle) ended by BEL, CSI 2 J (clear) in its 7-bit and C1 forms, U+202E (right-to-left
  /// override) and an invalid byte.
  public static let hostileText: [UInt8] =
    Array("evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}txt".utf8) + [0xFF] + Array("end".utf8)

  let channel: Channel
  public var port: Int { channel.localAddress?.port ?? 0 }

  /// - Parameter bannerDelay: wait this long before the banner (a slow, far-away server).
  public init(
    _ behaviour: Behaviour, host: String = "127.0.0.1", port: Int = 0, bannerDelay: TimeAmount = .zero
  ) async throws {
    channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          if case .implicitTLS(let chain, let keyPEM) = behaviour {
            try channel.pipeline.syncOperations.addHandler(
              try FixtureHandler.tlsHandler(chain: chain, keyPEM: keyPEM))
          }
          try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
          try channel.pipeline.syncOperations.addHandler(FixtureHandler(behaviour, bannerDelay: bannerDelay))
        }
      }
      .bind(host: host, port: port).get()
  }

  public func close() async {
    try? await channel.close()
  }
}

private final class FixtureHandler: ChannelInboundHandler {
  typealias InboundIn = String
  typealias OutboundOut = ByteBuffer

  let behaviour: FixtureSMTPServer.Behaviour
  let bannerDelay: TimeAmount

  init(_ behaviour: FixtureSMTPServer.Behaviour, bannerDelay: TimeAmount) {
    self.behaviour = behaviour
    self.bannerDelay = bannerDelay
  }

  func send(_ context: ChannelHandlerContext, _ text: String) {
    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
  }

  func channelActive(context: ChannelHandlerContext) {
    switch behaviour {
    case .tarpit: break
    case .refuse421:
      let channel = context.channel
      channel.writeAndFlush(ByteBuffer(string: "421 4.7.0 fixture too busy, try later\r\n")).whenComplete {
        _ in
        channel.close(promise: nil)
      }
    case .garbage: send(context, "HTTP/1.1 400 Bad Request\r\n")
    case .hostile:
      let banner = Array("220 ".utf8) + FixtureSMTPServer.hostileText + Array(" ESMTP\r\n".utf8)
      context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: banner)), promise: nil)
    case .endlessLine: send(context, "220 " + String(repeating: "x", count: 10_000))
    case .drip:
      let bytes = Array("220 fixture ESMTP\r\n".utf8)
      let channel = context.channel
      for (i, byte) in bytes.enumerated() {
        context.eventLoop.scheduleTask(in: .milliseconds(Int64(200 * i))) {
          channel.writeAndFlush(ByteBuffer(bytes: [byte]), promise: nil)
        }
      }
    default:
      let channel = context.channel
      context.eventLoop.scheduleTask(in: bannerDelay) {
        channel.writeAndFlush(ByteBuffer(string: "220 fixture.example ESMTP ready\r\n"), promise: nil)
      }
    }
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let line = unwrapInboundIn(data)
    let command = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
    if case .bannerThenSilence = behaviour { return }
    switch command {
    case "EHLO":
      var reply = "250-fixture.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
      switch behaviour {
      case .plain: break
      case .implicitTLS: reply += "250-AUTH PLAIN LOGIN\r\n"
      case .submissionAuthInClear: reply += "250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n"
      case .floodEHLO:
        let line = "250-X-" + String(repeating: "f", count: 4000) + "\r\n"
        send(context, "250-fixture.example\r\n" + String(repeating: line, count: 900) + "250 8BITMIME\r\n")
        return
      case .hostile:
        let lines =
          Array("250-fixture.example\r\n250-X-".utf8) + FixtureSMTPServer.hostileText
          + Array("\r\n250-STARTTLS\r\n250 8BITMIME\r\n".utf8)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: lines)), promise: nil)
        return
      default: reply += "250-STARTTLS\r\n"
      }
      send(context, reply + "250 8BITMIME\r\n")
    case "STARTTLS":
      if case .injectAfterStartTLS = behaviour {
        send(context, "220 2.0.0 Ready to start TLS\r\n250 injected\r\n")
      } else {
        send(context, "220 2.0.0 Ready to start TLS\r\n")
      }
      switch behaviour {
      case .starttls(let chain, let keyPEM), .injectAfterStartTLS(let chain, let keyPEM),
        .submissionAuthInClear(let chain, let keyPEM), .hostile(let chain, let keyPEM):
        do {
          try context.pipeline.syncOperations.addHandler(
            try Self.tlsHandler(chain: chain, keyPEM: keyPEM), position: .first)
        } catch {
          context.close(promise: nil)
        }
      case .brokenTLS:
        send(context, "this is not a TLS handshake\r\n")
      default: break
      }
    case "QUIT":
      let channel = context.channel
      channel.writeAndFlush(ByteBuffer(string: "221 2.0.0 Bye\r\n")).whenComplete { _ in
        channel.close(promise: nil)
      }
    case "":
      break
    default:
      send(context, "502 5.5.2 not implemented in the fixture\r\n")
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }

  static func tlsHandler(chain: [[UInt8]], keyPEM: String) throws -> NIOSSLServerHandler {
    let certificates = try chain.map {
      NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: $0, format: .der))
    }
    let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
    let configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: certificates, privateKey: .privateKey(key))
    return NIOSSLServerHandler(context: try NIOSSLContext(configuration: configuration))
  }
}
