import ArgumentParser
import MailFlowReport
import TerminalUI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension FailureLevel: ExpressibleByArgument {}

/// `mailflow diff OLD.json NEW.json`: what changed between two probe reports of a domain.
struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Show what changed between two saved probe reports (probe --json) of a domain.",
    discussion: """
      Lists, per hop and endpoint, ratings that changed, endpoints that appeared or went, certificates replaced or nearing expiry, TLSA records and MTA-STS and TLS-RPT policies that changed; each change that makes the domain less protected is marked (worse).

      With --fail-on LEVEL the exit status is 3 when something got worse and the newer report reaches LEVEL (broken, insecure, weak or warn, as for probe --fail-on).

      \(MailflowCommand.exitStatusHelp)
        3  --fail-on: something got worse and the newer report reaches the level
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The older report (a file written by probe --json or saved in the explorer).")
  var old: String

  @Argument(help: "The newer report.")
  var new: String

  @Flag(help: "Print the changes as JSON (old, new, changes[]).")
  var json = false

  @Option(help: "Exit 3 when something got worse and the newer report reaches this level.")
  var failOn: FailureLevel?

  @Option(help: "Certificates expiring within this many days count as a change for the worse.")
  var warnDays = FixAdvisor.defaultWarnDays

  func run() throws {
    try ProbeOptions.checkWarnDays(warnDays)
    let before = try ReportFile.load(old)
    let after = try ReportFile.load(new)
    let changes = ReportDiff.changes(from: before, to: after, warnDays: warnDays)
    if json {
      print(try JSONOutput.render(DiffOutput(before, after, changes)), terminator: "")
    } else {
      let style = global.style(TerminalEnvironment.current())
      print(style.render(Self.lines(before, after, changes, style: style)), terminator: "")
    }
    if let failOn, changes.contains(where: \.worse), !failOn.reasons(after, warnDays: warnDays).isEmpty {
      throw ExitCode(3)
    }
  }

  /// The changes as text: a heading naming both reports, then a line per change.
  static func lines(
    _ before: ProbeReport, _ after: ProbeReport, _ changes: [ReportChange], style: OutputStyle
  ) -> [StyledLine] {
    var lines: [StyledLine] = [
      style.bold("\(after.domain)") + ": \(before.startedAt) → \(after.startedAt)"
    ]
    if before.domain != after.domain {
      lines.append(
        StyledLine("note: the reports are of different domains (\(before.domain), \(after.domain))"))
    }
    if changes.isEmpty { lines.append(StyledLine("  nothing changed")) }
    for change in changes {
      lines.append(
        "  " + (change.worse ? style.paint("worse", .insecure) + " " : "") + StyledLine(change.line))
    }
    return lines
  }
}

/// `diff --json`: which reports were compared, and the changes.
struct DiffOutput: Encodable {
  struct Side: Encodable {
    var domain: String
    var startedAt: String
  }

  var old: Side
  var new: Side
  var changes: [ReportChange]

  init(_ before: ProbeReport, _ after: ProbeReport, _ changes: [ReportChange]) {
    old = Side(domain: before.domain, startedAt: before.startedAt)
    new = Side(domain: after.domain, startedAt: after.startedAt)
    self.changes = changes
  }
}
