import MailFlowModel

/// A scan's output opened with `--scan`, as the explorer browses it: a row per domain (where its line
/// is in the file, and its ratings), never the reports themselves — a file of a million lines opens
/// without holding them; Enter reads one report from its line.
public struct ScanBrowser: Sendable, Equatable {
  public struct Row: Sendable, Equatable {
    public var domain: String
    public var offset: Int
    public var length: Int
    public var overall: Rating
    public var submission: Rating
    public var relay: Rating
    public var retrieval: Rating

    public init(
      domain: String, offset: Int, length: Int, overall: Rating, submission: Rating, relay: Rating,
      retrieval: Rating
    ) {
      self.domain = domain
      self.offset = offset
      self.length = length
      self.overall = overall
      self.submission = submission
      self.relay = relay
      self.retrieval = retrieval
    }

    func rating(_ column: Column) -> Rating? {
      switch column {
      case .domain: nil
      case .overall: overall
      case .submission: submission
      case .relay: relay
      case .retrieval: retrieval
      }
    }
  }

  /// The columns, each an order (`s` moves to the next).
  public enum Column: String, Sendable, CaseIterable {
    case domain, overall, submission, relay, retrieval
  }

  public var path: String
  public private(set) var rows: [Row] = []
  /// Lines that were not a scan's report.
  public var unreadable = 0
  public var loading = true
  public var failure: String?
  public var selected = 0
  public var sort = Column.domain { didSet { reorder() } }
  /// Rows kept: a word in the domain, a rating anywhere (`weak`), or a rating of one hop (`relay:weak`).
  public var filter: String? { didSet { reorder() } }
  /// Rows in the order and with the filter chosen (ratings worst first), and per hop how many domains
  /// got each rating (the bars): kept here, made again only when rows arrive or the order or filter
  /// changes — never while a frame is drawn.
  public private(set) var shownRows: [Row] = []
  private var ratingCounts: [Column: [Rating: Int]] = [:]

  public init(path: String) { self.path = path }

  public mutating func add(_ new: [Row]) {
    rows += new
    for row in new {
      for column in Column.allCases {
        if let rating = row.rating(column) { ratingCounts[column, default: [:]][rating, default: 0] += 1 }
      }
    }
    reorder()
  }

  private mutating func reorder() { shownRows = ordered() }

  private func ordered() -> [Row] {
    var shown = rows
    if let filter, !filter.isEmpty {
      let word = filter.lowercased()
      let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
      if parts.count == 2, let column = Column(rawValue: parts[0]), column != .domain {
        shown = shown.filter { $0.rating(column)?.rawValue == parts[1] }
      } else {
        shown = shown.filter { row in
          row.domain.lowercased().contains(word)
            || Column.allCases.contains { row.rating($0)?.rawValue == word }
        }
      }
    }
    if sort == .domain { return shown.sorted { $0.domain < $1.domain } }
    return shown.sorted { a, b in
      let (x, y) = (a.rating(sort)?.strength ?? 9, b.rating(sort)?.strength ?? 9)
      return x != y ? x < y : a.domain < b.domain
    }
  }

  /// Per hop, how many domains got each rating (the bars at the top).
  public func counts(_ column: Column) -> [Rating: Int] { ratingCounts[column] ?? [:] }
}
