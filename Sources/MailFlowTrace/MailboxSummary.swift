import MailFlowModel

/// What a whole mailbox says about how its mail travelled: messages read and skipped (with why), how
/// many crossed every network hop encrypted, the ratings seen per pipeline step, per sending
/// organisation and per last external relay (messages, cleartext hops, oldest TLS version, first and
/// last date), and the slowest transits. Built one message at a time, so a mailbox of any size is
/// summarised in bounded memory (the per-organisation tables aside, which grow with the senders).
public struct MailboxSummary: Sendable, Equatable, Codable {
  public struct Party: Sendable, Equatable, Codable {
    public var messages = 0
    /// Hops recorded without TLS (✘✘), over all of this party's messages.
    public var cleartextHops = 0
    @NullEncodable public var oldestTLS: String?
    @NullEncodable public var first: String?
    @NullEncodable public var last: String?
  }

  public struct Transit: Sendable, Equatable, Codable {
    public var seconds: Int
    @NullEncodable public var messageId: String?
    @NullEncodable public var date: String?
    public var source: String
  }

  public var messagesRead = 0
  /// Messages left out, by reason (not a message, no Received fields, outside --since/--until…).
  public var skipped: [String: Int] = [:]
  /// Messages whose every network hop is recorded as encrypted (✔ or ✘; at least one such hop).
  public var encryptedEveryHop = 0
  /// Received fields that could not be read, over all messages.
  public var unreadableReceivedFields = 0
  /// Pipeline step → rating → hops.
  public var ratingsByStep: [String: [String: Int]] = [:]
  /// By the organisational domain of the From address.
  public var senders: [String: Party] = [:]
  /// By the organisational domain of the host that handed the message to the recipient's system.
  public var lastRelays: [String: Party] = [:]
  /// The longest transits, longest first (at most `slowestKept`).
  public var slowest: [Transit] = []

  public static let slowestKept = 10

  public init() {}

  public mutating func skip(_ reason: String) { skipped[reason, default: 0] += 1 }

  /// Adds one message's journey.
  public mutating func add(_ report: TraceReport, source: String) {
    messagesRead += 1
    let network = report.hops.filter { $0.rating != .internal }
    if !network.isEmpty && network.allSatisfy({ $0.rating == .secure || $0.rating == .weak }) {
      encryptedEveryHop += 1
    }
    unreadableReceivedFields += report.hops.filter { !$0.parsed }.count
    for hop in report.hops {
      ratingsByStep[hop.step.rawValue, default: [:]][hop.rating.rawValue, default: 0] += 1
    }
    let cleartext = report.hops.filter { $0.rating == .insecure }.count
    let oldest = Self.oldestVersion(report.hops.compactMap { $0.tls?.version })
    let date = report.message.date ?? report.hops.first?.timestamp
    if let domain = report.message.senderDomain {
      senders[domain, default: Party()].add(cleartext: cleartext, oldestTLS: oldest, date: date)
    }
    if let relay = report.hops.last(where: { $0.crossesOrganisations }), let domain = relay.fromOrganisation {
      lastRelays[domain, default: Party()].add(cleartext: cleartext, oldestTLS: oldest, date: date)
    }
    if let seconds = report.totalSeconds, seconds >= 0,
      slowest.count < Self.slowestKept || seconds > slowest.last!.seconds
    {
      slowest.append(
        Transit(seconds: seconds, messageId: report.message.messageId, date: date, source: source))
      slowest.sort { $0.seconds > $1.seconds }
      if slowest.count > Self.slowestKept { slowest.removeLast() }
    }
  }

  /// The oldest of some normalised TLS versions (SSL older than any TLS).
  static func oldestVersion(_ versions: [String]) -> String? {
    versions.min { a, b in
      let (x, y) = (ReceivedParser.versionNumber(a) ?? (9, 9), ReceivedParser.versionNumber(b) ?? (9, 9))
      return x.0 != y.0 ? x.0 < y.0 : x.1 < y.1
    }
  }

  /// The share of messages that crossed every network hop encrypted, in percent.
  public var encryptedShare: Double {
    messagesRead == 0 ? 0 : Double(encryptedEveryHop) * 100 / Double(messagesRead)
  }
}

extension MailboxSummary.Party {
  mutating func add(cleartext: Int, oldestTLS: String?, date: String?) {
    messages += 1
    cleartextHops += cleartext
    if let oldestTLS {
      self.oldestTLS = MailboxSummary.oldestVersion([oldestTLS] + (self.oldestTLS.map { [$0] } ?? []))
    }
    if let date {
      if first.map({ date < $0 }) ?? true { first = date }
      if last.map({ date > $0 }) ?? true { last = date }
    }
  }
}
