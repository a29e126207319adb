/// The five hops of the journey, in order: the ids the knowledge base, reports, traces, the probe and
/// the explorer share. The knowledge base (editable JSON) names its hops with these strings.
public enum HopID: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
  case submission, outbound, relay, delivery, retrieval

  /// The hops a probe measures (the others are internal to one organisation).
  public static let measured: [HopID] = [.submission, .relay, .retrieval]
}
