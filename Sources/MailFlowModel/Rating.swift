/// The one rating vocabulary shared by the knowledge base, the table, the probe and the trace.
///
/// `secure`, `weak` and `insecure` are the seed's ✔, ✘ and ✘✘; `broken` is a published protection
/// (DANE, MTA-STS in enforce mode) that fails, so senders that honour it refuse to deliver — an outage,
/// not cleartext; `internal` marks handling inside one server that no network observer sees; `none`
/// and `unknown` only come from measurements (a domain that accepts no mail, a hop that could not be
/// tested).
public enum Rating: String, CaseIterable, Sendable, Codable, Hashable {
  case secure
  case weak
  case insecure
  case broken
  case `internal`
  case none
  case unknown

  /// Ratings a knowledge-base security mode may carry; `none` and `unknown` describe measurements.
  public static let knowledgeRatings: [Rating] = [.secure, .weak, .insecure, .broken, .internal]

  /// How well the hop resists an attacker, higher is better; `nil` for ratings that say nothing about
  /// protection and so never decide which hop is the weakest link. `broken` ranks below cleartext: mail
  /// is deferred and then bounced by strict senders, an outage to fix now.
  public var strength: Int? {
    switch self {
    case .broken: -1
    case .insecure: 0
    case .weak: 1
    case .secure: 2
    case .internal, .none, .unknown: nil
    }
  }

  /// The seed's glyphs, or plain ASCII for terminals without UTF-8.
  public func symbol(ascii: Bool) -> String {
    switch self {
    case .secure: ascii ? "OK" : "✔"
    case .weak: ascii ? "X" : "✘"
    case .insecure: ascii ? "XX" : "✘✘"
    case .broken: ascii ? "!!" : "⊘"
    case .internal: "-"
    case .none: ascii ? "--" : "∅"
    case .unknown: "?"
    }
  }

  /// A short human label, used in legends and summaries.
  public var label: String {
    switch self {
    case .secure: "protected"
    case .weak: "opportunistic, can be downgraded"
    case .insecure: "cleartext"
    case .broken: "broken: strict senders refuse"
    case .internal: "internal, not on the network"
    case .none: "no service"
    case .unknown: "not tested"
    }
  }

  /// The weakest of several ratings: the one an attacker would pick. Ratings without a strength are
  /// ignored; `nil` when none of them has one.
  @inlinable
  public static func weakest<C: Collection>(_ ratings: C) -> Rating? where C.Element == Rating {
    firstWeakest(ratings).map { ratings[$0] }
  }

  /// Where the weakest rating first occurs: the hop that limits a journey. One pass, no array of the
  /// rated ones (a trace rates 20,000 hops).
  /// Inlinable: a generic function called from another module otherwise runs unspecialized, through
  /// protocol witnesses (1,800 instructions a hop in a 20,000-hop trace, on one core).
  @inlinable
  public static func firstWeakest<C: Collection>(_ ratings: C) -> C.Index? where C.Element == Rating {
    var weakest: (index: C.Index, strength: Int)?
    for index in ratings.indices {
      guard let strength = ratings[index].strength, strength < weakest?.strength ?? Int.max else { continue }
      weakest = (index, strength)
    }
    return weakest?.index
  }
}
