import ArgumentParser
import MailFlowDNS
import MailFlowModel
import MailFlowProbe
import MailFlowReport
import TerminalUI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// `mailflow scan [FILE|-]`: many domains, politely, one JSON line each.
struct ScanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scan",
    abstract: "Probe many domains (one per line) politely and write one JSON line per domain.",
    discussion: """
      FILE (or standard input, '-') holds one domain per line; blank lines and # comments are skipped, a bad line is reported with its number and skipped, a domain given twice is probed once. Each domain's probe report (the 'probe --json' schema, compact, with its "input") is written as one line to standard output or --output, whole: a scan killed at any moment and started again with --resume reads the output, drops a torn last line, skips the domains present and appends the rest.

      Politely: at most --per-ip connections to one server address at a time and --interval milliseconds between two to it; --concurrency domains in flight; a server that answers 421 or another 4xx is asked again once after --busy-retry seconds, and reported as busy (unknown, with that reason) if it still is. A server (address, port, name) is asked once for all the domains that use it; DANE, MTA-STS and names are still judged per domain. --shard K/N takes the domains whose stable hash falls in shard K (0 to N-1) of N, so N machines split a list without coordination. On a terminal a progress line is shown; the summary ends on standard error. --summary FILE summarises an output file (or several shards' concatenated) without probing.

      \(MailflowCommand.exitStatusHelp)
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The list of domains, or - for standard input.")
  var file: String = "-"

  @Option(
    help: ArgumentHelp("Write the JSON lines to this file instead of standard output.", valueName: "FILE"))
  var output: String?

  @Flag(help: "Continue a scan: skip the domains already in --output and append the rest.")
  var resume = false

  @Option(help: ArgumentHelp("Only the domains of shard K (0 to N-1) of N.", valueName: "K/N"))
  var shard: String?

  @Option(help: "Domains probed at once.")
  var concurrency = 16

  @Option(name: .customLong("per-ip"), help: "Connections open at once to one server address.")
  var perIP = 1

  @Option(help: "Milliseconds between two connections to one server address.")
  var interval = 250

  @Option(
    name: .customLong("busy-retry"),
    help: "Seconds before asking a busy (4xx) server again, once (0: never again).")
  var busyRetry = 10

  @Option(help: ArgumentHelp("Summarise a scan's output file instead of scanning.", valueName: "FILE"))
  var summary: String?

  @OptionGroup var probeOptions: ProbeOptions

  /// A domain list larger than this is refused (about 20 million domains).
  static let maximumInputBytes = 512 * 1_048_576

  func validate() throws {
    guard (1...1024).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 1024") }
    guard (1...64).contains(perIP) else { throw ValidationError("--per-ip must be 1 to 64") }
    guard (0...60_000).contains(interval) else { throw ValidationError("--interval must be 0 to 60000 ms") }
    guard (0...600).contains(busyRetry) else { throw ValidationError("--busy-retry must be 0 to 600 s") }
    if let shard, ScanShard(shard) == nil {
      throw ValidationError("--shard '\(TerminalSafe.visible(shard))' is not K/N with 0 ≤ K < N")
    }
    if resume && output == nil { throw ValidationError("--resume needs --output: it reads what was written") }
  }

  func run() async throws {
    let style = global.style(.current())
    if let summary {
      let totals = try ScanSummary.read(summary)
      guard totals.domains > 0 || totals.unreadableLines == 0 else {
        throw CLIError(
          "'\(summary)' holds no scan lines (\(totals.unreadableLines) lines that are not 'mailflow scan' output)"
        )
      }
      print(totals.text(style: style), terminator: "")
      return
    }
    let text: String
    if file == "-" && isatty(STDIN_FILENO) == 1 {
      throw CLIError("give a file of domains (one per line), or pipe them in: mailflow scan domains.txt")
    }
    if file == "-" {
      text = String(
        decoding: try FilePath.readAll(STDIN_FILENO, name: "standard input", limit: Self.maximumInputBytes),
        as: UTF8.self)
    } else {
      text = String(
        decoding: try BoundedFile.read(file, what: "domain list", limit: Self.maximumInputBytes),
        as: UTF8.self)
    }
    let input = ScanInput(text)
    let name = file == "-" ? "standard input" : file
    for bad in input.badLines.prefix(100) {
      FilePath.writeStandardError(
        "mailflow: \(name) line \(bad.number): \(TerminalSafe.visible(bad.reason)); skipped\n")
    }
    if input.badLines.count > 100 {
      FilePath.writeStandardError("mailflow: \(input.badLines.count - 100) more bad lines skipped\n")
    }
    var domains = input.domains
    if let shard = shard.flatMap(ScanShard.init) { domains = domains.filter(shard.contains) }
    let sink = try ScanSink(path: output, resume: resume)
    let done = sink.done
    domains = domains.filter { !done.contains($0) }

    var options = try probeOptions.domainProbeOptions()
    let cache = SessionCache()
    options.relay.cache = cache
    options.client.cache = cache
    options.relay.retryBusyAfter = busyRetry > 0 ? .seconds(busyRetry) : nil
    await DomainProbe.configurePoliteness(perAddress: perIP, interval: .milliseconds(interval))
    let dns = try await probeOptions.makeResolver()
    let progress = ScanProgress(total: domains.count, shown: isatty(STDERR_FILENO) == 1)
    let clock = ContinuousClock()
    let start = clock.now
    let probeOptions = options
    let limit = concurrency
    try await withThrowingTaskGroup(of: (String, ProbeReport?).self) { group in
      var next = 0
      func add() {
        let domain = domains[next]
        next += 1
        group.addTask {
          guard let name = try? DomainName(domain) else { return (domain, nil) }
          return (domain, await DomainProbe.run(domain: name, resolver: dns, options: probeOptions))
        }
      }
      while next < min(limit, domains.count) { add() }
      while let (domain, report) = try await group.next() {
        if let report { try await sink.write(domain, report) }
        await progress.finished(error: report == nil || report?.overall.rating == .unknown)
        if next < domains.count { add() }
      }
    }
    await progress.end()
    var totals = await sink.summary
    totals.badInputLines = input.badLines.count
    let elapsed = clock.now - start
    totals.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    totals.connectionsSaved = await cache.hits
    FilePath.writeStandardError(totals.text(style: style.color ? style : .plain))
  }
}
