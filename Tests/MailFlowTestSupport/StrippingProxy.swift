import MailFlowProbe
import NIOCore
import NIOPosix

/// A man in the middle for tests: relays an SMTP dialogue between a client and a real server line by
/// line, rewriting the server's `250-STARTTLS` to `250-XXXXXXXA` — the seed's downgrade attack.
public final class StrippingProxy: Sendable {
  let channel: Channel
  public var port: Int { channel.localAddress?.port ?? 0 }

  public init(backendHost: String = "127.0.0.1", backendPort: Int) async throws {
    channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { client in
        ClientBootstrap(group: client.eventLoop)
          .channelInitializer { backend in
            backend.eventLoop.makeCompletedFuture {
              try backend.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
              try backend.pipeline.syncOperations.addHandler(Relay(peer: client, strip: true))
            }
          }
          .connect(host: backendHost, port: backendPort)
          .flatMap { backend in
            client.eventLoop.makeCompletedFuture {
              try client.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
              try client.pipeline.syncOperations.addHandler(Relay(peer: backend, strip: false))
            }
          }
      }
      .bind(host: "127.0.0.1", port: 0).get()
  }

  public func close() async {
    try? await channel.close()
  }
}

/// Forwards each line to the other side, stripping STARTTLS from server replies.
private final class Relay: ChannelInboundHandler {
  typealias InboundIn = String

  let peer: Channel
  let strip: Bool

  init(peer: Channel, strip: Bool) {
    self.peer = peer
    self.strip = strip
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var line = unwrapInboundIn(data)
    if strip && line.uppercased().hasSuffix("STARTTLS") && line.hasPrefix("250") {
      line = String(line.prefix(4)) + "XXXXXXXA"
    }
    peer.writeAndFlush(ByteBuffer(string: line + "\r\n"), promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    peer.close(promise: nil)
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }
}
