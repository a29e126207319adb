import MailFlowModel

/// `--fail-on LEVEL`: how bad a report may be before a script is told (exit status 3). Each level
/// includes the ones above it.
public enum FailureLevel: String, Sendable, Equatable, CaseIterable {
  /// A published protection fails (a hop rated `broken`).
  case broken
  /// A hop is cleartext, or broken.
  case insecure
  /// A hop can be downgraded, is cleartext or broken.
  case weak
  /// Any of those, a hop that could not be tested, or a fix of warning or error severity (a
  /// certificate expiring soon, a missing rollover partner…).
  case warn

  /// The ratings that reach this level.
  var ratings: Set<Rating> {
    switch self {
    case .broken: [.broken]
    case .insecure: [.broken, .insecure]
    case .weak: [.broken, .insecure, .weak]
    case .warn: [.broken, .insecure, .weak, .unknown]
    }
  }

  /// Why the report reaches this level, one line per reason (empty: it does not).
  public func reasons(_ report: ProbeReport, warnDays: Int = FixAdvisor.defaultWarnDays) -> [String] {
    var reasons = report.hops.filter { ratings.contains($0.rating) }.map {
      "\($0.id.rawValue) is \($0.rating.rawValue): \($0.summary)"
    }
    if self == .warn {
      for hop in report.hops {
        for fix in report.fixes(for: hop, warnDays: warnDays) where fix.severity >= .warning {
          reasons.append("\(hop.id.rawValue): \(fix.severity.rawValue): \(fix.finding)")
        }
      }
    }
    return reasons
  }
}
