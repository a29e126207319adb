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

  /// A name's entry in a table of provider domains: the family it belongs to, and whether a longer
  /// domain of the table ends with it, so that a lookup walks up from the last label and stops at the
  /// first tail no domain ends with (most names: at their top-level domain, one hash).
  private struct DomainEntry: Sendable {
    var family: ProviderFamily?
    var parent = false
  }

  private let familyByDomain: [String: DomainEntry]
  private let inboundByDomain: [String: DomainEntry]
  private let suffixes: PublicSuffixList?

  public init(providers: [ProviderFamily] = [], suffixes: PublicSuffixList? = nil) {
    var families: [String: DomainEntry] = [:]
    var inbound: [String: DomainEntry] = [:]
    for family in providers {
      for domain in family.domains { Self.add(domain, family, to: &families) }
      for host in family.inbound { Self.add(host, family, to: &inbound) }
    }
    familyByDomain = families
    inboundByDomain = inbound
    self.suffixes = suffixes
  }

  private static func add(_ domain: String, _ family: ProviderFamily, to table: inout [String: DomainEntry]) {
    table[domain, default: DomainEntry()].family = family
    let utf8 = domain.utf8
    var start = utf8.startIndex
    while let dot = utf8[start...].firstIndex(of: 46) {
      start = utf8.index(after: dot)
      table[String(domain[start...]), default: DomainEntry()].parent = true
    }
  }

  /// No provider families and no suffix list: organisations by the last labels of names alone.
  public static let plain = Organisations()

  /// Whether organisational domains come from the Public Suffix List (else from the last labels).
  public var usesPublicSuffixList: Bool { suffixes != nil }

  /// A host name as the tables look it up (`normalised`), made once for the several lookups of a hop.
  public struct Name: Sendable {
    fileprivate let canonical: String
  }

  /// `nil` for address literals and single labels.
  public static func name(_ host: String?) -> Name? { normalised(host).map(Name.init) }

  /// The owner of a host name; `nil` for address literals, single labels and public suffixes.
  public func owner(of host: String?) -> Owner? { owner(ofName: Self.name(host)) }

  public func owner(ofName name: Name?) -> Owner? {
    guard let name = name?.canonical else { return nil }
    if let family = Self.match(name, in: familyByDomain) {
      return .provider(id: family.id, name: family.name)
    }
    return organisationalDomain(ofCanonical: name).map(Owner.domain)
  }

  /// The provider family whose inbound (MX) hosts include `host`.
  public func inboundFamily(of host: String?) -> ProviderFamily? { inboundFamily(ofName: Self.name(host)) }

  public func inboundFamily(ofName name: Name?) -> ProviderFamily? {
    name.flatMap { Self.match($0.canonical, in: inboundByDomain) }
  }

  /// The registrable domain of a host name (`mx1.mail.example.co.uk` → `example.co.uk`).
  public func organisationalDomain(_ host: String?) -> String? {
    Self.normalised(host).flatMap(organisationalDomain(ofCanonical:))
  }

  private func organisationalDomain(ofCanonical name: String) -> String? {
    if let suffixes { return suffixes.organizationalDomain(ofCanonical: name) }
    return Self.lastLabels(name)
  }

  /// Lowercase, without a trailing dot or empty labels; `nil` for literals and single labels.
  static func normalised(_ host: String?) -> String? {
    guard let host, host.utf8.first != 91, !ReceivedParser.isIPAddress(host) else { return nil }
    var name = PublicSuffixList.canonical(host)
    return name.withUTF8 { $0.contains(46) } ? name : nil
  }

  /// The entry for the name itself or the nearest domain above it: tails from the last label up, the
  /// longest with a family winning.
  private static func match(_ name: String, in table: [String: DomainEntry]) -> ProviderFamily? {
    guard !table.isEmpty else { return nil }
    var name = name
    return name.withUTF8 { bytes in
      var found: ProviderFamily?
      var labelEnd = bytes.count
      while true {
        var start = labelEnd
        while start > 0, bytes[start - 1] != 46 { start -= 1 }
        let tail = String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
        guard let entry = table[tail] else { break }
        if let family = entry.family { found = family }
        guard entry.parent, start > 0 else { break }
        labelEnd = start - 1
      }
      return found
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
