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

/// The options of a live probe, shared by `mailflow probe` and the explorer: where DNS comes from, what
/// to trust, how long to wait, where to connect. Every input is checked before any lookup is made.
struct ProbeOptions: ParsableArguments {
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
      "Connect to another port for a service (smtp, submission, submissions, imap, imaps, pop3, pop3s, https), e.g. smtp=2525 (repeatable).",
      valueName: "SERVICE=PORT"))
  var port: [String] = []

  @Option(
    help: ArgumentHelp(
      "Probe this submission server instead of discovering it (without a port: 465 and 587).",
      valueName: "HOST[:PORT]"))
  var submission: String?

  @Option(
    help: ArgumentHelp(
      "Probe this IMAP server instead of discovering retrieval (without a port: 993 and 143).",
      valueName: "HOST[:PORT]"))
  var imap: String?

  @Option(
    help: ArgumentHelp(
      "Probe this POP3 server instead of discovering retrieval (without a port: 995 and 110).",
      valueName: "HOST[:PORT]"))
  var pop3: String?

  @Option(
    help: ArgumentHelp(
      "Probe only these measured hops (comma-separated: submission, relay, retrieval); the others are reported as not probed.",
      valueName: "HOPS"))
  var hop: String?

  @Option(
    name: .customLong("dkim-selector"),
    help: "A DKIM selector to check (repeatable); the common ones are tried too (selectors cannot be listed)."
  )
  var dkimSelectors: [String] = []

  @Flag(
    help: ArgumentHelp(
      "Extra TLS handshakes at every endpoint that speaks TLS: each protocol version alone (TLS 1.0 to 1.3: 1.3 good, 1.2 sufficient, 1.0/1.1 insufficient) and RSA-only and ECDSA-only, to see both certificates and DANE on each. Findings with fixes; they never change a hop's rating. Six more dialogues per endpoint: servers that limit connections per client may refuse some (off by default)."
    ))
  var tlsVersions = false

  @Option(help: .hidden) var dnsConfig: String?

  /// The mail services (the report's vocabulary) and `https` (MTA-STS and autoconfig fetches).
  static let services = Service.allCases.map(\.rawValue) + ["https"]

  /// The probe's options from the command line, or a one-line error.
  func domainProbeOptions() throws(CLIError) -> DomainProbe.Options {
    guard timeout > 0, timeout <= 600 else {
      throw CLIError("--timeout must be more than 0 and at most 600 seconds")
    }
    guard !(ipv4Only && ipv6Only) else { throw CLIError("-4 and -6 cannot be used together") }
    var options = DomainProbe.Options()
    for selector in dkimSelectors {
      // A selector is one or more DNS labels (RFC 6376 §3.1).
      guard (try? DomainName(selector + ".example")) != nil, !selector.hasSuffix(".") else {
        throw CLIError("--dkim-selector '\(TerminalSafe.visible(selector))' is not a selector (DNS labels)")
      }
    }
    options.dkimSelectors = dkimSelectors
    let seconds: Duration = .milliseconds(Int(timeout * 1000))
    var roots: [Certificate] = []
    for file in caFiles { roots += try Self.certificates(file) }
    options.relay.timeout = seconds
    options.relay.useIPv4 = !ipv6Only
    options.relay.useIPv6 = !ipv4Only
    options.relay.extraRoots = roots
    options.client.timeout = seconds
    options.client.useIPv4 = !ipv6Only
    options.client.useIPv6 = !ipv4Only
    options.client.extraRoots = roots
    options.relay.tlsScan = tlsVersions
    options.client.tlsScan = tlsVersions
    options.https.timeout = seconds
    options.https.useIPv4 = !ipv6Only
    options.https.useIPv6 = !ipv4Only
    options.https.extraRoots = roots
    for assignment in port {
      let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, Self.services.contains(parts[0]), let value = Int(parts[1]),
        (1...65_535).contains(value)
      else {
        throw CLIError(
          "--port expects SERVICE=PORT with SERVICE one of \(Self.services.joined(separator: ", ")), got '\(assignment)'"
        )
      }
      switch Service(rawValue: parts[0]) {
      case .smtp: options.relay.port = value
      case let service?: options.client.ports[service] = value
      case nil: options.https.port = value  // the one other name `services` holds
      }
    }
    if let hop {
      let names = hop.split(separator: ",").map { $0.trimmingCharacters(in: " \t").lowercased() }
      let ids = names.compactMap(HopID.init(rawValue:)).filter(HopID.measured.contains)
      guard !names.isEmpty, ids.count == names.count else {
        throw CLIError("--hop expects submission, relay and/or retrieval (comma-separated), got '\(hop)'")
      }
      options.hops = Set(ids)
    }
    for (flag, value, family) in [
      ("--submission", submission, "smtp"), ("--imap", imap, "imap"), ("--pop3", pop3, "pop3"),
    ] {
      guard let value else { continue }
      let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      let port = parts.count == 2 ? Int(parts[1]) : nil
      guard let host = try? DomainName(parts[0]),
        parts.count == 1 || (port.map { (1...65_535).contains($0) } ?? false)
      else { throw CLIError("\(flag) expects HOST[:PORT], got '\(value)'") }
      options.client.overrides[family] = (host.ascii, port)
    }
    return options
  }

  /// The resolver the options describe; when the system's forwarders strip DNSSEC, one that resolves
  /// from the root itself.
  func makeResolver() async throws(CLIError) -> DNSResolver {
    let (dns, configuration) = try baseResolver()
    return await Self.upgraded(dns, configuration: configuration)
  }

  /// Any DNS option given, whose mistakes (a bad trust anchor file) only making a resolver shows.
  var needsResolverUpFront: Bool { !resolver.isEmpty || !trustAnchors.isEmpty || dnsConfig != nil }

  /// The resolver as configured, made at once (bad addresses or trust anchors fail here).
  func baseResolver() throws(CLIError) -> (DNSResolver, DNSResolver.Configuration) {
    let configuration = try resolverConfiguration()
    do { return (try DNSResolver(configuration), configuration) } catch { throw CLIError("\(error)") }
  }

  func resolverConfiguration() throws(CLIError) -> DNSResolver.Configuration {
    var configuration = DNSResolver.Configuration()
    do {
      configuration.forwarders = try resolver.map { (text) throws(ResolverAddress.ParseError) in
        try ResolverAddress.parse(text)
      }
    } catch { throw CLIError("\(error)") }
    for file in trustAnchors { try Self.checkTrustAnchor(file) }
    configuration.trustAnchorFiles = trustAnchors
    configuration.useRootAnchor = !replaceRootAnchor
    // A configuration unbound reads itself: a regular file of bounded size (a FIFO would block it).
    if let dnsConfig { _ = try BoundedFile.read(dnsConfig, what: "DNS configuration", limit: 1_048_576) }
    configuration.configFile = dnsConfig
    configuration.timeout = .milliseconds(Int(min(timeout, 10) * 1000))
    return configuration
  }

  /// With the system's own forwarders and the root trust anchor, checks that DNSSEC survives them; if
  /// not (they strip signatures), resolves from the root servers instead.
  static func upgraded(_ dns: DNSResolver, configuration: DNSResolver.Configuration) async -> DNSResolver {
    guard configuration.forwarders.isEmpty && configuration.configFile == nil && configuration.useRootAnchor
    else { return dns }
    guard DNSResolver.forwardersStripDNSSEC(await dns.query(".", .dnskey)) else { return dns }
    var recursive = configuration
    recursive.recursive = true
    return (try? DNSResolver(recursive)) ?? dns
  }

  /// `--warn-days` of probe and diff: a number of days a person means (up to ten years).
  static func checkWarnDays(_ days: Int) throws(CLIError) {
    guard (0...3650).contains(days) else { throw CLIError("--warn-days must be between 0 and 3650") }
  }

  /// A trust anchor holds a few DS or DNSKEY records: a few KiB. The root's is under 1 KiB.
  static let trustAnchorLimit = 1_048_576
  /// The largest system CA bundles are about 250 KiB.
  static let caFileLimit = 8 * 1_048_576

  /// A `--trust-anchor` file is a regular file of DS or DNSKEY records, or a one-line error.
  static func checkTrustAnchor(_ path: String) throws(CLIError) {
    let data = try BoundedFile.read(path, what: "trust anchor", limit: trustAnchorLimit)
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError("trust anchor '\(path)' is not text (DS or DNSKEY records in zone-file format)")
    }
    do { _ = try TrustAnchorFile.check(text) } catch {
      throw CLIError("trust anchor '\(path)' is not usable: \(error) (expected DS or DNSKEY records)")
    }
  }

  /// The certificates of a PEM file, or a one-line error naming it.
  static func certificates(_ path: String) throws(CLIError) -> [Certificate] {
    let data = try BoundedFile.read(path, what: "CA file", limit: caFileLimit)
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError("CA file '\(path)' is not PEM text")
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
