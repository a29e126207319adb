import ArgumentParser
import Dispatch
import MailFlowModel
import MailFlowProbe
import MailFlowTrace
import TerminalUI

/// `mailflow trace PATH`: the journey a delivered message actually took, from its Received fields —
/// or, for an mbox or a Maildir, how all of its mail travelled.
struct TraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Reconstruct a message's journey from its Received fields, or summarise a whole mailbox.",
    discussion: """
      PATH is a message (.eml), an mbox (messages separated by 'From ' lines, mboxo or mboxrd), a
      Maildir (its cur/ and new/; with --recursive also its Maildir++ folders), or '-' for standard
      input (a message or an mbox). Only header sections are read; bodies are skipped.

      One message: each Received field is one hop, oldest first, mapped to a pipeline step (submission,
      outbound, relay, delivery) and rated by what happened to this message there: TLS 1.2 or newer
      recorded ✔ (TLS recorded without its version, such as 'with ESMTPS', also ✔, with a note that the
      version cannot be judged), older TLS ✘, no TLS between hosts ✘✘, internal handling -, too little
      evidence ?.

      Several messages: a summary — messages read and skipped (and why), the share whose every network
      hop is recorded encrypted, the ratings per step, per sending organisation and per last external
      relay (messages, cleartext hops, oldest TLS version, first and last date), the slowest transits.
      --json prints it as JSON; --jsonl prints one line per message instead.

      \(MailflowCommand.exitStatusHelp)
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "A message file, an mbox, a Maildir, or - for standard input.")
  var file: String

  @Flag(help: "Print JSON: one message's trace report, or a mailbox's summary.")
  var json = false

  @Flag(help: "Print one JSON object per message (file, offset, messageId, date, senderDomain, hops…).")
  var jsonl = false

  @Flag(help: "With a Maildir: also read its Maildir++ folders (.Sent, .Archive…).")
  var recursive = false

  @Option(help: ArgumentHelp("Only messages dated on or after this day.", valueName: "YYYY-MM-DD"))
  var since: String?

  @Option(help: ArgumentHelp("Only messages dated on or before this day.", valueName: "YYYY-MM-DD"))
  var until: String?

  /// Messages traced together on every core.
  static let batchSize = 512

  func validate() throws {
    if json && jsonl { throw ValidationError("--json and --jsonl cannot be used together") }
    if let since, let until, since > until {
      throw ValidationError("--since \(since) is after --until \(until)")
    }
    for (name, value) in [("--since", since), ("--until", until)] {
      if let value, ReportDay(value) == nil {
        throw ValidationError("\(name) '\(TerminalSafe.visible(value))' is not a date (YYYY-MM-DD)")
      }
    }
  }

  func run() throws {
    var summary = MailboxSummary()
    var first: MailboxReader.Item?
    var count = 0
    var batch: [MailboxReader.Item] = []
    let filter = DateFilter(since: since.flatMap(ReportDay.init), until: until.flatMap(ReportDay.init))
    let jsonl = jsonl
    // The Public Suffix List (about 9,500 rules to index) is read on another core while the knowledge
    // base is loaded and the message is read; `organisations` waits for it only when a header is traced.
    DispatchQueue.global(qos: .userInitiated).async { _ = PublicSuffixList.system }
    let base = try global.knowledgeBase()
    var known: Organisations?
    func organisations() -> Organisations {
      if let known { return known }
      let made = GlobalOptions.organisations(base)
      known = made
      return made
    }
    // A Maildir is a mailbox whatever it holds: its summary, even for one message.
    let maildir = file != "-" && FilePath.kind(file) == .directory
    func flush() throws(CLIError) {
      let outcomes = MailboxTrace.trace(batch.map { ($0.header, $0.skipped) }, organisations: organisations())
      for (item, outcome) in zip(batch, outcomes) {
        let source = item.offset.map { "\(item.file)@\($0)" } ?? item.file
        switch outcome {
        case .skipped(let reason): summary.skip(reason)
        case .traced(let report):
          if let reason = filter.exclusion(report) {
            summary.skip(reason)
            continue
          }
          summary.add(report, source: source)
          if jsonl {
            print(try JSONOutput.line(MessageJourney(report, file: item.file, offset: item.offset)))
          }
        }
      }
      batch.removeAll(keepingCapacity: true)
    }
    try MailboxReader.read(file, recursive: recursive) { (item) throws(CLIError) in
      count += 1
      // One message is shown as its journey; hold the first until a second says it is a mailbox.
      if count == 1 && !jsonl && !filter.active && !maildir {
        first = item
        return
      }
      if let held = first {
        batch.append(held)
        first = nil
      }
      batch.append(item)
      if batch.count >= Self.batchSize { try flush() }
    }
    if let single = first {
      try show(single, knowledge: base, organisations: organisations())
      return
    }
    try flush()
    guard !jsonl else { return }
    if json {
      print(try JSONOutput.render(summary), terminator: "")
    } else {
      print(MailboxFormatter.render(summary, style: global.style(.current())), terminator: "")
    }
  }

  /// One message, as before mailboxes: its journey, or a one-line error.
  func show(_ item: MailboxReader.Item, knowledge base: KnowledgeBase, organisations: Organisations) throws {
    let report = try Self.report(
      item.header, name: item.file, skipped: item.skipped, organisations: organisations)
    if json {
      print(try JSONOutput.render(report), terminator: "")
    } else {
      TraceFormatter.render(report, knowledge: base, style: global.style(.current())) {
        FilePath.writeStandardOutput($0)
      }
    }
    // The process ends after this one message: its report is left to the exit rather than freed string
    // by string (20,000 hops took 20 ms to free). A mailbox's reports are freed batch by batch.
    UnsafeMutablePointer<TraceReport>.allocate(capacity: 1).initialize(to: report)
  }

  static func report(_ bytes: [UInt8], name: String, skipped: String? = nil, organisations: Organisations)
    throws(CLIError) -> TraceReport
  {
    if let skipped { throw CLIError("\(name): \(skipped)") }
    do {
      let header = try HeaderSection.parse(bytes)
      let report = try TraceAnalyzer.analyze(header, organisations: organisations)
      BackgroundRelease.release(header)
      return report
    } catch let error as HeaderSection.ParseError {
      throw CLIError("\(name): \(error)")
    } catch let error as TraceAnalyzer.Failure {
      throw CLIError("\(name): \(error)")
    } catch {
      throw CLIError("\(name): \(error)")
    }
  }

  /// Reads and analyses one message, turning every failure into a one-line error (the explorer's
  /// `--message`).
  static func load(_ file: String, requireRegularFile: Bool = false, organisations: Organisations)
    throws(CLIError) -> TraceReport
  {
    let (bytes, _) = try HeaderFileReader.read(path: file, requireRegularFile: requireRegularFile)
    return try report(bytes, name: file == "-" ? "standard input" : file, organisations: organisations)
  }
}

/// A day given on the command line, as the first ten characters of an ISO 8601 date compare.
struct ReportDay {
  let iso: String

  init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard text.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month),
      (1...MessageDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    iso = text
  }
}

/// `--since` / `--until`: messages outside are left out, and so are messages without a date.
struct DateFilter {
  let since: ReportDay?
  let until: ReportDay?

  var active: Bool { since != nil || until != nil }

  func exclusion(_ report: TraceReport) -> String? {
    guard active else { return nil }
    guard let date = (report.message.date ?? report.hops.first?.timestamp)?.prefix(10) else {
      return "no date (with --since/--until)"
    }
    if let since, date < since.iso { return "before --since" }
    if let until, date > until.iso { return "after --until" }
    return nil
  }
}
