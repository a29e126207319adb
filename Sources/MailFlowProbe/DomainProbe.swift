import MailFlowDNS
import MailFlowModel
import MailFlowReport
import X509

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A whole probe of a domain: the five hops — submission, relay (with MTA-STS and TLS-RPT) and
/// retrieval measured, the two internal hops as such. Autoconfig is fetched once for both client hops;
/// everything else runs in parallel.
public enum DomainProbe {
  public struct Options: Sendable {
    public var relay = RelayProbe.Options()
    public var client = ClientHopProbe.Options()
    public var https = HTTPSFetcher.Options()
    /// Called with each measured hop as soon as it is rated, before the whole report is ready (the
    /// explorer colours hops as they arrive).
    public var onHop: (@Sendable (ProbeReport.Hop) -> Void)?
    /// The measured hops to probe (`--hop`); the others are reported as not probed.
    public var hops: Set<HopID> = Set(HopID.measured)
    /// Certificates expiring within this many days are a warning in the fixes (`--warn-days`).
    public var warnDays = FixAdvisor.defaultWarnDays
    /// DKIM selectors to check besides the common ones (`--dkim-selector`).
    public var dkimSelectors: [String] = []
    public init() {}
  }

  /// A measured hop left out with `--hop`.
  static func skipped(_ id: HopID) -> (hop: ProbeReport.Hop, lookups: [ProbeReport.Lookup]) {
    (
      ProbeReport.Hop(
        id: id, rating: .unknown, summary: "not probed (left out with --hop)", endpoints: [], lookups: [],
        fixes: []),
      []
    )
  }

  public static func run(domain: DomainName, resolver: DNSResolver, options: Options) async -> ProbeReport {
    let clock = ContinuousClock()
    let start = clock.now
    let started = Date().formatted(.iso8601)
    let fetcher = HTTPSFetcher(resolver: resolver, options: options.https)
    var relayOptions = options.relay
    relayOptions.fetcher = fetcher
    let onHop = options.onHop
    let warnDays = options.warnDays
    let dkimSelectors = options.dkimSelectors
    let wanted = options.hops
    // The validator walks the chain of trust down to the domain's zone (DNSKEY, DS, DNSKEY: a round
    // trip each) before it can answer the first lookup. Asked for now, beside the MX lookup, those
    // keys arrive together instead of one after another.
    // Not awaited: when the probe is done, whatever is still pending is cancelled.
    async let _ = primeChain(domain.ascii, resolver: resolver)
    async let relayResult = { () async -> (hop: ProbeReport.Hop, lookups: [ProbeReport.Lookup]) in
      guard wanted.contains(.relay) else { return skipped(.relay) }
      // Who may send as the domain (SPF, DMARC): its own lookups, beside the relay's.
      async let authenticity = AuthenticityCheck.run(
        domain: domain.ascii, selectors: dkimSelectors, publicSuffixes: { .system },
        lookup: AuthenticityCheck.lookup(resolver))
      var result = await RelayProbe.run(domain: domain.ascii, resolver: resolver, options: relayOptions)
      result.hop = result.hop.withInjectionFinding()
      result.hop.lookups = result.lookups
      var found = await authenticity
      if result.hop.rating == .none { found.noteNullMX() }
      result.hop.authenticity = found
      result.hop.fixes = FixAdvisor.fixes(
        for: result.hop, domain: domain.ascii, startedAt: started, warnDays: warnDays)
      onHop?(result.hop)
      return result
    }()
    // Autoconfig is fetched while both client hops send their SRV lookups; they wait for it after.
    let clientHops = wanted.contains(.submission) || wanted.contains(.retrieval)
    let autoconfigTask = Task {
      () async -> (
        autoconfig: Autoconfig?, report: ProbeReport.AutoconfigReport, lookups: [ProbeReport.Lookup]
      ) in
      guard clientHops else { return (nil, ProbeReport.AutoconfigReport(attempts: [], servers: []), []) }
      return await AutoconfigProbe.run(domain: domain.ascii, fetcher: fetcher)
    }
    // Whoever waits for autoconfig passes a cancellation on to it: a cancelled probe's fetches and
    // lookups end at once too (an unstructured task is not cancelled with its parent).
    let autoconfigResult = {
      @Sendable () async -> (
        autoconfig: Autoconfig?, report: ProbeReport.AutoconfigReport, lookups: [ProbeReport.Lookup]
      ) in
      await withTaskCancellationHandler {
        await autoconfigTask.value
      } onCancel: {
        autoconfigTask.cancel()
      }
    }
    let client = {
      @Sendable (hop: ClientHop) async -> (hop: ProbeReport.Hop, lookups: [ProbeReport.Lookup]) in
      guard wanted.contains(hop.id) else { return skipped(hop.id) }
      var result = await ClientHopProbe.run(
        hop, domain: domain.ascii, resolver: resolver, autoconfig: { await autoconfigResult().autoconfig },
        options: options.client)
      result.hop = result.hop.withInjectionFinding()
      // The autoconfig lookups are part of how both client hops found their servers.
      result.hop.lookups = result.lookups + (await autoconfigResult().lookups)
      result.hop.fixes = FixAdvisor.fixes(
        for: result.hop, domain: domain.ascii, startedAt: started, warnDays: warnDays)
      onHop?(result.hop)
      return result
    }
    async let submissionResult = client(.submission)
    async let retrievalResult = client(.retrieval)
    let (relay, relayLookups) = await relayResult
    let (submission, submissionLookups) = await submissionResult
    let (retrieval, retrievalLookups) = await retrievalResult
    let (_, autoconfigReport, autoconfigLookups) = await autoconfigResult()
    let hops = [
      submission,
      ProbeReport.Hop(
        id: .outbound, rating: .internal, summary: "inside the sender's own system", endpoints: [],
        lookups: []),
      relay,
      ProbeReport.Hop(
        id: .delivery, rating: .internal, summary: "inside the recipient's own system", endpoints: [],
        lookups: []),
      retrieval,
    ]
    let elapsed = clock.now - start
    var report = ProbeReport(
      domain: String(domain.ascii.dropLast()), startedAt: started,
      durationMs: Int(
        elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
      overall: overall(hops), hops: hops, autoconfig: clientHops ? autoconfigReport : nil,
      dns: relayLookups + autoconfigLookups + submissionLookups + retrievalLookups)
    report.checks = Checklist.checks(report)
    return report
  }

  /// Asks for the DNSKEY and DS sets of the domain and of each zone above it (below the root) at once;
  /// the answers only warm the validator's cache.
  static func primeChain(_ domain: String, resolver: DNSResolver) async {
    let labels = domain.withoutTrailingDot.split(separator: ".")
    // The zones nearest the root first (the validator needs them first); at most six.
    let zones = (0..<labels.count).map { labels[$0...].joined(separator: ".") }.suffix(6).reversed()
    await withTaskGroup(of: Void.self) { group in
      for zone in zones {
        group.addTask { _ = await resolver.query(zone, .dnskey) }
        if zone.contains(".") { group.addTask { _ = await resolver.query(zone, .ds) } }
      }
    }
  }

  /// The weakest rated hop limits the journey; when nothing could be rated, the relay's `none` (a
  /// domain that takes no mail) or `unknown`.
  static func overall(_ hops: [ProbeReport.Hop]) -> ProbeReport.Overall {
    let weakest = Rating.firstWeakest(hops.map(\.rating))
    let relayNone = hops.first { $0.id == .relay }?.rating == Rating.none
    // Nothing rated: nothing limits the journey either (`limitedBy` null, as documented).
    return ProbeReport.Overall(
      rating: weakest.map { hops[$0].rating } ?? (relayNone ? .none : .unknown),
      limitedBy: weakest.map { hops[$0].id })
  }
}
