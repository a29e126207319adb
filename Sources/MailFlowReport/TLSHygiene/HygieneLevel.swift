/// How a TLS parameter stands in the NCSC's TLS guidelines (the Dutch National Cyber Security Centre,
/// "IT Security Guidelines for Transport Layer Security", which internet.nl applies): good, sufficient,
/// to be phased out, insufficient. These levels are findings with fixes; they never change a hop's
/// ✔/✘/✘✘, which says what an attacker on the path can do — and no attacker can push a client that
/// offers TLS 1.3 down to a version the server merely also accepts (TLS 1.3's downgrade sentinel).
public enum HygieneLevel: String, Sendable, Equatable, Codable, Comparable {
  case good
  case sufficient
  case phaseOut = "phase-out"
  case insufficient

  /// As a checklist line: good and sufficient pass, phase-out warns, insufficient fails.
  public var checkStatus: Check.Status {
    switch self {
    case .good, .sufficient: .pass
    case .phaseOut: .warn
    case .insufficient: .fail
    }
  }

  /// The words a user reads.
  public var words: String {
    switch self {
    case .good: "good"
    case .sufficient: "sufficient"
    case .phaseOut: "phase out"
    case .insufficient: "insufficient"
    }
  }

  /// Ordered from best to worst, so `max` is the worst.
  public static func < (lhs: HygieneLevel, rhs: HygieneLevel) -> Bool {
    let order: [HygieneLevel] = [.good, .sufficient, .phaseOut, .insufficient]
    return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
  }

  /// A protocol version as the report writes it (`TLSv1.3`): 1.3 good, 1.2 sufficient, 1.1 and 1.0
  /// insufficient; `nil` for a name this table does not know.
  public static func version(_ name: String) -> HygieneLevel? {
    switch name {
    case "TLSv1.3": .good
    case "TLSv1.2": .sufficient
    case "TLSv1.1", "TLSv1.0", "SSLv3": .insufficient
    default: nil
    }
  }
}
