import MailFlowModel

/// One message of a mailbox as a line of `trace --jsonl`: where it is, what it is, and its hops in
/// brief — enough to filter and count with jq or DuckDB without the whole trace report.
public struct MessageJourney: Sendable, Equatable, Codable {
  public struct Hop: Sendable, Equatable, Codable {
    public var index: Int
    public var step: HopID
    public var rating: Rating
    @NullEncodable public var from: String?
    @NullEncodable public var by: String?
    @NullEncodable public var tls: String?
  }

  /// The file, and for an mbox the byte offset of the message's `From ` line.
  public var file: String
  @NullEncodable public var offset: Int?
  @NullEncodable public var messageId: String?
  @NullEncodable public var date: String?
  @NullEncodable public var senderDomain: String?
  public var weakest: Rating
  @NullEncodable public var totalSeconds: Int?
  public var tlsVersions: [String]
  public var hops: [Hop]

  public init(_ report: TraceReport, file: String, offset: Int?) {
    self.file = file
    self.offset = offset
    messageId = report.message.messageId
    date = report.message.date ?? report.hops.first?.timestamp
    senderDomain = report.message.senderDomain
    weakest = report.overall.rating
    totalSeconds = report.totalSeconds
    var versions: [String] = []
    for version in report.hops.compactMap({ $0.tls?.version }) where !versions.contains(version) {
      versions.append(version)
    }
    tlsVersions = versions
    hops = report.hops.map { hop in
      Hop(
        index: hop.index, step: hop.step, rating: hop.rating,
        from: hop.from.flatMap { $0.host ?? $0.address ?? $0.helo }, by: hop.by, tls: hop.tls?.version)
    }
  }
}
