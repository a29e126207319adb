import ArgumentParser
import Foundation
import MailFlowDNS
import MailFlowModel
import MailFlowProbe
import TerminalUI
import X509

/// `mailflow probe DOMAIN`: rate a live domain's hops from what its servers actually do.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Probe a domain's mail servers and rate each hop by what they actually support.",
    discussion: """
      Rates the three measured hops and shows the evidence. Submission (MUA → MSA): 465 with implicit TLS and 587 with STARTTLS, per RFC 8314. Relay (MTA → MX): every address of every MX on port 25, STARTTLS, the certificate, DANE (RFC 7672), MTA-STS (RFC 8461) and TLS-RPT (RFC 8460). Retrieval (MS → MUA): IMAP 993/143 and POP3 995/110 (capabilities, STARTTLS/STLS, LOGINDISABLED).

      Mail programs' servers are found as they find them: SRV records (RFC 6186/8314), then autoconfig over HTTPS (autoconfig.DOMAIN, then DOMAIN/.well-known), then the names smtp., mail., imap., pop. (marked as guesses); --submission, --imap and --pop3 skip discovery. Where the sources disagree, the report says so.

      A probe never sends MAIL, RCPT or DATA and never logs in. The exit status is 0 whatever the ratings; 2 for bad input.

      \(MailflowCommand.exitStatusHelp)
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The domain, e.g. example.net (U-labels such as bücher.example are converted).")
  var domain: String

  @Flag(help: "Print the report as JSON (schemaVersion, domain, overall, hops[], dns[]).")
  var json = false

  @Flag(help: "Show the protocol dialogue (SMTP, IMAP, POP3) of each connection.")
  var transcript = false

  @OptionGroup var probeOptions: ProbeOptions

  func run() async throws {
    let name: DomainName
    do { name = try DomainName(domain) } catch { throw CLIError("invalid domain: \(error)") }
    var options = try probeOptions.domainProbeOptions()
    let dns = try await probeOptions.makeResolver()

    let terminal = TerminalEnvironment.current()
    if isatty(STDERR_FILENO) == 1 {
      // Live progress for a person watching; scripts reading stdout are not disturbed.
      FileHandle.standardError.write(Data("probing \(TerminalSafe.visible(name.description))…\n".utf8))
      options.relay.progress = { line in
        FileHandle.standardError.write(Data("  \(TerminalSafe.visible(line))\n".utf8))
      }
    }
    let report = await DomainProbe.run(domain: name, resolver: dns, options: options)
    if json {
      print(try JSONOutput.render(report), terminator: "")
    } else {
      let style = global.style(terminal)
      let base = try global.knowledgeBase()
      print(
        ProbeFormatter.render(report, name: name, knowledge: base, style: style, transcript: transcript),
        terminator: "")
    }
  }
}
