import MailFlowModel
import MailFlowTrace

/// A mailbox opened with `--mailbox`, as the explorer browses it: the summary so far, each sending
/// domain's messages in brief, and where the user is (the list of domains or one domain's messages,
/// the selected row, the order, a filter). Filled while the mailbox loads, off the UI loop.
public struct MailboxBrowser: Sendable, Equatable {
  /// One message in brief: where to read it again, and what its journey came to.
  public struct Entry: Sendable, Equatable {
    public var domain: String
    public var file: String
    public var offset: Int?
    public var messageId: String?
    public var date: String?
    public var weakest: Rating
    public var cleartextHops: Int

    public init(_ report: TraceReport, file: String, offset: Int?) {
      domain = report.message.senderDomain ?? Self.noSender
      self.file = file
      self.offset = offset
      messageId = report.message.messageId
      date = report.message.date ?? report.hops.first?.timestamp
      weakest = report.overall.rating
      cleartextHops = report.hops.filter { $0.rating == .insecure }.count
    }

    public static let noSender = "(no From address)"
  }

  /// A sending domain's row.
  public struct DomainRow: Sendable, Equatable {
    public var domain: String
    public var messages: Int
    public var worst: Rating
    /// Messages with at least one hop in cleartext, in percent.
    public var cleartextShare: Int
    var cleartextMessages = 0
  }

  public enum Sort: String, Sendable, CaseIterable {
    case messages = "most messages"
    case worst = "worst rating"
    case cleartext = "cleartext share"
  }

  public var path: String
  public var summary = MailboxSummary()
  public var messages: [String: [Entry]] = [:]
  /// Each domain's row, kept as messages arrive (a frame sorts the rows, it does not recount them).
  private var stats: [String: DomainRow] = [:]
  public var loading = true
  /// Why loading stopped early, when it did.
  public var failure: String?
  /// The domain whose messages are listed; `nil` for the list of domains.
  public var domain: String? { didSet { reorder() } }
  public var selected = 0
  /// The domain opened last, selected again on the way back (the rows may have moved meanwhile).
  public var openedDomain: String?
  public var sort = Sort.messages { didSet { reorder() } }
  /// Rows shown only if they contain this (a domain, a rating word, a message id or date).
  public var filter: String? { didSet { reorder() } }
  /// The list as shown: the domains (or the open domain's messages), filtered and ordered. Kept here,
  /// made again only when the messages, the order, the filter or the open domain change — never while a
  /// frame is drawn, which would sort every row on every frame.
  public private(set) var domainRows: [DomainRow] = []
  public private(set) var messageRows: [Entry] = []

  public init(path: String) { self.path = path }

  public mutating func add(_ entries: [Entry], summary: MailboxSummary) {
    for entry in entries {
      messages[entry.domain, default: []].append(entry)
      var row =
        stats[entry.domain]
        ?? DomainRow(domain: entry.domain, messages: 0, worst: entry.weakest, cleartextShare: 0)
      row.cleartextMessages += entry.cleartextHops > 0 ? 1 : 0
      row.messages += 1
      row.worst = Rating.weakest([row.worst, entry.weakest]) ?? row.worst
      row.cleartextShare = row.cleartextMessages * 100 / row.messages
      stats[entry.domain] = row
    }
    self.summary = summary
    reorder()
  }

  private mutating func reorder() {
    domainRows = domain == nil ? orderedDomains() : []
    messageRows = orderedMessages()
  }

  private func orderedDomains() -> [DomainRow] {
    var rows = Array(stats.values)
    if let filter, !filter.isEmpty {
      let word = filter.lowercased()
      rows = rows.filter { $0.domain.lowercased().contains(word) || $0.worst.rawValue == word }
    }
    switch sort {
    case .messages: rows.sort { ($0.messages, $1.domain) > ($1.messages, $0.domain) }
    case .worst:
      rows.sort { a, b in
        let (x, y) = (a.worst.strength ?? 9, b.worst.strength ?? 9)
        return x != y ? x < y : a.messages > b.messages
      }
    case .cleartext: rows.sort { ($0.cleartextShare, $0.messages) > ($1.cleartextShare, $1.messages) }
    }
    return rows
  }

  private func orderedMessages() -> [Entry] {
    guard let domain else { return [] }
    var rows = messages[domain] ?? []
    if let filter, !filter.isEmpty {
      let word = filter.lowercased()
      rows = rows.filter {
        $0.weakest.rawValue == word || ($0.messageId ?? "").lowercased().contains(word)
          || ($0.date ?? "").contains(word)
      }
    }
    return rows.sorted { ($0.date ?? "") > ($1.date ?? "") }
  }

  /// Rows in the list shown now.
  public var rowCount: Int { domain == nil ? domainRows.count : messageRows.count }
}
