import Foundation
import MailFlowModel
import MailFlowTestSupport
import Testing

@testable import MailFlowTrace

/// Real delivered mail from public repositories (RealCorpus/SOURCES.tsv: the SpamAssassin public corpus,
/// a phishing honeypot's collection, and the test suites of mail libraries and filters), header
/// sections only: every message traced without a crash, every field with a `by` clause read, every
/// readable date kept — and a hand-checked subset held to the step and rating of each hop.
@Suite("Trace: real mail from public corpora")
struct RealCorpusTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "RealCorpus")

  /// (source, file name, bytes) of every message, in a stable order.
  static let messages: [(source: String, name: String, bytes: [UInt8])] = {
    let manager = FileManager.default
    var result: [(String, String, [UInt8])] = []
    let sources = ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    for source in sources {
      let folder = directory.appendingPathComponent(source)
      guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { continue }
      for name in names.sorted() where name.hasSuffix(".eml") {
        if let data = try? Data(contentsOf: folder.appendingPathComponent(name)) {
          result.append((source, name, Array(data)))
        }
      }
    }
    return result
  }()

  static func report(_ bytes: [UInt8]) throws -> TraceReport {
    try TraceAnalyzer.analyze(try HeaderSection.parse(bytes), organisations: Corpus.organisations)
  }

  /// A `by` clause outside comments: the word `by` after a space, not inside parentheses.
  static func hasByClause(_ raw: String) -> Bool {
    var depth = 0
    var previous: Character = " "
    var index = raw.startIndex
    while index < raw.endIndex {
      let c = raw[index]
      if c == "(" { depth += 1 }
      if c == ")" { depth = max(0, depth - 1) }
      if c == ";" && depth == 0 { return false }
      if depth == 0, previous.isWhitespace, raw[index...].lowercased().hasPrefix("by"),
        let after = raw.index(index, offsetBy: 2, limitedBy: raw.endIndex),
        after == raw.endIndex || raw[after].isWhitespace
      {
        return true
      }
      previous = c
      index = raw.index(after: index)
    }
    return false
  }

  /// Text after the last `;` that holds a year and a time of day: a date a reader can see.
  static func hasReadableDate(_ raw: String) -> Bool {
    guard let semicolon = raw.lastIndex(of: ";") else { return false }
    let tail = raw[raw.index(after: semicolon)...]
    let year = tail.split(whereSeparator: { !$0.isNumber }).contains {
      $0.count == 4 && $0.hasPrefix("19") || $0.count == 4 && $0.hasPrefix("20")
    }
    return year && tail.contains(":")
  }

  /// The style of a field, by the software or provider it names (for the per-style counts).
  static func style(_ raw: String) -> String {
    let text = raw.lowercased()
    let marks: [(String, String)] = [
      ("microsoft smtp server", "Microsoft 365 / Exchange"), ("(postfix", "Postfix"), ("exim", "Exim"),
      ("qmail", "qmail"), ("sendmail", "Sendmail"), ("/8.", "Sendmail"), ("google.com", "Google"),
      ("yahoo", "Yahoo"), ("amazonses", "Amazon SES"), ("sendgrid", "SendGrid"), ("mailgun", "Mailgun"),
      ("opensmtpd", "OpenSMTPD"), ("fetchmail", "fetchmail"), ("lmtp", "LMTP"),
      ("communigate", "CommuniGate"),
      ("mdaemon", "MDaemon"), ("lotus", "Lotus Domino"),
    ]
    return marks.first { text.contains($0.0) }?.1 ?? "other"
  }

  /// What tracing the whole corpus found.
  struct Findings: Sendable {
    var fields = 0
    var unread: [String] = []
    var lostDates: [String] = []
    var styles: [String: Int] = [:]
    var traced = 0
    var secureDespiteCleartext: [String] = []
  }

  static func traceAll() -> Findings {
    var found = Findings()
    for message in messages {
      guard let report = try? Self.report(message.bytes) else { continue }
      found.traced += 1
      // Never ✔ when the message crossed between organisations once without TLS recorded.
      let cleartextCrossing = report.hops.contains { hop in
        hop.crossesOrganisations && hop.tls == nil
          && !(hop.with.map { TransmissionType.parse($0).tls } ?? false)
      }
      if report.overall.rating == .secure && cleartextCrossing {
        found.secureDespiteCleartext.append("\(message.source)/\(message.name)")
      }
      for hop in report.hops {
        found.fields += 1
        found.styles[Self.style(hop.raw), default: 0] += 1
        if Self.hasByClause(hop.raw) && !hop.parsed {
          found.unread.append("\(message.source)/\(message.name) #\(hop.index): \(hop.raw.prefix(160))")
        }
        if hop.timestamp == nil && Self.hasReadableDate(hop.raw) {
          found.lostDates.append("\(message.source)/\(message.name) #\(hop.index): \(hop.raw.suffix(80))")
        }
      }
    }
    return found
  }

  @Test func everyMessageIsTracedEveryFieldWithAByClauseReadAndNoDateLost() async throws {
    let messages = Self.messages
    #expect(messages.count >= 1000)
    #expect(Set(messages.map(\.source)).count >= 3)
    var found = try await offThePool { Self.traceAll() }
    // Every message has two Received fields or more: each one is traced.
    #expect(found.traced == messages.count)
    #expect(found.secureDespiteCleartext.isEmpty, "\(found.secureDespiteCleartext.prefix(10))")
    // Two exceptions, both unreadable in the source itself: one field cut off right after `by`
    // (phishing_pot/0395, its 5th hop) and one date whose month is written in Big5-encoded Chinese
    // (sa_publiccorpus/1332) — the check's rough idea of a date (a year and a colon) takes it for one.
    let cut = ["phishing_pot/0395.eml #5"]
    let notADate = ["sa_publiccorpus/1332.eml #1"]
    found.unread.removeAll { line in cut.contains { line.hasPrefix($0 + ":") } }
    found.lostDates.removeAll { line in notADate.contains { line.hasPrefix($0 + ":") } }
    #expect(
      found.unread.isEmpty,
      "\(found.unread.count) of \(found.fields) unread:\n\(found.unread.prefix(15).joined(separator: "\n"))")
    #expect(
      found.lostDates.isEmpty,
      "\(found.lostDates.count) dates lost:\n\(found.lostDates.prefix(15).joined(separator: "\n"))"
    )
    let counts = found.styles.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(
      separator: ", ")
    print(
      "real corpus: \(messages.count) messages, \(found.fields) Received fields, \(found.unread.count) with a by clause "
        + "unread, \(found.lostDates.count) readable dates lost; styles: \(counts)")
    #expect(found.styles["Microsoft 365 / Exchange", default: 0] > 100)
    #expect(found.styles["Postfix", default: 0] > 100)
  }
}

/// The hand-checked subset (RealCorpus/hand-checked.tsv): 60 messages, the step and rating of every hop
/// judged by reading the fields, without mailflow's output (notes in hand-checked-notes.md).
@Suite("Trace: the hand-checked real messages")
struct HandCheckedTests {
  struct Expected {
    var file: String
    var hop: Int
    var step: String
    var rating: String
  }

  static let expected: [Expected] = {
    let url = RealCorpusTests.directory.appendingPathComponent("hand-checked.tsv")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").dropFirst().compactMap { line in
      let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard parts.count >= 4, let hop = Int(parts[1]) else { return nil }
      return Expected(file: parts[0], hop: hop, step: parts[2], rating: parts[3])
    }
  }()

  @Test func stepsAndRatingsAgreeWithTheHandCheck() async throws {
    let expected = Self.expected
    #expect(Set(expected.map(\.file)).count >= 60)
    let reports = try await offThePool {
      var reports: [String: TraceReport] = [:]
      for file in Set(expected.map(\.file)) {
        let bytes = Array(try Data(contentsOf: RealCorpusTests.directory.appendingPathComponent(file)))
        reports[file] = try RealCorpusTests.report(bytes)
      }
      return reports
    }
    var steps = 0
    var ratings = 0
    var wrong: [String] = []
    for item in expected {
      guard let hop = reports[item.file]?.hops.first(where: { $0.index == item.hop }) else {
        wrong.append("\(item.file) #\(item.hop): no such hop")
        continue
      }
      if hop.step.rawValue == item.step { steps += 1 }
      if hop.rating.rawValue == item.rating { ratings += 1 }
      if hop.step.rawValue != item.step || hop.rating.rawValue != item.rating {
        wrong.append(
          "\(item.file) #\(item.hop): \(hop.step.rawValue) \(hop.rating.rawValue), hand: \(item.step) \(item.rating)"
        )
      }
    }
    let total = expected.count
    print(
      "hand-checked: \(steps)/\(total) steps, \(ratings)/\(total) ratings agree\n"
        + wrong.joined(separator: "\n"))
    #expect(Double(steps) >= 0.95 * Double(total), "\(wrong.joined(separator: "\n"))")
    // Ratings: 270 of 273 today (the rest in hand-checked-notes.md and the issue note); never fewer.
    #expect(ratings >= 270)
  }
}
