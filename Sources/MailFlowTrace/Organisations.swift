import MailFlowModel

/// Who runs each end of a Received hop, so that the trace can see where a message passed from one
/// organisation to another — the hops that crossed the internet, which alone are rated by their TLS.
/// An end belongs to a provider family (`Assets/providers.json`: Microsoft's outlook.com, office365.com
/// and exchangelabs.com are one), else to its organisational domain by the Public Suffix List, else —
/// when the list is not installed — to its last two labels (three under a few well-known two-label
/// suffixes), which the notes then say.
public struct Organisations: Sendable {
  /// The organisation an end of a hop belongs to.
  public enum Owner: Sendable, Equatable, CustomStringConvertible {
    case provider(id: String, name: String)
    case domain(String)

    public var description: String {
      switch self {
      case .provider(_, let name): name
      case .domain(let domain): domain
      }
    }
  }

  /// Families by each of their domains, for a lookup per suffix of a host name.
  private let familyByDomain: [String: ProviderFamily]
  private let inboundByDomain: [String: ProviderFamily]
  private let suffixes: PublicSuffixList?

  public init(providers: [ProviderFamily] = [], suffixes: PublicSuffixList? = nil) {
    var families: [String: ProviderFamily] = [:]
    var inbound: [String: ProviderFamily] = [:]
    for family in providers {
      for domain in family.domains { families[domain] = family }
      for host in family.inbound { inbound[host] = family }
    }
    familyByDomain = families
    inboundByDomain = inbound
    self.suffixes = suffixes
  }

  /// No provider families and no suffix list: organisations by the last labels of names alone.
  public static let plain = Organisations()

  /// Whether organisational domains come from the Public Suffix List (else from the last labels).
  public var usesPublicSuffixList: Bool { suffixes != nil }

  /// The owner of a host name; `nil` for address literals, single labels and public suffixes.
  public func owner(of host: String?) -> Owner? {
    guard let name = Self.normalised(host) else { return nil }
    if let family = Self.match(name, in: familyByDomain) {
      return .provider(id: family.id, name: family.name)
    }
    return organisationalDomain(name).map(Owner.domain)
  }

  /// The provider family whose inbound (MX) hosts include `host`.
  public func inboundFamily(of host: String?) -> ProviderFamily? {
    Self.normalised(host).flatMap { Self.match($0, in: inboundByDomain) }
  }

  /// The registrable domain of a host name (`mx1.mail.example.co.uk` → `example.co.uk`).
  public func organisationalDomain(_ host: String?) -> String? {
    guard let name = Self.normalised(host) else { return nil }
    if let suffixes { return suffixes.organizationalDomain(of: name) }
    return Self.lastLabels(name)
  }

  /// Lowercase, without a trailing dot or empty labels; `nil` for literals and single labels.
  static func normalised(_ host: String?) -> String? {
    guard let host, host.utf8.first != 91, !ReceivedParser.isIPAddress(host) else { return nil }
    let name = PublicSuffixList.canonical(host)
    return name.utf8.contains(46) ? name : nil
  }

  /// The entry for the name itself or the nearest domain above it.
  private static func match(_ name: String, in table: [String: ProviderFamily]) -> ProviderFamily? {
    guard !table.isEmpty else { return nil }
    let utf8 = name.utf8
    var start = utf8.startIndex
    while true {
      if let family = table[String(name[start...])] { return family }
      guard let dot = utf8[start...].firstIndex(of: 46) else { return nil }
      start = utf8.index(after: dot)
    }
  }

  static let twoLevelSuffixes: Set<String> = [
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.jp", "ne.jp", "or.jp", "com.br",
    "co.nz", "co.za", "com.cn", "com.mx", "co.in", "com.tr", "co.kr",
  ]

  /// Without the Public Suffix List: the last two labels, or three under a well-known two-label suffix.
  static func lastLabels(_ name: String) -> String? {
    let labels = name.split(separator: ".")
    guard labels.count >= 2 else { return nil }
    let lastTwo = labels.suffix(2).joined(separator: ".")
    if twoLevelSuffixes.contains(lastTwo) {
      return labels.count >= 3 ? labels.suffix(3).joined(separator: ".") : nil
    }
    return lastTwo
  }
}
