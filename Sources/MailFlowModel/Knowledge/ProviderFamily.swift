/// A mail provider whose servers carry several registrable domains (`outlook.com`, `office365.com`,
/// `exchangelabs.com` are one Microsoft), so that the trace can tell a hop inside the provider from one
/// between organisations. Kept as data (`Assets/providers.json`) because providers add domains faster
/// than code changes.
public struct ProviderFamily: Sendable, Equatable, Identifiable {
  public var id: String
  public var name: String
  /// Lowercase names without a trailing dot; a host belongs to the family when it is one of them or
  /// a name below one.
  public var domains: [String]
  /// The provider's inbound (MX) hosts: a hop into one of them crossed between organisations even when
  /// the sender is the same provider's customer (mail between two tenants or two mailboxes).
  public var inbound: [String]

  public init(id: String, name: String, domains: [String], inbound: [String]) {
    self.id = id
    self.name = name
    self.domains = domains
    self.inbound = inbound
  }

  /// Whether `host` (lowercase, no trailing dot) is `domain` or a name below it.
  public static func host(_ host: String, isWithin domain: String) -> Bool {
    host == domain
      || (host.hasSuffix(domain) && host.utf8.dropLast(domain.utf8.count).last == UInt8(ascii: "."))
  }
}
