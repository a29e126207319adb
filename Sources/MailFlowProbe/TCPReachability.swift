import NIOCore
import NIOPosix

/// A TCP connection opened and closed at once: whether an address answers on a port at all, for the
/// IPv6 addresses of client endpoints whose dialogue ran over IPv4. It holds a connection slot like
/// every other connection.
enum TCPReachability {
  static func check(
    address: String, port: Int, timeout: Duration,
    group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) async -> ConnectFailure? {
    await ConnectionSlots.shared.acquire()
    defer { Task { await ConnectionSlots.shared.release() } }
    guard !Task.isCancelled else { return .other("cancelled before connecting") }
    do {
      let channel = try await ClientBootstrap(group: group)
        .connectTimeout(timeout.timeAmount)
        .connect(host: address, port: port).get()
      try? await channel.close()
      return nil
    } catch {
      return ConnectFailure(error)
    }
  }
}
