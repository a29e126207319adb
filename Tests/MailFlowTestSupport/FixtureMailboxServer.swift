import MailFlowProbe
import NIOCore
import NIOPosix
import NIOSSL

/// IMAP and POP3 servers of our own on 127.0.0.1, for every case the retrieval rating distinguishes.
public final class FixtureMailboxServer: Sendable {
  public enum Behaviour: Sendable {
    /// IMAP on 143: STARTTLS offered; LOGINDISABLED before TLS when `loginDisabled`.
    case imapStartTLS(chain: [[UInt8]], keyPEM: String, loginDisabled: Bool)
    /// IMAP without STARTTLS, LOGIN and AUTH=PLAIN in cleartext.
    case imapPlain
    /// IMAP STARTTLS offered, then the handshake is refused with a fatal alert.
    case imapBrokenTLS
    /// IMAPS on 993: TLS from the first byte.
    case imaps(chain: [[UInt8]], keyPEM: String)
    /// POP3 on 110 with STLS (and USER, only after TLS).
    case pop3STLS(chain: [[UInt8]], keyPEM: String)
    /// POP3 without STLS, USER in cleartext.
    case pop3Plain
    /// POP3 that knows no CAPA (RFC 1939 only) but does STLS.
    case pop3NoCAPA(chain: [[UInt8]], keyPEM: String)
    /// IMAP greeting with PREAUTH: authenticated in cleartext from the start.
    case imapPreauth
    /// POP3S on 995.
    case pop3s(chain: [[UInt8]], keyPEM: String)
  }

  let channel: Channel
  public var port: Int { channel.localAddress?.port ?? 0 }

  public init(_ behaviour: Behaviour, host: String = "127.0.0.1") async throws {
    channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          switch behaviour {
          case .imaps(let chain, let keyPEM), .pop3s(let chain, let keyPEM):
            try channel.pipeline.syncOperations.addHandler(
              try FixtureTLS.serverHandler(chain: chain, keyPEM: keyPEM))
          default: break
          }
          try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
          try channel.pipeline.syncOperations.addHandler(MailboxHandler(behaviour))
        }
      }
      .bind(host: host, port: 0).get()
  }

  public func close() async {
    try? await channel.close()
  }
}

/// TLS for the fixture servers.
enum FixtureTLS {
  static func serverHandler(chain: [[UInt8]], keyPEM: String) throws -> NIOSSLServerHandler {
    NIOSSLServerHandler(context: try context(chain: chain, keyPEM: keyPEM))
  }

  static func context(chain: [[UInt8]], keyPEM: String) throws -> NIOSSLContext {
    let certificates = try chain.map {
      NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: $0, format: .der))
    }
    let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
    return try NIOSSLContext(
      configuration: TLSConfiguration.makeServerConfiguration(
        certificateChain: certificates, privateKey: .privateKey(key)))
  }
}

private final class MailboxHandler: ChannelInboundHandler {
  typealias InboundIn = String
  typealias OutboundOut = ByteBuffer

  let behaviour: FixtureMailboxServer.Behaviour
  var inTLS = false
  /// After a refused handshake the client's bytes are TLS, not commands: nothing more is answered.
  var silent = false

  init(_ behaviour: FixtureMailboxServer.Behaviour) {
    self.behaviour = behaviour
    if case .imaps = behaviour { inTLS = true }
    if case .pop3s = behaviour { inTLS = true }
  }

  var isIMAP: Bool {
    switch behaviour {
    case .imapStartTLS, .imapPlain, .imapBrokenTLS, .imaps, .imapPreauth: true
    default: false
    }
  }

  func send(_ context: ChannelHandlerContext, _ text: String) {
    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
  }

  func channelActive(context: ChannelHandlerContext) {
    if case .imapPreauth = behaviour {
      send(context, "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] logged in as you already\r\n")
    } else {
      send(
        context, isIMAP ? "* OK [CAPABILITY IMAP4rev1] fixture IMAP ready\r\n" : "+OK fixture POP3 ready\r\n")
    }
    context.fireChannelActive()
  }

  func imapCapabilities() -> String {
    switch behaviour {
    case .imapStartTLS(_, _, let loginDisabled):
      inTLS ? "IMAP4rev1 AUTH=PLAIN" : "IMAP4rev1 STARTTLS" + (loginDisabled ? " LOGINDISABLED" : "")
    case .imapBrokenTLS: "IMAP4rev1 STARTTLS"
    case .imapPlain: "IMAP4rev1 AUTH=PLAIN"
    default: "IMAP4rev1 AUTH=PLAIN"
    }
  }

  func pop3Capabilities() -> [String] {
    switch behaviour {
    case .pop3STLS: inTLS ? ["USER", "SASL PLAIN"] : ["STLS", "PIPELINING"]
    default: ["USER", "SASL PLAIN", "TOP"]
    }
  }

  func startTLS(_ context: ChannelHandlerContext, chain: [[UInt8]], keyPEM: String) {
    do {
      try context.pipeline.syncOperations.addHandler(
        try FixtureTLS.serverHandler(chain: chain, keyPEM: keyPEM), position: .first)
      inTLS = true
    } catch {
      context.close(promise: nil)
    }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let line = unwrapInboundIn(data)
    if silent { return }
    if isIMAP {
      let words = line.split(separator: " ").map(String.init)
      guard words.count >= 2 else { return send(context, "* BAD what?\r\n") }
      let tag = words[0]
      switch words[1].uppercased() {
      case "CAPABILITY":
        send(context, "* CAPABILITY \(imapCapabilities())\r\n\(tag) OK CAPABILITY completed\r\n")
      case "STARTTLS":
        switch behaviour {
        case .imapStartTLS(let chain, let keyPEM, _):
          send(context, "\(tag) OK Begin TLS negotiation now\r\n")
          startTLS(context, chain: chain, keyPEM: keyPEM)
        case .imapBrokenTLS:
          send(context, "\(tag) OK Begin TLS negotiation now\r\n")
          silent = true
          // As a server without a usable certificate does: a fatal handshake_failure alert.
          let channel = context.channel
          context.eventLoop.scheduleTask(in: .milliseconds(50)) {
            channel.writeAndFlush(
              ByteBuffer(bytes: [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]), promise: nil)
          }
        default: send(context, "\(tag) BAD STARTTLS not available\r\n")
        }
      case "LOGOUT":
        let channel = context.channel
        channel.writeAndFlush(
          ByteBuffer(string: "* BYE fixture logging out\r\n\(tag) OK LOGOUT completed\r\n")
        )
        .whenComplete { _ in channel.close(promise: nil) }
      default: send(context, "\(tag) BAD not in the fixture\r\n")
      }
      return
    }
    switch line.uppercased() {
    case "CAPA":
      if case .pop3NoCAPA = behaviour { return send(context, "-ERR unknown command\r\n") }
      send(context, "+OK capabilities follow\r\n" + pop3Capabilities().map { $0 + "\r\n" }.joined() + ".\r\n")
    case "STLS":
      switch behaviour {
      case .pop3STLS(let chain, let keyPEM) where !inTLS, .pop3NoCAPA(let chain, let keyPEM) where !inTLS:
        send(context, "+OK begin TLS\r\n")
        startTLS(context, chain: chain, keyPEM: keyPEM)
        return
      default: break
      }
      send(context, "-ERR STLS not available\r\n")
    case "QUIT":
      let channel = context.channel
      channel.writeAndFlush(ByteBuffer(string: "+OK bye\r\n")).whenComplete { _ in channel.close(promise: nil)
      }
    default: send(context, "-ERR not in the fixture\r\n")
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }
}
