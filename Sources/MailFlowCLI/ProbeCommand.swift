import ArgumentParser
import MailFlowDNS
import MailFlowModel
import MailFlowProbe
import MailFlowReport
import TerminalUI
import X509

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// `mailflow probe DOMAIN`: rate a live domain's hops from what its servers actually do.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Probe a domain's mail servers and rate each hop by what they actually support.",
    discussion: """
      Rates the three measured hops and shows the evidence. Submission (MUA → MSA): 465 with implicit TLS and 587 with STARTTLS, per RFC 8314. Relay (MTA → MX): every address of every MX on port 25, STARTTLS, the certificate, DANE (RFC 7672), MTA-STS (RFC 8461) and TLS-RPT (RFC 8460). Retrieval (MS → MUA): IMAP 993/143 and POP3 995/110 (capabilities, STARTTLS/STLS, LOGINDISABLED).

      Mail programs' servers are found as they find them: SRV records (RFC 6186/8314), then autoconfig over HTTPS (autoconfig.DOMAIN, then DOMAIN/.well-known), then the names smtp., mail., imap., pop. (marked as guesses); --submission, --imap and --pop3 skip discovery. Where the sources disagree, the report says so.

      Each hop ends with how to fix what was found, computed from the evidence: the TLSA records to publish (3 1 1 of the certificate's key and 2 1 1 of its issuer's), the MTA-STS record and policy file, TLS-RPT, SRV records, what to turn off, certificate expiry (--warn-days), and server settings where the banner names the software (a hint). --no-fixes leaves them out of the text; the JSON always has them (hops[].fixes).

      A probe never sends MAIL, RCPT or DATA and never logs in. The exit status is 0 whatever the ratings, unless --fail-on: then 3 when the report reaches that level — broken (a hop is broken), insecure (cleartext or broken), weak (downgradable or worse) or warn (any of those, a hop that could not be tested, or a fix of warning or error severity). --compare OLD.json adds what changed since that report (see 'mailflow diff').

      \(MailflowCommand.exitStatusHelp)
        3  --fail-on: the report reached the level
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The domain, e.g. example.net (U-labels such as bücher.example are converted).")
  var domain: String

  @Flag(help: "Print the report as JSON (schemaVersion, domain, overall, hops[], dns[]).")
  var json = false

  @Flag(help: "Show the protocol dialogue (SMTP, IMAP, POP3) of each connection.")
  var transcript = false

  @Flag(help: "Leave the fixes (what to publish or change) out of the text output.")
  var noFixes = false

  @Flag(help: "Add the domain's checklist (every check with pass, warn, fail) to the text output.")
  var checks = false

  @Option(help: "Exit with status 3 when the report reaches this level: broken, insecure, weak or warn.")
  var failOn: FailureLevel?

  @Option(help: "Certificates expiring within this many days are a warning (default 21).")
  var warnDays = FixAdvisor.defaultWarnDays

  @Option(help: "A saved report (probe --json) of the domain to compare with: what changed is added.")
  var compare: String?

  @OptionGroup var probeOptions: ProbeOptions

  func run() async throws {
    let name: DomainName
    do { name = try DomainName(domain) } catch { throw CLIError("invalid domain: \(error)") }
    var options = try probeOptions.domainProbeOptions()
    try ProbeOptions.checkWarnDays(warnDays)
    options.warnDays = warnDays
    let earlier = try compare.map { path throws(CLIError) in try ReportFile.load(path) }
    let dns = try await probeOptions.makeResolver()

    let terminal = TerminalEnvironment.current()
    if isatty(STDERR_FILENO) == 1 {
      // Live progress for a person watching; scripts reading stdout are not disturbed.
      FilePath.writeStandardError("probing \(TerminalSafe.visible(name.description))…\n")
      options.relay.progress = { line in
        FilePath.writeStandardError("  \(TerminalSafe.visible(line))\n")
      }
    }
    let report = await DomainProbe.run(domain: name, resolver: dns, options: options)
    let changes = earlier.map { ReportDiff.changes(from: $0, to: report, warnDays: warnDays) }
    if json {
      if let earlier, let changes {
        print(
          try JSONOutput.render(
            ComparedReport(report: report, compared: DiffOutput(earlier, report, changes))), terminator: "")
      } else {
        print(try JSONOutput.render(report), terminator: "")
      }
    } else {
      let style = global.style(terminal)
      let base = try global.knowledgeBase()
      print(
        ProbeFormatter.render(
          report, name: name, knowledge: base, style: style, transcript: transcript, fixes: !noFixes),
        terminator: "")
      if checks {
        print("")
        print(
          style.render([style.bold("Checklist")] + ProbeFormatter.checklist(report, style: style)),
          terminator: "")
      }
      if let earlier, let changes {
        print("")
        print(
          style.render(
            [style.bold("What changed")] + DiffCommand.lines(earlier, report, changes, style: style)),
          terminator: "")
      }
    }
    if let failOn {
      let reasons = failOn.reasons(report)
      if !reasons.isEmpty {
        // On stderr, so a script reading the JSON on stdout is not disturbed.
        FilePath.writeStandardError(
          "--fail-on \(failOn.rawValue): \(TerminalSafe.visible(reasons.joined(separator: "; ")))\n")
        throw ExitCode(3)
      }
    }
  }
}

/// `probe --json --compare OLD`: the report, and what changed since the older one.
struct ComparedReport: Encodable {
  var report: ProbeReport
  var compared: DiffOutput
}
