import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An HTTPS server of our own on 127.0.0.1 serving MTA-STS policies and autoconfig documents, keyed by
/// the request's Host (without port) and path, with a certificate from a test CA.
public final class FixtureHTTPSServer: Sendable {
  public struct Route: Sendable {
    public var status: Int
    public var contentType: String?
    public var body: String
    public var location: String?
    /// Send the body one byte at a time, this often (a server dripping its answer).
    public var drip: TimeAmount?

    public init(
      status: Int = 200, contentType: String? = "text/plain", body: String, location: String? = nil,
      drip: TimeAmount? = nil
    ) {
      self.status = status
      self.contentType = contentType
      self.body = body
      self.location = location
      self.drip = drip
    }
  }

  let channel: Channel
  public var port: Int { channel.localAddress?.port ?? 0 }

  /// - Parameter routes: `"host/path"` → what to answer; anything else is a 404.
  public init(routes: [String: Route], chain: [[UInt8]], keyPEM: String) async throws {
    let context = try FixtureTLS.context(chain: chain, keyPEM: keyPEM)
    channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
          try channel.pipeline.syncOperations.configureHTTPServerPipeline()
          try channel.pipeline.syncOperations.addHandler(RouteHandler(routes))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
  }

  public func close() async {
    try? await channel.close()
  }
}

private final class RouteHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let routes: [String: FixtureHTTPSServer.Route]
  var head: HTTPRequestHead?

  init(_ routes: [String: FixtureHTTPSServer.Route]) { self.routes = routes }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head): self.head = head
    case .body: break
    case .end:
      guard let head else { return }
      let host = head.headers.first(name: "Host").map { String($0.split(separator: ":").first ?? "") } ?? ""
      let route = routes["\(host)\(head.uri)"] ?? .init(status: 404, body: "not found\n")
      var headers = HTTPHeaders()
      if let type = route.contentType { headers.add(name: "Content-Type", value: type) }
      if let location = route.location { headers.add(name: "Location", value: location) }
      headers.add(name: "Content-Length", value: "\(route.body.utf8.count)")
      headers.add(name: "Connection", value: "close")
      context.write(
        wrapOutboundOut(
          .head(
            HTTPResponseHead(version: .http1_1, status: .init(statusCode: route.status), headers: headers))),
        promise: nil)
      let channel = context.channel
      if let drip = route.drip {
        context.flush()
        for (index, byte) in route.body.utf8.enumerated() {
          context.eventLoop.scheduleTask(in: drip * Int64(index + 1)) {
            channel.writeAndFlush(
              HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: [byte]))), promise: nil)
          }
        }
        return
      }
      context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: route.body)))), promise: nil)
      context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }
}
