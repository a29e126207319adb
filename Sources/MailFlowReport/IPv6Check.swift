import MailFlowModel

/// Whether a client endpoint can be reached over IPv6: its AAAA addresses and a TCP connection to the
/// first of them (the dialogue itself ran over the address a mail program tries first). MX hosts need
/// none: each of their addresses, IPv6 included, is probed as an endpoint of its own.
public struct IPv6Check: Sendable, Equatable, Codable {
  /// The host's IPv6 addresses (empty: no AAAA record).
  public var addresses: [String]
  /// `true` connected, `false` refused or timed out, `null` not tried or not testable from here.
  @NullEncodable public var reachable: Bool?
  /// Why not, in words: the connection's failure, or that this machine has no IPv6 route.
  @NullEncodable public var reason: String?

  public init(addresses: [String], reachable: Bool?, reason: String? = nil) {
    self.addresses = addresses
    self.reachable = reachable
    self.reason = reason
  }

  /// The failures that say nothing about the server: this machine cannot send IPv6 packets there.
  /// (The words are the probe's own, from its typed connection errors.)
  public static func isLocalLimitation(_ error: String) -> Bool {
    localLimitations.contains { error.contains($0) }
  }

  public static let localLimitations = [
    "network unreachable", "no route to host", "the address family is not available on this machine",
  ]
}
