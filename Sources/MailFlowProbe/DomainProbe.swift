import Foundation
import MailFlowDNS
import MailFlowModel

/// A whole probe of a domain: the five hops, the relay measured, the two internal hops as such, and
/// the MUA's hops marked not probed (they come with the next part of the probe).
public enum DomainProbe {
  public static func run(domain: DomainName, resolver: DNSResolver, options: RelayProbe.Options) async
    -> ProbeReport
  {
    let clock = ContinuousClock()
    let start = clock.now
    let started = ISO8601DateFormatter().string(from: Date())
    let (relay, lookups) = await RelayProbe.run(domain: domain.ascii, resolver: resolver, options: options)
    let notProbed = "not probed yet: submission and retrieval discovery comes in a later version"
    let hops = [
      ProbeReport.Hop(id: "submission", rating: .unknown, summary: notProbed, endpoints: []),
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
