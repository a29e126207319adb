import MailFlowModel
import MailFlowReport

/// A probe of a domain as the explorer shows it: running (hops land one by one), finished, failed,
/// cancelled, or opened from a saved report. Results carry the generation of the probe that produced
/// them, so a cancelled or replaced probe's late results are recognised and dropped.
public struct LiveProbe: Sendable, Equatable {
  public enum Phase: Sendable, Equatable {
    case running
    case finished
    case cancelled
  }

  /// The hops a probe measures; the other two are internal by nature.
  /// The knowledge-base ids of the hops a probe measures.
  public static let measuredHops = HopID.measured.map(\.rawValue)

  public var domain: String
  public var generation: Int
  public var phase: Phase
  /// Clock readings (the loop's injected clock), for the spinner and the elapsed time.
  public var startedAt: Duration
  public var elapsed: Duration = .zero
  /// Measured hops in the order they arrived (the report's, once it is complete).
  public var hops: [ProbeReport.Hop] = []
  public var report: ProbeReport?
  /// The report came from this file (`--report`), not from a live probe.
  public var file: String?
  /// The domain's own journey, made from the transcripts once the report is complete.
  public var journey: Journey?
  /// What changed since the report this probe replaced (a re-probe, or a probe over an opened report of
  /// the same domain), and that report's date.
  public var changes: [ReportChange]?
  public var comparedWith: String?

  public init(domain: String, generation: Int, startedAt: Duration) {
    self.domain = domain
    self.generation = generation
    self.phase = .running
    self.startedAt = startedAt
  }

  /// A saved report, opened offline.
  public init(report: ProbeReport, file: String) {
    domain = report.domain
    generation = 0
    phase = .finished
    startedAt = .zero
    elapsed = .milliseconds(report.durationMs)
    hops = report.hops
    self.report = report
    self.file = file
    journey = ProbeJourney.make(report)
  }

  public var isRunning: Bool { phase == .running }

  /// Why a measured hop has no result: still running, cancelled, or absent from the report.
  public var missingHopReason: String {
    switch phase {
    case .running: "still being probed"
    case .cancelled: "the probe of \(domain) was cancelled before this hop finished"
    case .finished: "this hop is not in the report of \(domain)"
    }
  }

  /// The measured hop for a knowledge-base hop id (bridged by raw value), once it has arrived.
  public func hop(_ id: String) -> ProbeReport.Hop? {
    HopID(rawValue: id).flatMap { id in hops.first { $0.id == id } }
  }

  /// Still waiting for this hop's result.
  public func isPending(_ id: String) -> Bool {
    isRunning && Self.measuredHops.contains(id) && hop(id) == nil
  }

  /// The spinner frame for the current elapsed time (ten frames a second).
  public func spinner(ascii: Bool) -> String {
    let frames = ascii ? ["|", "/", "-", "\\"] : ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    let tenths = Int(
      elapsed.components.seconds * 10 + elapsed.components.attoseconds / 100_000_000_000_000_000)
    return frames[max(0, tenths) % frames.count]
  }

  /// Elapsed time as people read it: `0.8 s`, `12 s`.
  public var elapsedText: String {
    let milliseconds = Int(
      elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    return milliseconds < 10_000
      ? "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s" : "\(milliseconds / 1000) s"
  }

  /// The changes of one hop since the earlier report (empty when nothing changed or nothing to compare).
  public func changes(of id: String) -> [ReportChange] {
    (changes ?? []).filter { $0.hop.rawValue == id }
  }

  /// The weakest measured hop so far, and which it is (the report's own verdict once complete).
  public var overall: (rating: Rating, limitedBy: HopID?)? {
    if let report { return (report.overall.rating, report.overall.limitedBy) }
    guard let weakest = Rating.firstWeakest(hops.map(\.rating)) else { return nil }
    return (hops[weakest].rating, hops[weakest].id)
  }
}
