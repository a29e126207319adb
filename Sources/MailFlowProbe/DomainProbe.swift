import Foundation
import MailFlowDNS
import MailFlowModel

/// A whole probe of a domain: the five hops — submission and relay measured (in parallel), the two
/// internal hops as such, retrieval marked not probed yet.
public enum DomainProbe {
  public static func run(
    domain: DomainName, resolver: DNSResolver, options: RelayProbe.Options,
    submission: SubmissionProbe.Options = SubmissionProbe.Options()
  ) async -> ProbeReport {
    let clock = ContinuousClock()
    let start = clock.now
    let started = ISO8601DateFormatter().string(from: Date())
    async let relayResult = RelayProbe.run(domain: domain.ascii, resolver: resolver, options: options)
    async let submissionResult = SubmissionProbe.run(
      domain: domain.ascii, resolver: resolver, options: submission)
    let (relay, relayLookups) = await relayResult
    let (submissionHop, submissionLookups) = await submissionResult
    let lookups = relayLookups + submissionLookups
    let notProbed = "not probed yet: retrieval (IMAP, POP3) comes in a later version"
    let hops = [
      submissionHop,
      ProbeReport.Hop(
        id: "outbound", rating: .internal, summary: "inside the sender's own system", endpoints: []),
      relay,
      ProbeReport.Hop(
        id: "delivery", rating: .internal, summary: "inside the recipient's own system", endpoints: []),
      ProbeReport.Hop(id: "retrieval", rating: .unknown, summary: notProbed, endpoints: []),
    ]
    let weakest = Rating.weakest(hops.map(\.rating))
    let overall = ProbeReport.Overall(
      rating: weakest ?? (relay.rating == .none ? .none : .unknown),
      limitedBy: weakest.flatMap { w in hops.first { $0.rating == w }?.id }
        ?? (relay.rating == .none ? "relay" : nil))
    let elapsed = clock.now - start
    return ProbeReport(
      domain: String(domain.ascii.dropLast()), startedAt: started,
      durationMs: Int(
        elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
      overall: overall, hops: hops, dns: lookups)
  }
}
