/// The validated knowledge base: roles, protocols, security modes, hops, RFCs and threats, with every
/// cross-reference checked, so lookups by a referenced id always succeed.
public struct KnowledgeBase: Sendable, Equatable {
  /// The five hops of the seed table, in journey order. Code and JSON refer to hops by these ids.
  public static let requiredHopIDs = HopID.allCases.map(\.rawValue)

  public private(set) var roles: [Role]
  public private(set) var protocols: [MailProtocol]
  public private(set) var modes: [SecurityMode]
  /// In journey order (the order of `requiredHopIDs`).
  public private(set) var hops: [Hop]
  /// In RFC number order.
  public private(set) var rfcs: [RFCEntry]
  public private(set) var threats: [Threat]
  /// Scenarios of a message's journey, stepped through in the explorer.
  public private(set) var journeys: [Journey]
  /// Mail providers spanning several domains, for the trace's organisation model.
  public private(set) var providers: [ProviderFamily]

  private var roleIndex: [String: Int] = [:]
  private var protocolIndex: [String: Int] = [:]
  private var modeIndex: [String: Int] = [:]
  private var hopIndex: [String: Int] = [:]
  private var rfcIndex: [Int: Int] = [:]

  /// Builds the lookups; callers guarantee ids are unique (the loader validates that first).
  init(
    roles: [Role], protocols: [MailProtocol], modes: [SecurityMode], hops: [Hop], rfcs: [RFCEntry],
    threats: [Threat], journeys: [Journey], providers: [ProviderFamily]
  ) {
    self.providers = providers
    self.roles = roles
    self.protocols = protocols
    self.modes = modes
    self.hops = hops
    self.rfcs = rfcs.sorted { $0.number < $1.number }
    self.threats = threats
    self.journeys = journeys
    for (i, role) in roles.enumerated() { roleIndex[role.id] = i }
    for (i, proto) in protocols.enumerated() { protocolIndex[proto.id] = i }
    for (i, mode) in modes.enumerated() { modeIndex[mode.id] = i }
    for (i, hop) in hops.enumerated() { hopIndex[hop.id] = i }
    for (i, rfc) in self.rfcs.enumerated() { rfcIndex[rfc.number] = i }
  }

  public func role(_ id: String) -> Role? { roleIndex[id].map { roles[$0] } }
  public func mailProtocol(_ id: String) -> MailProtocol? { protocolIndex[id].map { protocols[$0] } }
  public func mode(_ id: String) -> SecurityMode? { modeIndex[id].map { modes[$0] } }
  public func hop(_ id: String) -> Hop? { hopIndex[id].map { hops[$0] } }
  public func rfc(_ number: Int) -> RFCEntry? { rfcIndex[number].map { rfcs[$0] } }

  /// The rating of one way of carrying a hop: its security mode's rating.
  public func rating(of option: TransportOption) -> Rating {
    mode(option.modeID)?.rating ?? .unknown
  }

  /// The best rating any option of the hop can reach: what the knowledge view colours the hop by.
  public func bestRating(of hop: Hop) -> Rating {
    let ratings = hop.options.map(rating(of:))
    if let best = ratings.filter({ $0.strength != nil }).max(by: { $0.strength! < $1.strength! }) {
      return best
    }
    return ratings.first ?? .unknown
  }

  /// The rating of a journey step: the rating of the way it carries its hop.
  public func rating(of step: JourneyStep) -> Rating { step.measured?.rating ?? rating(of: step.option) }

  /// How a journey step carries its hop, in a few words.
  public func describeShort(_ step: JourneyStep) -> String {
    step.measured?.description ?? describeShort(step.option)
  }

  /// RFCs of an option: its protocol's and its mode's, without repeats, in number order.
  public func rfcs(of option: TransportOption) -> [Int] {
    let fromProtocol = option.protocolID.flatMap(mailProtocol)?.rfcs ?? []
    let fromMode = mode(option.modeID)?.rfcs ?? []
    return Array(Set(fromProtocol + fromMode)).sorted()
  }

  /// `submission 587 with STARTTLS`, `Internal delivery (same server with two roles)`: an option as the
  /// seed table writes it.
  public func describe(_ option: TransportOption) -> String {
    var words: [String] = []
    let mode = mode(option.modeID)
    if let proto = option.protocolID.flatMap(mailProtocol) {
      words.append(proto.nameWithPort)
      if let mode, !mode.phrase.isEmpty { words.append(mode.phrase) }
    } else if let mode {
      words.append(mode.name)
    }
    if let note = option.note { words.append("(\(note))") }
    return words.joined(separator: " ")
  }

  /// `SMTP 25 DANE`, `IMAPS 993`, `LMTP (local socket)`: an option in as few words as stay clear, for
  /// narrow tables.
  public func describeShort(_ option: TransportOption) -> String {
    guard let proto = option.protocolID.flatMap(mailProtocol) else {
      return option.note ?? mode(option.modeID)?.name ?? option.modeID
    }
    var words = [proto.nameWithPort]
    if let short = mode(option.modeID)?.short, !short.isEmpty { words.append(short) }
    if proto.port == nil, let note = option.note { words.append("(\(note))") }
    return words.joined(separator: " ")
  }

  /// Threats that concern a hop.
  public func threats(on hop: Hop) -> [Threat] {
    threats.filter { $0.hops.contains(hop.id) }
  }

  /// Catalogued RFCs whose number is close to `number`, for "did you mean" suggestions: same digits
  /// with one changed, added, dropped or swapped, or numerically within 2.
  public func rfcsNear(_ number: Int) -> [RFCEntry] {
    let digits = String(number)
    return rfcs.filter { entry in
      abs(entry.number - number) <= 2 || EditDistance.isWithinOne(String(entry.number), digits)
    }
  }
}
