import ArgumentParser
import Foundation
import MailFlowDNS
import MailFlowModel
import MailFlowProbe
import X509

/// `mailflow probe DOMAIN`: rate a live domain's hops from what its servers actually do.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Probe a domain's mail servers and rate each hop by what they actually support.",
    discussion: """
      Measured today: the relay hop (MTA → MX): MX lookup with DNSSEC (null MX, implicit MX), every
      address of every MX host in parallel on port 25, STARTTLS, the certificate (PKIX, name, expiry)
      and DANE (TLSA, RFC 7672); and the submission hop (MUA → MSA): SRV discovery (or --submission,
      or smtp./mail. guesses), 465 with implicit TLS and 587 with STARTTLS, rated per RFC 8314. A probe
      never sends MAIL, RCPT or DATA and never logs in. Retrieval is reported as not probed yet. The
      exit status is 0 whatever the ratings; 2 for bad input.

      \(MailflowCommand.exitStatusHelp)
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The domain, e.g. example.net (U-labels such as bücher.example are converted).")
  var domain: String

  @Flag(help: "Print the report as JSON (schemaVersion, domain, overall, hops[], dns[]).")
  var json = false

  @Flag(help: "Show the SMTP dialogue of each connection.")
  var transcript = false

  @Option(
    help: ArgumentHelp(
      "Seconds for each connection's whole dialogue (DNS lookups have their own).", valueName: "SECONDS"))
  var timeout: Double = 10

  @Option(
    help: ArgumentHelp(
      "Forward DNS to this resolver instead of /etc/resolv.conf's (repeatable).", valueName: "ADDR[@PORT]"))
  var resolver: [String] = []

  @Option(
    name: .customLong("trust-anchor"),
    help: ArgumentHelp(
      "DS or DNSKEY records (zone-file format) to trust, besides the root's (repeatable).", valueName: "FILE")
  )
  var trustAnchors: [String] = []

  @Flag(help: "Use only the --trust-anchor files, not the root trust anchor.")
  var replaceRootAnchor = false

  @Option(
    name: .customLong("ca-file"),
    help: ArgumentHelp("Also trust the CA certificates in this PEM file (repeatable).", valueName: "PEM"))
  var caFiles: [String] = []

  @Flag(name: .customShort("4"), help: "IPv4 only.") var ipv4Only = false
  @Flag(name: .customShort("6"), help: "IPv6 only.") var ipv6Only = false

  @Option(
    help: ArgumentHelp(
      "Connect to another port for a service, e.g. smtp=2525 (repeatable).", valueName: "SERVICE=PORT"))
  var port: [String] = []

  @Option(
    help: ArgumentHelp(
      "Probe this submission server instead of discovering it (without a port: 465 and 587).",
      valueName: "HOST[:PORT]"))
  var submission: String?

  @Option(help: .hidden) var dnsConfig: String?

  static let services = ["smtp", "submission", "submissions", "imap", "imaps", "pop3", "pop3s"]

  func run() async throws {
    let name: DomainName
    do { name = try DomainName(domain) } catch { throw CLIError("invalid domain: \(error)") }
    guard timeout > 0, timeout <= 600 else { throw CLIError("--timeout must be between 0 and 600 seconds") }
    guard !(ipv4Only && ipv6Only) else { throw CLIError("-4 and -6 cannot be used together") }

    // Every input is checked before any lookup is made.
    var options = RelayProbe.Options()
    options.timeout = .milliseconds(Int(timeout * 1000))
    options.useIPv4 = !ipv6Only
    options.useIPv6 = !ipv4Only
    options.extraRoots = try caFiles.flatMap(Self.certificates)
    var submissionOptions = SubmissionProbe.Options()
    submissionOptions.timeout = options.timeout
    submissionOptions.useIPv4 = options.useIPv4
    submissionOptions.useIPv6 = options.useIPv6
    submissionOptions.extraRoots = options.extraRoots
    for assignment in port {
      let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, Self.services.contains(parts[0]), let value = Int(parts[1]),
        (1...65_535).contains(value)
      else {
        throw CLIError(
          "--port expects SERVICE=PORT with SERVICE one of \(Self.services.joined(separator: ", ")), got '\(assignment)'"
        )
      }
      if parts[0] == "smtp" { options.port = value }
      if parts[0] == "submissions" { submissionOptions.submissionsPort = value }
      if parts[0] == "submission" { submissionOptions.submissionPort = value }
    }
    if let submission {
      let parts = submission.split(separator: ":", maxSplits: 1).map(String.init)
      let port = parts.count == 2 ? Int(parts[1]) : nil
      guard let host = try? DomainName(parts[0]),
        parts.count == 1 || (port.map { (1...65_535).contains($0) } ?? false)
      else { throw CLIError("--submission expects HOST[:PORT], got '\(submission)'") }
      submissionOptions.override = (host.ascii, port)
    }

    var configuration = DNSResolver.Configuration()
    do {
      configuration.forwarders = try resolver.map { (text) throws(ResolverAddress.ParseError) in
        try ResolverAddress.parse(text)
      }
    } catch { throw CLIError("\(error)") }
    configuration.trustAnchorFiles = trustAnchors
    configuration.useRootAnchor = !replaceRootAnchor
    configuration.configFile = dnsConfig
    configuration.timeout = .milliseconds(Int(min(timeout, 10) * 1000))
    var dns: DNSResolver
    do { dns = try DNSResolver(configuration) } catch { throw CLIError("\(error)") }
    // The system's forwarders may strip DNSSEC; then resolve from the root ourselves.
    if resolver.isEmpty && dnsConfig == nil && configuration.useRootAnchor {
      if DNSResolver.forwardersStripDNSSEC(await dns.query(".", .dnskey)) {
        configuration.recursive = true
        if let recursive = try? DNSResolver(configuration) { dns = recursive }
      }
    }

    let terminal = TerminalEnvironment.current()
    if isatty(STDERR_FILENO) == 1 {
      // Live progress for a person watching; scripts reading stdout are not disturbed.
      FileHandle.standardError.write(Data("probing \(name)…\n".utf8))
      options.progress = { line in FileHandle.standardError.write(Data("  \(line)\n".utf8)) }
    }
    let report = await DomainProbe.run(
      domain: name, resolver: dns, options: options, submission: submissionOptions)
    if json {
      print(try JSONOutput.render(report), terminator: "")
    } else {
      let style = global.style(terminal)
      let base = try global.knowledgeBase()
      print(
        style.finish(
          ProbeFormatter.render(report, name: name, knowledge: base, style: style, transcript: transcript)),
        terminator: "")
    }
  }

  /// The certificates of a PEM file, or a one-line error naming it.
  static func certificates(_ path: String) throws(CLIError) -> [Certificate] {
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else {
      throw CLIError("cannot read CA file '\(path)'")
    }
    let blocks = text.components(separatedBy: "-----END CERTIFICATE-----").filter {
      $0.contains("-----BEGIN CERTIFICATE-----")
    }
    var result: [Certificate] = []
    for block in blocks {
      do {
        result.append(try Certificate(pemEncoded: block + "-----END CERTIFICATE-----"))
      } catch {
        throw CLIError("'\(path)' holds a certificate that cannot be read: \(error)")
      }
    }
    guard !result.isEmpty else { throw CLIError("'\(path)' holds no PEM certificate") }
    return result
  }
}
