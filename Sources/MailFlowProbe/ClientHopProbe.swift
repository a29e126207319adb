import MailFlowDNS
import MailFlowModel
import MailFlowReport
import X509

/// The hops a mail user's program takes — submission (MUA → MSA) and retrieval (MS → MUA) — found the
/// way mail programs find them (SRV records, autoconfig, command-line overrides, or the common names as
/// marked guesses), each server probed (never logging in) and rated by RFC 8314: the best advertised
/// path rates the hop, weaker advertised paths are named as risks.
public enum ClientHopProbe {
  /// A server to probe and everything that pointed to it.
  public struct Candidate: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var service: ClientService
    public var sources: [DiscoverySource]
    /// Found through a DNSSEC-secure SRV answer: DANE applies if its addresses are secure (RFC 7673).
    public var secureSRV = false
    /// Autoconfig told mail programs to use it without any TLS (and nothing else pointed to it).
    public var advertisedPlain = false
  }

  public struct Options: Sendable {
    public var timeout: Duration = .seconds(10)
    /// Ports to connect to instead of the advertised ones (tests and labs).
    public var ports: [ClientService: Int] = [:]
    public var useIPv4 = true
    public var useIPv6 = true
    public var extraRoots: [Certificate] = []
    /// `--submission`, `--imap`, `--pop3 HOST[:PORT]` (keyed `smtp`, `imap`, `pop3`): skip discovery.
    public var overrides: [String: (host: String, port: Int?)] = [:]
    /// `--tls-versions`: the extra handshakes of a TLS scan at every endpoint that speaks TLS.
    public var tlsScan = false
    /// A scan's shared dialogues: each server asked once for all the domains that use it.
    public var cache: SessionCache?
    public init() {}
  }

  public static func run(
    _ hop: ClientHop, domain: String, resolver: DNSResolver, autoconfig: Autoconfig?, options: Options
  ) async -> (hop: ProbeReport.Hop, lookups: [ProbeReport.Lookup]) {
    await run(hop, domain: domain, resolver: resolver, autoconfig: { autoconfig }, options: options)
  }

  /// - Parameter autoconfig: the autoconfig document, awaited only after the SRV lookups were sent.
  public static func run(
    _ hop: ClientHop, domain: String, resolver: DNSResolver,
    autoconfig: @escaping @Sendable () async -> Autoconfig?, options: Options
  ) async -> (hop: ProbeReport.Hop, lookups: [ProbeReport.Lookup]) {
    var lookups: [ProbeReport.Lookup] = []
    let discovery = await discover(
      hop, domain: domain, resolver: resolver, autoconfig: autoconfig, options: options, lookups: &lookups)
    // Nothing found because DNS did not answer is not "no service": it is unknown.
    let failed = lookups.filter { [.timeout, .servfail, .error].contains($0.status) }
    if discovery.candidates.isEmpty && discovery.notes.isEmpty && !failed.isEmpty {
      // One reason shared by every failure (a resolver that never answered) is said once.
      let reasons = Set(failed.compactMap(\.reason))
      let what =
        reasons.count == 1 && failed.allSatisfy({ $0.reason != nil })
        ? reasons.first!
        : failed.map { "\($0.name) \($0.type): \($0.status.rawValue)" }.joined(separator: ", ")
      return (
        ProbeReport.Hop(
          id: hop.id, rating: .unknown,
          summary: "could not look for a \(hop.rawValue) service: \(what)",
          endpoints: []), lookups
      )
    }
    guard !discovery.candidates.isEmpty else {
      let looked =
        hop == .submission
        ? "SRV _submissions/_submission, autoconfig, smtp./mail."
        : "SRV _imaps/_imap/_pop3s/_pop3, autoconfig, imap./pop./mail."
      let why =
        discovery.notes.isEmpty
        ? "looked for \(looked)" : discovery.notes.joined(separator: "; ")
      return (
        ProbeReport.Hop(
          id: hop.id, rating: .none, summary: "no \(hop.rawValue) service found (\(why))",
          endpoints: [],
          notes: discovery.notes), lookups
      )
    }
    let results = await withTaskGroup(of: (Int, ProbeReport.Endpoint?, [ProbeReport.Lookup]).self) { group in
      for (index, candidate) in discovery.candidates.enumerated() {
        group.addTask {
          let (endpoint, lookups) = await probe(candidate, resolver: resolver, options: options)
          return (index, endpoint, lookups)
        }
      }
      var collected: [(Int, ProbeReport.Endpoint?, [ProbeReport.Lookup])] = []
      for await result in group { collected.append(result) }
      return collected.sorted { $0.0 < $1.0 }
    }
    lookups += results.flatMap(\.2)
    let endpoints = results.compactMap(\.1)
    // The rating reads typed evidence: each endpoint with how it was advertised.
    let evidence = results.compactMap { index, endpoint, _ in
      endpoint.map { Evidence(endpoint: $0, advertisedPlain: discovery.candidates[index].advertisedPlain) }
    }
    let verdict = rate(evidence, hop: hop)
    return (
      ProbeReport.Hop(
        id: hop.id, rating: verdict.rating, summary: verdict.summary, endpoints: endpoints,
        notes: discovery.notes),
      lookups
    )
  }

  // MARK: - Discovery

  struct Discovery {
    var candidates: [Candidate] = []
    var notes: [String] = []
  }

  static func discover(
    _ hop: ClientHop, domain: String, resolver: DNSResolver, autoconfig: @Sendable () async -> Autoconfig?,
    options: Options, lookups: inout [ProbeReport.Lookup]
  ) async -> Discovery {
    var discovery = Discovery()
    let families = Set(hop.services.map(\.family))
    let overridden = families.filter { options.overrides[$0] != nil }
    if !overridden.isEmpty {
      for family in overridden.sorted() {
        guard let (host, port) = options.overrides[family] else { continue }
        let services = hop.services.filter { $0.family == family }
        // With a port, implicit TLS only on the implicit service's own port (465, 993, 995).
        let implicitPort = services.first(where: \.implicitTLS)?.defaultPort
        for service in services where port == nil || (port == implicitPort) == service.implicitTLS {
          discovery.candidates.append(
            Candidate(
              host: host, port: port ?? service.defaultPort, service: service, sources: [.commandLine]))
        }
      }
      return discovery
    }

    // 1. SRV records, all services at once (autoconfig is being fetched meanwhile).
    let answers = await withTaskGroup(of: (Int, DNSAnswer).self) { group in
      for (index, service) in hop.services.enumerated() {
        group.addTask { (index, await resolver.query("\(service.srvLabel).\(domain)", .srv)) }
      }
      var collected: [(Int, DNSAnswer)] = []
      for await answer in group { collected.append(answer) }
      return collected.sorted { $0.0 < $1.0 }.map(\.1)
    }
    var fromSRV: [Candidate] = []
    for (service, answer) in zip(hop.services, answers) {
      lookups.append(.init(answer))
      let targets = answer.records.compactMap { record -> (UInt16, UInt16, UInt16, String)? in
        if case .srv(let priority, let weight, let port, let target) = record {
          (priority, weight, port, target)
        } else {
          nil
        }
      }.sorted { ($0.0, -Int($0.1)) < ($1.0, -Int($1.1)) }
      // "." means "not offered" only as the sole record (RFC 2782); elsewhere it is skipped.
      for (_, _, port, target) in targets where target != "." || targets.count == 1 {
        if target == "." {
          discovery.notes.append("\(service.srvLabel) says \(service.rawValue) is not offered (target \".\")")
        } else {
          fromSRV.append(
            Candidate(
              host: target, port: Int(port), service: service, sources: [.srv],
              secureSRV: answer.status == .secure))
        }
      }
    }
    // 2. Autoconfig.
    let autoconfig = await autoconfig()
    var fromAutoconfig: [Candidate] = []
    for server in autoconfig?.servers ?? [] {
      guard let service = ClientService.of(family: server.type, implicitTLS: server.socketType == "SSL"),
        service.clientHop == hop
      else { continue }
      fromAutoconfig.append(
        Candidate(
          host: server.host.hasSuffix(".") ? server.host : server.host + ".", port: server.port,
          service: service,
          sources: [.autoconfig], advertisedPlain: server.socketType == "plain"))
    }
    discovery.notes += disagreements(srv: fromSRV, autoconfig: fromAutoconfig)
    discovery.candidates = limited(merge(fromSRV + fromAutoconfig))
    if !discovery.candidates.isEmpty || !discovery.notes.isEmpty { return discovery }

    // 3. The common names, marked as guesses.
    var found = false
    for (prefix, services) in hop.guesses where !(found && prefix == "mail") {
      let host = "\(prefix).\(domain)"
      let resolved = await HostAddresses.resolve(
        host, resolver: resolver, useIPv4: options.useIPv4, useIPv6: options.useIPv6)
      lookups += resolved.lookups
      guard !resolved.addresses.isEmpty else { continue }
      found = true
      discovery.candidates += services.map {
        Candidate(host: host, port: $0.defaultPort, service: $0, sources: [.guess])
      }
      if hop == .submission { break }
    }
    return discovery
  }

  /// At most this many servers per service are probed, as at most ten MX hosts are: published lists
  /// (an autoconfig document can name thousands) must not turn a probe into a scan.
  public static let maximumCandidatesPerService = 10

  static func limited(_ candidates: [Candidate]) -> [Candidate] {
    var counts: [ClientService: Int] = [:]
    return candidates.filter { candidate in
      counts[candidate.service, default: 0] += 1
      return counts[candidate.service]! <= maximumCandidatesPerService
    }
  }

  /// One candidate per host and port, with every source that named it; plain only if all said plain.
  static func merge(_ candidates: [Candidate]) -> [Candidate] {
    var merged: [Candidate] = []
    for candidate in candidates {
      if let index = merged.firstIndex(where: {
        same($0.host, candidate.host) && $0.port == candidate.port
          && $0.service.family == candidate.service.family
      }) {
        merged[index].sources += candidate.sources.filter { !merged[index].sources.contains($0) }
        merged[index].secureSRV = merged[index].secureSRV || candidate.secureSRV
        merged[index].advertisedPlain = merged[index].advertisedPlain && candidate.advertisedPlain
      } else {
        merged.append(candidate)
      }
    }
    return merged
  }

  /// What a reader must know when SRV and autoconfig tell mail programs different things, and when
  /// autoconfig tells them to use no TLS at all.
  static func disagreements(srv: [Candidate], autoconfig: [Candidate]) -> [String] {
    var notes: [String] = []
    func describe(_ list: [Candidate]) -> String {
      list.map {
        "\($0.host.withoutTrailingDot):\($0.port) (\($0.service.implicitTLS ? "implicit TLS" : $0.advertisedPlain ? "no TLS" : "STARTTLS"))"
      }.joined(separator: ", ")
    }
    for family in ["smtp", "imap", "pop3"] {
      let s = srv.filter { $0.service.family == family }
      let a = autoconfig.filter { $0.service.family == family }
      guard !s.isEmpty, !a.isEmpty else { continue }
      let key = { (c: Candidate) in
        "\(c.host.withoutTrailingDot.lowercased()):\(c.port):\(c.service.implicitTLS)"
      }
      if Set(s.map(key)) != Set(a.map(key)) || a.contains(where: \.advertisedPlain) {
        notes.append(
          "sources disagree for \(family): SRV says \(describe(s)); autoconfig says \(describe(a))")
      }
    }
    for plain in autoconfig where plain.advertisedPlain {
      notes.append(
        "autoconfig tells mail programs to use \(plain.host.withoutTrailingDot):\(plain.port) without TLS (socketType plain)"
      )
    }
    return notes
  }

  static func same(_ a: String, _ b: String) -> Bool {
    a.withoutTrailingDot.lowercased() == b.withoutTrailingDot.lowercased()
  }

  // MARK: - Probing

  static func probe(_ candidate: Candidate, resolver: DNSResolver, options: Options) async -> (
    ProbeReport.Endpoint?, [ProbeReport.Lookup]
  ) {
    // RFC 7673: TLSA at _PORT._tcp.TARGET when the SRV answer and the target's addresses are secure;
    // asked beside the address lookups, used only if they turn out secure.
    async let speculativeTLSA =
      candidate.secureSRV ? resolver.query("_\(candidate.port)._tcp.\(candidate.host)", .tlsa) : nil
    let resolved = await HostAddresses.resolve(
      candidate.host, resolver: resolver, useIPv4: options.useIPv4, useIPv6: options.useIPv6)
    var lookups = resolved.lookups
    let service = candidate.service
    let port = options.ports[service] ?? candidate.port
    // One address per candidate is enough to judge what a mail program would get.
    guard let address = resolved.addresses.first else {
      var endpoint = ProbeReport.Endpoint(
        host: candidate.host, address: "", port: port, service: service,
        sources: candidate.sources, reachable: false, starttls: nil, extensions: [],
        extensionsAfterTLS: [], authBeforeTLS: nil, tls: nil, dane: .init(status: .none, tlsa: []),
        rating: .unknown, error: "no address records for \(candidate.host.withoutTrailingDot)", transcript: []
      )
      endpoint.rating = rate(endpoint).rating
      endpoint.lookups = lookups
      return (endpoint, lookups)
    }
    // The IPv6 address is tried beside the dialogue, not after it.
    async let ipv6Check = ipv6(of: resolved, tried: address, port: port, options: options)
    var tlsa: DNSAnswer?
    if candidate.secureSRV && resolved.secure, let answer = await speculativeTLSA {
      lookups.append(.init(answer))
      tlsa = answer
    }

    var endpoint = ProbeReport.Endpoint(
      host: candidate.host, address: address, port: port, service: service,
      sources: candidate.sources, reachable: false, starttls: nil, extensions: [],
      extensionsAfterTLS: [], authBeforeTLS: nil, tls: nil, dane: .init(status: .none, tlsa: []),
      rating: .unknown,
      error: nil, transcript: [])
    let facts: TLSFacts
    var handshakeFailed = false
    if let kind = service.mailbox {
      let (host, implicitTLS, timeout) = (candidate.host, service.implicitTLS, options.timeout)
      let probe = { @Sendable () async -> MailboxSessionResult in
        await MailboxSession.probe(
          kind, host: host, address: address, port: port, implicitTLS: implicitTLS, timeout: timeout)
      }
      let result: MailboxSessionResult
      if let cache = options.cache {
        result = await cache.mailbox(
          kind, host: host, address: address, port: port, implicitTLS: implicitTLS, probe: probe)
      } else {
        result = await probe()
      }
      facts = result.tls
      handshakeFailed = result.tlsHandshakeFailed
      endpoint.reachable = result.connected
      endpoint.starttls = service.implicitTLS || result.capabilities == nil ? nil : result.starttlsOffered
      endpoint.extensions = boundedList(result.capabilities ?? [])
      endpoint.extensionsAfterTLS = boundedList(result.capabilitiesAfterTLS)
      endpoint.authBeforeTLS =
        result.capabilities == nil || result.capabilitiesUnknown ? nil : result.passwordMethodsBeforeTLS
      endpoint.loginDisabled =
        kind == .imap && !service.implicitTLS && result.capabilities != nil ? result.loginDisabled : nil
      endpoint.error = withInjectionNote(result.error, result.bytesAfterStartTLS)
      endpoint.transcript = result.transcript
      endpoint.startTLSInjection = endpoint.starttls == true ? result.bytesAfterStartTLS : nil
    } else {
      var session = SMTPSession.Options()
      session.timeout = options.timeout
      session.implicitTLS = service.implicitTLS
      let (host, sessionOptions) = (candidate.host, session)
      let probe = { @Sendable () async -> SMTPSessionResult in
        await SMTPSession.probe(host: host, address: address, port: port, options: sessionOptions)
      }
      let result: SMTPSessionResult
      if let cache = options.cache {
        result = await cache.smtp(host: host, address: address, port: port, options: session, probe: probe)
      } else {
        result = await probe()
      }
      facts = result.tls
      handshakeFailed = result.tlsHandshakeFailed
      endpoint.reachable = result.connected
      endpoint.starttls = service.implicitTLS || result.ehlo == nil ? nil : result.starttlsOffered
      endpoint.extensions = keywords(result.ehlo)
      endpoint.extensionsAfterTLS = keywords(result.ehloAfterTLS)
      endpoint.authBeforeTLS =
        result.ehlo == nil ? nil : service.implicitTLS ? [] : (result.ehlo?.extensions["AUTH"] ?? [])
      endpoint.error = withInjectionNote(result.error, result.bytesAfterStartTLS)
      endpoint.transcript = result.transcript
      endpoint.startTLSInjection = endpoint.starttls == true ? result.bytesAfterStartTLS : nil
    }
    endpoint.tls = await ProbeReport.TLS.evaluate(facts, host: candidate.host, extraRoots: options.extraRoots)
    endpoint.dane = await ProbeReport.DANE.evaluate(
      tlsa, facts: facts, names: [candidate.host], answered: endpoint.reachable, absent: .none)
    // A mail program told to use no TLS sends everything in clear, whatever the server could do.
    endpoint.rating = candidate.advertisedPlain && endpoint.reachable ? .insecure : rate(endpoint).rating
    endpoint.lookups = lookups
    endpoint.ipv6 = await ipv6Check
    if options.tlsScan && (facts.established || handshakeFailed) {
      let target = TLSScanner.Target(
        host: candidate.host, address: address, port: port, service: service, timeout: options.timeout)
      let (extraRoots, tlsa) = (options.extraRoots, tlsa)
      endpoint.tlsScan = await TLSScanner.scan(target) { facts in
        await judge(facts, host: candidate.host, tlsa: tlsa, names: [candidate.host], extraRoots: extraRoots)
      }
    }
    return (endpoint, lookups)
  }

  /// The host's IPv6 addresses and whether the first answers (`nil` with `-4`, or when the dialogue
  /// itself ran over IPv6).
  static func ipv6(of resolved: HostAddresses, tried: String, port: Int, options: Options) async -> IPv6Check?
  {
    guard options.useIPv6, options.useIPv4, !tried.contains(":") else { return nil }
    let addresses = resolved.addresses.filter { $0.contains(":") }
    guard let first = addresses.first else { return IPv6Check(addresses: [], reachable: nil) }
    guard let failure = await TCPReachability.check(address: first, port: port, timeout: options.timeout)
    else {
      return IPv6Check(addresses: addresses, reachable: true)
    }
    let reason = "\(first) port \(port): \(failure)"
    return IPv6Check(
      addresses: addresses, reachable: IPv6Check.isLocalLimitation(reason) ? nil : false, reason: reason)
  }

  // MARK: - Rating

  /// One endpoint by RFC 8314: implicit TLS with a certificate a client trusts (PKIX for the host, or a
  /// DANE match) is ✔; implicit TLS with an untrusted or mismatched certificate, or STARTTLS, is ✘; no
  /// TLS at all is ✘✘, and worse when passwords are invited in cleartext.
  static func rate(_ endpoint: ProbeReport.Endpoint) -> (rating: Rating, why: String) {
    let place = "\(endpoint.host.withoutTrailingDot):\(endpoint.port)"
    let implicit = endpoint.service.implicitTLS
    if implicit {
      guard let tls = endpoint.tls else {
        return (.unknown, "\(place): \(endpoint.error ?? "no TLS session")")
      }
      if endpoint.dane.status == .valid {
        return (.secure, "\(place) with implicit TLS and a certificate matching its DANE TLSA record")
      }
      if tls.pkixValid && tls.nameMatch && ![.mismatch, .bogus, .lookupFailed].contains(endpoint.dane.status)
      {
        return (.secure, "\(place) with implicit TLS and a trusted certificate")
      }
      let reason =
        switch endpoint.dane.status {
        case .mismatch: "the certificate does not match its DANE TLSA records"
        case .bogus: "its TLSA records fail DNSSEC validation, so a DANE client would not connect"
        case .lookupFailed: "its TLSA lookup failed, so a DANE client would not connect"
        default:
          !tls.nameMatch
            ? "the certificate is not for \(endpoint.host.withoutTrailingDot)"
            : "the certificate is not trusted (\(tls.error ?? "?"))"
        }
      return (.weak, "\(place) with implicit TLS, but \(reason)")
    }
    let methods = endpoint.authBeforeTLS ?? []
    guard let starttls = endpoint.starttls else {
      return (.unknown, "\(place): \(endpoint.error ?? "no answer")")
    }
    if starttls && endpoint.tls != nil {
      let auth: String
      switch endpoint.service {
      case .imap, .imaps:
        let sasl = methods.filter { $0.hasPrefix("AUTH=") }
        auth =
          endpoint.loginDisabled != true
          ? "LOGIN allowed before TLS (no LOGINDISABLED)"
          : sasl.isEmpty
            ? "LOGINDISABLED before TLS, as it should be"
            : "LOGINDISABLED, but \(sasl.joined(separator: " ")) offered before TLS"
      case .pop3, .pop3s:
        auth =
          endpoint.authBeforeTLS == nil
          ? "password methods before TLS unknown (no CAPA)"
          : methods.isEmpty
            ? "no password method before TLS"
            : "passwords accepted before TLS (\(methods.joined(separator: " ")))"
      default:
        auth =
          methods.isEmpty
          ? "AUTH only after TLS, as it should be"
          : "AUTH offered before TLS too (\(methods.joined(separator: " ")))"
      }
      // With a DANE match through a DNSSEC-secure SRV chain (RFC 7673), a DANE-aware client insists on
      // TLS with that certificate: stripping STARTTLS no longer works.
      if endpoint.dane.status == .valid {
        return (.secure, "\(place) with STARTTLS enforced by DANE (RFC 7673); \(auth)")
      }
      return (.weak, "\(place) with STARTTLS, which an on-path attacker can strip; \(auth)")
    }
    let clear = methods.contains {
      ["PLAIN", "LOGIN", "USER", "AUTH=PLAIN", "AUTH=LOGIN", "SASL PLAIN", "SASL LOGIN"].contains(
        $0.uppercased())
    }
    let broken =
      starttls
      ? " (STARTTLS offered, but \(endpoint.error ?? "TLS did not start"))"
      : endpoint.error.map { " (\($0))" } ?? ""
    return (
      .insecure,
      "\(place) without working TLS\(broken)"
        + (clear
          ? "; \(methods.joined(separator: " ")) offered in cleartext: passwords would cross in clear" : "")
    )
  }

  /// What the hop's rating reads about one endpoint: what the server did, and whether autoconfig
  /// advertised it without TLS (so a mail program set up from it sends in cleartext).
  struct Evidence {
    var endpoint: ProbeReport.Endpoint
    var advertisedPlain: Bool
  }

  /// The hop: the best advertised path a client would pick, with weaker advertised ones named as risks.
  static func rate(_ evidence: [Evidence], hop: ClientHop) -> (rating: Rating, summary: String) {
    let endpoints = evidence.map(\.endpoint)
    let rated = evidence.map { item in
      let endpoint = item.endpoint
      let verdict = rate(endpoint)
      // An endpoint autoconfig advertises without TLS is as weak as that advice, whatever the server can do.
      if item.advertisedPlain && endpoint.reachable && verdict.rating != .insecure {
        return (
          endpoint,
          (
            rating: Rating.insecure,
            why:
              "\(endpoint.host.withoutTrailingDot):\(endpoint.port) as autoconfig advertises it, without TLS"
          )
        )
      }
      return (endpoint, verdict)
    }
    let tested = rated.filter { $0.1.rating.strength != nil }
    guard let best = tested.max(by: { $0.1.rating.strength! < $1.1.rating.strength! }) else {
      let reasons = rated.map(\.1.why).joined(separator: "; ")
      return (
        .unknown,
        endpoints.isEmpty ? "no \(hop.rawValue) server address found" : "nothing could be tested: \(reasons)"
      )
    }
    var summary = best.1.why
    let weaker = tested.filter { $0.1.rating.strength! < best.1.rating.strength! }
    if !weaker.isEmpty {
      summary += "; also advertised, and weaker: " + weaker.map(\.1.why).joined(separator: "; ")
    }
    return (best.1.rating, summary)
  }
}
