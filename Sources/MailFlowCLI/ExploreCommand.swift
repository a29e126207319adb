import ArgumentParser
import Dispatch
import MailFlowDNS
import MailFlowExplorer
import MailFlowModel
import MailFlowReport
import MailFlowTrace
import TerminalCurses

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// `mailflow explore` (and `mailflow` alone): the full-screen explorer.
struct ExploreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explore",
    abstract: "Open the interactive explorer: the diagram, the hop table and the details, and journeys.",
    discussion: """
      Keys: arrows or h/j/k/l move, g/G first and last, Tab changes pane, Enter opens, Esc goes back, / searches the focused pane (n/N next and previous match), J starts a journey (n/b step, c changes scenario, o shows what an on-path observer reads), ? lists every key, Ctrl-Z suspends (fg returns), q quits.

      p probes a domain (↑/↓ recall earlier ones, kept in $XDG_STATE_HOME/mailflow/history). While it runs, each hop shows a spinner and Esc cancels; then t shows the transcripts, r probes again, s saves the report (the absolute path is shown), x returns to the knowledge view and J steps through the domain's real journey. With DOMAIN the probe starts at once; the probe options are those of 'mailflow probe'. --report opens a saved report offline.

      --scan FILE opens a scan's output ('mailflow scan'): a row per domain with its overall, submission, relay and retrieval ratings and a bar per hop; s orders by each column (worst first), / keeps rows with a word or a rating (relay:weak); Enter opens the domain's report in the normal panes, as --report does; M brings the list back.

      --mailbox PATH opens an mbox or a Maildir as a list of its sending domains (worst rating, messages, share with a cleartext hop; s changes the order, / keeps only rows with a word such as a domain or 'insecure'); Enter lists a domain's messages, Enter on one opens its journey, M brings the list back. It fills while the mailbox is read, off the screen's loop.

      Needs a terminal of at least 80×24; colours follow --color and NO_COLOR.

      \(MailflowCommand.exitStatusHelp)
        130/143/129  ended by SIGINT/SIGTERM/SIGHUP (the terminal is restored first)
      """
  )

  @OptionGroup var global: GlobalOptions

  @Option(
    help: ArgumentHelp(
      "Open a message (.eml or mbox) and step through the journey it took.", valueName: "FILE"))
  var message: String?

  @Argument(help: "Probe this domain at once (e.g. example.net).")
  var domain: String?

  @Option(
    help: ArgumentHelp("Open a report saved with s or 'mailflow probe --json', offline.", valueName: "FILE"))
  var report: String?

  @Option(
    help: ArgumentHelp(
      "Open a mailbox (an mbox, a Maildir, with --recursive its folders): its sending domains, their messages, and each message's journey.",
      valueName: "PATH"))
  var mailbox: String?

  @Flag(help: "With --mailbox and a Maildir: also its Maildir++ folders.")
  var recursive = false

  @Option(
    help: ArgumentHelp(
      "Open a scan's output ('mailflow scan'): its domains with their ratings; Enter opens one's report.",
      valueName: "FILE"))
  var scan: String?

  @OptionGroup(title: "Probe options") var probeOptions: ProbeOptions

  @Flag(help: .hidden) var exitAfterFirstFrame = false

  /// A message's journey for the explorer, or why it could not be read.
  static func journey(forMessageAt path: String, organisations: Organisations) -> Result<
    Journey, MessageLoadError
  > {
    guard path != "-" else {
      return .failure(
        MessageLoadError("standard input is the terminal here: give the path of a message file"))
    }
    do {
      let report = try TraceCommand.load(path, requireRegularFile: true, organisations: organisations)
      return .success(TraceJourney.make(report, name: FilePath.lastComponent(path)))
    } catch {
      return .failure(MessageLoadError(error.message))
    }
  }

  /// Reads a mailbox off the UI loop, posting what it has every batch: the list fills while the user
  /// already browses it.
  static func loadMailbox(
    _ path: String, recursive: Bool, organisations: Organisations,
    post: @escaping @Sendable (ExplorerAction) -> Void
  ) {
    // On a thread of its own (blocking reads, a pool of its own for tracing), never on the Swift
    // concurrency threads that the probes and message loading share.
    DispatchQueue.global(qos: .userInitiated).async {
      var summary = MailboxSummary()
      var batch: [MailboxReader.Item] = []
      func flush() {
        let outcomes = MailboxTrace.trace(batch.map { ($0.header, $0.skipped) }, organisations: organisations)
        var entries: [MailboxBrowser.Entry] = []
        for (item, outcome) in zip(batch, outcomes) {
          switch outcome {
          case .skipped(let reason): summary.skip(reason)
          case .traced(let report):
            summary.add(report, source: item.offset.map { "\(item.file)@\($0)" } ?? item.file)
            entries.append(MailboxBrowser.Entry(report, file: item.file, offset: item.offset))
          }
        }
        batch.removeAll(keepingCapacity: true)
        post(.mailboxProgress(entries, summary))
      }
      do throws(CLIError) {
        try MailboxReader.read(path, recursive: recursive) { item in
          batch.append(item)
          if batch.count >= TraceCommand.batchSize { flush() }
        }
        flush()
        post(.mailboxFinished(failure: nil))
      } catch {
        flush()
        post(.mailboxFinished(failure: error.message))
      }
    }
  }

  func run() throws {
    let base = try global.knowledgeBase()
    let organisations = GlobalOptions.organisations(base)
    if message == "-" {
      throw CLIError("--message needs a file: standard input is the terminal in the explorer")
    }
    // A message that cannot be read is reported before the screen is taken over.
    let traced = try message.map { path throws(CLIError) in
      switch Self.journey(forMessageAt: path, organisations: organisations) {
      case .success(let journey): return journey
      case .failure(let error): throw CLIError(error.message)
      }
    }
    if let domain, !domain.contains(".") {
      // `mailflow tabel` reaches here as a domain: say what it is not, rather than probing "tabel".
      let commands = ["table", "rfc", "probe", "trace", "assets", "explore"]
      let near = commands.min { EditDistance.distance($0, domain) < EditDistance.distance($1, domain) }
      let hint = near.map { EditDistance.distance($0, domain) <= 2 ? " (did you mean '\($0)'?)" : "" } ?? ""
      throw CLIError("'\(domain)' is neither a command nor a domain\(hint); see 'mailflow --help'")
    }
    if domain != nil && report != nil { throw CLIError("give a domain to probe or --report, not both") }
    if mailbox != nil && scan != nil { throw CLIError("open --mailbox or --scan, not both") }
    if let scan {
      guard FilePath.kind(scan) != .missing else {
        throw CLIError("cannot read '\(scan)': no such file or folder")
      }
      guard FilePath.kind(scan) == .other else {
        throw CLIError("'\(scan)' is a folder, not a scan's output")
      }
      // The first line says whether it is one (a line of 'mailflow scan' begins with its input).
      let head = try BoundedFile.prefix(scan, bytes: 16)
      guard head.isEmpty || head.starts(with: Array(#"{"input":"#.utf8)) else {
        throw CLIError("'\(scan)' is not the output of 'mailflow scan' (its lines begin with {\"input\":…)")
      }
    }
    if let mailbox {
      // Checked before the screen is taken over: it exists and is a file or a folder.
      guard mailbox != "-" else {
        throw CLIError("--mailbox needs a file or a Maildir: standard input is the terminal here")
      }
      guard FilePath.kind(mailbox) != .missing else {
        if FilePath.kind(mailbox) == .directory,
          FilePath.kind(FilePath.join(mailbox, "cur")) != .directory,
          FilePath.kind(FilePath.join(mailbox, "new")) != .directory
        {
          throw CLIError("'\(mailbox)' is a folder but not a Maildir (no cur/ or new/ in it)")
        }
        throw CLIError("cannot read '\(mailbox)': no such file or folder")
      }
    }
    if let domain {
      do { _ = try DomainName(domain) } catch { throw CLIError("invalid domain: \(error)") }
    }
    let saved = try report.map { path throws(CLIError) in try ReportFile.load(path) }
    // Every probe input is checked before the screen is taken over.
    let domainProbeOptions = try probeOptions.domainProbeOptions()
    // DNS options given (or a domain to probe at once) are checked now; otherwise the resolver is made
    // when the first probe starts, so the explorer opens fast.
    let configuration = try probeOptions.resolverConfiguration()
    let resolver =
      try probeOptions.needsResolverUpFront || domain != nil ? probeOptions.baseResolver().0 : nil
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
      throw CLIError(
        "the explorer needs an interactive terminal (stdin and stdout); for text output use 'mailflow table'")
    }
    let environment = TerminalEnvironment.current()
    // Colour on a terminal unless NO_COLOR or --color never; the terminal may still lack colour.
    let style = global.style(environment)
    let terminal: CursesTerminal
    do {
      terminal = try CursesTerminal(color: style.color, unicode: !style.ascii)
    } catch {
      throw CLIError("\(error)")
    }
    let runner = ExplorerProbeRunner(
      resolver: resolver, configuration: configuration, probeOptions: domainProbeOptions)
    var state = ExplorerState(knowledge: base, width: 0, height: 0, ascii: style.ascii)
    _ = ExplorerReducer.reduce(&state, .historyLoaded(DomainHistory.load()))
    if let traced { _ = ExplorerReducer.reduce(&state, .messageLoaded(.success(traced))) }
    if let saved, let report {
      // An older report is read into today's shape; the header says so.
      let label =
        saved.schemaVersion < ProbeReport.schemaVersion
        ? "\(report), schema \(saved.schemaVersion) read as \(ProbeReport.schemaVersion)" : report
      _ = ExplorerReducer.reduce(&state, .reportOpened(saved, file: label))
    }
    let clock = ContinuousClock()
    let start = clock.now
    let effects = ExplorerEffectRunner(probes: runner, organisations: organisations)
    if let scan {
      state.scan = ScanBrowser(path: scan)
      state.overlay = .scan
      DispatchQueue.global(qos: .userInitiated).async { [post = runner.post] in
        do throws(CLIError) {
          try ScanFile.rows(scan) { rows, unreadable in post(.scanProgress(rows, unreadable: unreadable)) }
          post(.scanFinished(failure: nil))
        } catch {
          post(.scanFinished(failure: error.message))
        }
      }
    }
    if let mailbox {
      state.mailbox = MailboxBrowser(path: mailbox)
      state.overlay = .mailbox
      Self.loadMailbox(mailbox, recursive: recursive, organisations: organisations, post: runner.post)
    }
    if let domain {
      // Checked before the screen (the domain is valid); the loop then receives the probe's results.
      for effect in ExplorerReducer.reduce(&state, .probeRequested(domain)) { effects.perform(effect) }
    }
    let outcome = ExplorerLoop.run(
      &state, terminal: terminal, pendingSignal: terminal.takePendingSignal,
      afterFirstFrame: { exitAfterFirstFrame }, inbox: effects.drain, clock: { clock.now - start },
      perform: effects.perform)
    runner.cancel()
    effects.finishWrites()
    terminal.end()
    if case .signal(let number) = outcome { throw ExitCode(128 + number) }
  }
}
