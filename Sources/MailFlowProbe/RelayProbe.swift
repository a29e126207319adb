import MailFlowDNS
import MailFlowModel
import MailFlowReport
import X509

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The relay hop as a careful sending MTA sees it: MX lookup (null MX, implicit MX), every address of
/// every MX host in parallel (one connection per address), STARTTLS, the presented chain judged by
/// PKIX and, where DNSSEC makes it apply, by DANE (RFC 7672).
public enum RelayProbe {
  public struct Options: Sendable {
    public var timeout: Duration = .seconds(10)
    /// The port to connect to instead of 25 (tests use unprivileged ports).
    public var port = 25
    public var useIPv4 = true
    public var useIPv6 = true
    public var extraRoots: [Certificate] = []
    public var heloName = "mailflow.invalid"
    /// Called as each address's result arrives (for live progress), with a one-line description.
    public var progress: (@Sendable (String) -> Void)?
    /// Fetches the MTA-STS policy; without one, MTA-STS and TLS-RPT are not looked at.
    public var fetcher: HTTPSFetcher?
    /// `--tls-versions`: the extra handshakes of a TLS scan at every address that speaks TLS.
    public var tlsScan = false
    /// A scan's shared dialogues: each server address asked once for all the domains that use it.
    public var cache: SessionCache?
    /// A scan's patience with busy servers: a 4xx banner (421 "too many connections") is asked again
    /// once after this long; `nil` takes the first answer.
    public var retryBusyAfter: Duration?
    public init() {}
  }

  /// At most this many MX hosts are tried, as careful MTAs do.
  public static let maximumMXHosts = 10
  /// Addresses tried per MX host and in all (Postfix's `smtp_mx_address_limit` is 5 for delivery; a
  /// probe tries more, but never a thousand connections for a hostile zone).
  public static let maximumAddressesPerHost = 8
  public static let maximumAddresses = 32

  public static func run(domain: String, resolver: DNSResolver, options: Options) async -> (
    hop: ProbeReport.Hop, lookups: [ProbeReport.Lookup]
  ) {
    // MTA-STS and TLS-RPT are looked up while the MX hosts are probed.
    async let stsResult = mtaSts(domain: domain, resolver: resolver, fetcher: options.fetcher)
    var (hop, lookups, evidence) = await mxHosts(domain: domain, resolver: resolver, options: options)
    guard let sts = await stsResult else { return (hop, lookups) }
    lookups += sts.lookups
    hop.tlsRpt = sts.tlsRpt
    guard var report = sts.report else { return (hop, lookups) }
    if let policy = sts.policy { report = MTASTSProbe.check(report, policy: policy, relay: hop) }
    hop.mtaSts = report
    if let evidence {
      let (verdict, notes) = RelayRating.rate(evidence, mtaSts: report)
      hop.rating = verdict.rating
      hop.summary = verdict.summary
      hop.notes += notes
      // An MX that fails an enforced policy is refused by MTA-STS senders: broken, like the hop.
      if verdict.rating == .broken && report.mode == .enforce {
        let failing = Set(report.mxMatches.filter { !$0.satisfied }.map(\.host))
        for index in hop.endpoints.indices
        where failing.contains(hop.endpoints[index].host.withoutTrailingDot)
          && hop.endpoints[index].rating.strength != nil
        {
          hop.endpoints[index].rating = .broken
        }
      }
      // An MX the enforced policy covers is protected the way the hop is, not merely opportunistic.
      if verdict.rating == .secure && report.mode == .enforce {
        let satisfied = Set(report.mxMatches.filter(\.satisfied).map(\.host))
        for index in hop.endpoints.indices
        where hop.endpoints[index].rating == .weak
          && satisfied.contains(hop.endpoints[index].host.withoutTrailingDot)
        {
          hop.endpoints[index].rating = .secure
        }
      }
    } else if let error = report.error {
      hop.notes.append("MTA-STS is published but broken: \(error)")
    }
    return (hop, lookups)
  }

  static func mtaSts(domain: String, resolver: DNSResolver, fetcher: HTTPSFetcher?) async -> MTASTSProbe
    .Found?
  {
    guard let fetcher else { return nil }
    return await MTASTSProbe.run(domain: domain, resolver: resolver, fetcher: fetcher)
  }

  /// The MX hosts probed and rated; the evidence is `nil` when there was nothing to test (null MX, no MX).
  static func mxHosts(domain: String, resolver: DNSResolver, options: Options) async -> (
    hop: ProbeReport.Hop, lookups: [ProbeReport.Lookup], evidence: RelayEvidence?
  ) {
    var lookups: [ProbeReport.Lookup] = []
    let mx = await resolver.query(domain, .mx)
    lookups.append(.init(mx))
    var hosts: [String] = []
    var nullMX = false
    switch mx.status {
    case .secure, .insecure:
      let exchanges = mx.records.compactMap { record -> (UInt16, String)? in
        if case .mx(let preference, let exchange) = record { (preference, exchange) } else { nil }
      }.sorted { $0.0 < $1.0 }
      nullMX = exchanges.count == 1 && exchanges[0].1 == "."
      hosts = Array(exchanges.map(\.1).filter { $0 != "." }.prefix(maximumMXHosts))
    case .nodata:
      hosts = [domain.hasSuffix(".") ? domain : domain + "."]  // implicit MX (RFC 5321 §5.1)
    default:
      break
    }
    if nullMX {
      let verdict = RelayRating.rate(
        RelayEvidence(domain: domain, nullMX: true, mxStatus: mx.status, endpoints: []))
      return (
        ProbeReport.Hop(id: .relay, rating: verdict.rating, summary: verdict.summary, endpoints: []),
        lookups, nil
      )
    }
    if hosts.isEmpty {
      let reason =
        mx.status == .nxdomain
        ? "\(domain) does not exist (NXDOMAIN)"
        : "MX lookup: \(mx.status.rawValue)\(mx.reason.map { " (\($0))" } ?? "")"
      if mx.status == .bogus {
        let verdict = RelayRating.rate(
          RelayEvidence(domain: domain, nullMX: false, mxStatus: .bogus, endpoints: []))
        let why = mx.reason.map { " Validator: \($0)." } ?? ""
        return (
          ProbeReport.Hop(id: .relay, rating: verdict.rating, summary: verdict.summary + why, endpoints: []),
          lookups, nil
        )
      }
      let rating: Rating = .unknown
      return (ProbeReport.Hop(id: .relay, rating: rating, summary: reason, endpoints: []), lookups, nil)
    }

    // Addresses and TLSA records of every host at once (each host's TLSA lookup beside its address
    // lookups: it is used only if they turn out DNSSEC-secure).
    var targets: [(host: String, address: String, tlsa: DNSAnswer?, names: [String], bogus: String?)] = []
    var resolvedHosts:
      [(host: String, addresses: [String], tlsa: DNSAnswer?, names: [String], bogus: String?)] = []
    var hostLookups: [String: [ProbeReport.Lookup]] = [:]
    let mxSecureForNames = mx.status == .secure
    let resolvedInOrder = await withTaskGroup(of: (Int, ResolvedHost).self) { group in
      for (index, host) in hosts.enumerated() {
        group.addTask {
          (
            index,
            await resolveHost(
              host, domain: domain, mxSecure: mxSecureForNames, resolver: resolver, options: options)
          )
        }
      }
      var collected: [(Int, ResolvedHost)] = []
      for await result in group { collected.append(result) }
      return collected.sorted { $0.0 < $1.0 }.map(\.1)
    }
    for resolved in resolvedInOrder {
      lookups += resolved.lookups
      hostLookups[resolved.host, default: []] += resolved.lookups
      resolvedHosts.append((resolved.host, resolved.addresses, resolved.tlsa, resolved.names, resolved.bogus))
    }
    // Every host gets addresses before any host gets many: no MX goes untested for the cap.
    let shares = addressShares(resolvedHosts.map(\.addresses.count))
    var skipped: [(host: String, addresses: [String])] = []
    for (resolved, share) in zip(resolvedHosts, shares) {
      // A bogus address lookup (even beside a usable one) is evidence of its own: validating senders
      // cannot use this host.
      if resolved.addresses.isEmpty || resolved.bogus != nil {
        targets.append((resolved.host, "", resolved.tlsa, resolved.names, resolved.bogus))
      }
      for address in resolved.addresses.prefix(share) {
        targets.append((resolved.host, address, resolved.tlsa, resolved.names, nil))
      }
      if resolved.addresses.count > share {
        skipped.append((resolved.host, Array(resolved.addresses.dropFirst(share))))
      }
    }
    let notTried = skipped.isEmpty ? [] : [notTriedNote(skipped)]

    // Every address in parallel, one connection each.
    var session = SMTPSession.Options()
    session.timeout = options.timeout
    session.heloName = options.heloName
    let sessionOptions = session
    let mxSecure = mx.status == .secure
    let source: DiscoverySource = mx.status == .nodata ? .implicitMX : .mx
    let endpoints = await withTaskGroup(of: (Int, ProbeReport.Endpoint, RelayEvidence.Endpoint).self) {
      group in
      for (index, target) in targets.enumerated() {
        group.addTask {
          await endpoint(
            target.host, target.address, tlsa: target.tlsa, names: target.names, bogus: target.bogus,
            mxSecure: mxSecure,
            options: options, session: sessionOptions, index: index, source: source)
        }
      }
      var collected: [(Int, ProbeReport.Endpoint, RelayEvidence.Endpoint)] = []
      for await result in group {
        collected.append(result)
        let endpoint = result.1
        options.progress?(
          "\(endpoint.host) [\(endpoint.address)]: \(endpoint.rating.rawValue)"
            + (endpoint.error.map { " (\($0))" } ?? ""))
      }
      return collected.sorted { $0.0 < $1.0 }
    }
    let evidence = RelayEvidence(
      domain: domain, nullMX: false, mxStatus: mx.status, endpoints: endpoints.map(\.2))
    let verdict = RelayRating.rate(evidence)
    var hop = ProbeReport.Hop(
      id: .relay, rating: verdict.rating, summary: verdict.summary,
      endpoints: endpoints.map { _, endpoint, _ in
        var endpoint = endpoint
        endpoint.lookups = hostLookups[endpoint.host] ?? []
        return endpoint
      })
    hop.notes += notTried
    return (hop, lookups, evidence)
  }

  /// One MX host's addresses, TLSA records (when DANE applies) and reference names, with the lookups.
  struct ResolvedHost: Sendable {
    var host: String
    var addresses: [String]
    var tlsa: DNSAnswer?
    var names: [String]
    var bogus: String?
    var lookups: [ProbeReport.Lookup]
  }

  static func resolveHost(
    _ host: String, domain: String, mxSecure: Bool, resolver: DNSResolver, options: Options
  ) async -> ResolvedHost {
    // The host's own TLSA lookup goes out with its address lookups rather than after them.
    async let hostTLSA = resolver.query("_25._tcp.\(host)", .tlsa)
    let resolved = await HostAddresses.resolve(
      host, resolver: resolver, useIPv4: options.useIPv4, useIPv6: options.useIPv6)
    var lookups = resolved.lookups
    // DANE applies when the host's address records are DNSSEC-secure, even if the MX RRset is not
    // (RFC 7672 §2.2.1: a signed provider serving unsigned domains). For an alias, TLSA records are
    // looked up at the fully expanded name first, then at the MX host name (§2.2.2); both names are
    // reference identifiers for DANE-TA. The service is port 25 even when tests connect elsewhere.
    var tlsa: DNSAnswer?
    if resolved.secure, !resolved.addresses.isEmpty {
      if let expanded = resolved.expandedName, expanded != host {
        let answer = await resolver.query("_25._tcp.\(expanded)", .tlsa)
        lookups.append(.init(answer))
        if answer.hasData || answer.status == .bogus { tlsa = answer }
      }
      if tlsa == nil {
        let answer = await hostTLSA
        lookups.append(.init(answer))
        tlsa = answer
      }
    }
    let names = referenceNames(
      host: host, expandedName: resolved.expandedName, domain: domain, mxSecure: mxSecure)
    return ResolvedHost(
      host: host, addresses: resolved.addresses, tlsa: tlsa, names: names, bogus: resolved.bogusReason,
      lookups: lookups)
  }

  /// The addresses of one host to try, given how many are tried already, and those left out.
  /// How many addresses of each host to try: one each first, then more in turns, at most
  /// `maximumAddressesPerHost` per host and `maximumAddresses` in all. With at most 10 MX hosts and 32
  /// addresses, every host with an address is tried.
  static func addressShares(_ counts: [Int]) -> [Int] {
    var shares = Array(repeating: 0, count: counts.count)
    var total = 0
    var progressed = true
    while progressed && total < maximumAddresses {
      progressed = false
      for index in counts.indices
      where total < maximumAddresses && shares[index] < min(counts[index], maximumAddressesPerHost) {
        shares[index] += 1
        total += 1
        progressed = true
      }
    }
    return shares
  }

  /// The hop's note naming what was left out (the first few addresses of each host).
  static func notTriedNote(_ skipped: [(host: String, addresses: [String])]) -> String {
    "addresses not tried (at most \(maximumAddressesPerHost) per MX host and \(maximumAddresses) in all): "
      + skipped.map { host, addresses in
        "\(host.withoutTrailingDot) \(addresses.prefix(5).joined(separator: ", "))"
          + (addresses.count > 5 ? " and \(addresses.count - 5) more" : "")
      }.joined(separator: "; ")
  }

  /// The reference identifiers a DANE-TA chain may name: the CNAME-expanded name and the MX host name
  /// (RFC 7672 §3.2.3) and, when the MX RRset is DNSSEC-secure, the next-hop domain, the recipient's
  /// (§3.2.2) — so a certificate that names only the recipient domain is valid, as Postfix accepts.
  static func referenceNames(host: String, expandedName: String?, domain: String, mxSecure: Bool) -> [String]
  {
    var names = [host]
    if let expandedName, expandedName != host { names.insert(expandedName, at: 0) }
    if mxSecure && !names.contains(where: { $0.withoutTrailingDot == domain.withoutTrailingDot }) {
      names.append(domain)
    }
    return names
  }

  static func endpoint(
    _ host: String, _ address: String, tlsa: DNSAnswer?, names: [String], bogus: String?, mxSecure: Bool,
    options: Options, session: SMTPSession.Options, index: Int, source: DiscoverySource
  ) async -> (Int, ProbeReport.Endpoint, RelayEvidence.Endpoint) {
    guard !address.isEmpty else {
      let outcome: RelayEvidence.Endpoint.Outcome =
        bogus.map { .bogusAddress($0) } ?? .unreachable("no address records")
      let error =
        bogus.map { "the address records of \(host) fail DNSSEC validation: \($0)" }
        ?? "no address records for \(host)"
      let report = ProbeReport.Endpoint(
        host: host, address: "", port: options.port, service: .smtp, sources: [source], reachable: false,
        starttls: nil, extensions: [], extensionsAfterTLS: [], authBeforeTLS: nil, tls: nil,
        dane: .init(status: .none, tlsa: []),
        rating: bogus == nil ? .unknown : .broken,
        error: error, transcript: [])
      return (index, report, .init(host: host, address: "", outcome: outcome, dane: .none))
    }
    let result = await dialogue(host: host, address: address, options: options, session: session)
    let tls = await ProbeReport.TLS.evaluate(result.tls, host: host, extraRoots: options.extraRoots)
    let dane = await ProbeReport.DANE.evaluate(
      tlsa, facts: result.tls, names: names, answered: result.ehlo != nil, absent: .insecure)
    let error = withInjectionNote(result.error, result.bytesAfterStartTLS)
    let evidence = RelayEvidence.Endpoint(
      host: host, address: address, outcome: result.outcome, dane: dane.status)
    let rating = RelayRating.rate(
      RelayEvidence(
        domain: host, nullMX: false, mxStatus: mxSecure ? .secure : .insecure, endpoints: [evidence])
    ).rating
    var report = ProbeReport.Endpoint(
      host: host, address: address, port: options.port, service: .smtp, sources: [source],
      reachable: result.connected,
      starttls: result.ehlo == nil ? nil : result.starttlsOffered,
      extensions: keywords(result.ehlo), extensionsAfterTLS: keywords(result.ehloAfterTLS), tls: tls,
      dane: dane,
      rating: rating, error: error, transcript: result.transcript,
      startTLSInjection: result.starttlsOffered ? result.bytesAfterStartTLS : nil)
    if options.tlsScan && (result.tls.established || result.tlsHandshakeFailed) {
      let target = TLSScanner.Target(
        host: host, address: address, port: options.port, service: .smtp, timeout: options.timeout,
        heloName: options.heloName)
      report.tlsScan = await TLSScanner.scan(target) { facts in
        await judge(facts, host: host, tlsa: tlsa, names: names, extraRoots: options.extraRoots)
      }
    }
    return (index, report, evidence)
  }
}

extension RelayProbe {
  /// One address's dialogue: from the scan's cache when there is one, asked again once after a pause
  /// when the server says it is busy (4xx banner) and the scan allows it.
  static func dialogue(host: String, address: String, options: Options, session: SMTPSession.Options) async
    -> SMTPSessionResult
  {
    let port = options.port
    let retry = options.retryBusyAfter
    let probe = { @Sendable () async -> SMTPSessionResult in
      var result = await SMTPSession.probe(host: host, address: address, port: port, options: session)
      guard let retry, let code = result.banner?.code, (400..<500).contains(code) else { return result }
      try? await Task.sleep(for: retry)
      result = await SMTPSession.probe(host: host, address: address, port: port, options: session)
      if let again = result.banner?.code, (400..<500).contains(again) {
        result.error =
          "answered \(code), then \(again) \(retry) later: the server is busy or limits connections "
          + "(this says nothing about its TLS)"
      }
      return result
    }
    guard let cache = options.cache else { return await probe() }
    return await cache.smtp(host: host, address: address, port: port, options: session, probe: probe)
  }
}

/// PKIX and DANE of one certificate variant of a TLS scan: the endpoint's own TLSA answer held against
/// it (`nil` DANE when the endpoint has no usable TLSA answer, so DANE does not apply).
func judge(
  _ facts: TLSFacts, host: String, tlsa: DNSAnswer?, names: [String], extraRoots: [Certificate]
) async -> (tls: ProbeReport.TLS?, dane: ProbeReport.DANE?) {
  let tls = await ProbeReport.TLS.evaluate(facts, host: host, extraRoots: extraRoots)
  guard let tlsa, tlsa.status == .secure, tlsa.hasData else { return (tls, nil) }
  let dane = await ProbeReport.DANE.evaluate(tlsa, facts: facts, names: names, answered: true, absent: .none)
  return (tls, dane)
}

/// The EHLO keywords of a reply, with their parameters, e.g. `SIZE 10240000`, `AUTH PLAIN LOGIN`.
func keywords(_ reply: SMTPReply?) -> [String] {
  boundedList(reply.map { Array($0.lines.dropFirst()) } ?? [])
}

/// Capabilities as the report keeps them (64 of 256 characters): real servers announce a few dozen short
/// ones; a flooding
/// server's thousands of 4 KiB lines stay in the (bounded) transcript only.
func boundedList(_ items: [String]) -> [String] {
  items.prefix(64).map { $0.count > 256 ? String($0.prefix(256)) + "…" : $0 }
}
