import MailFlowDNS
import MailFlowModel
import X509

/// The submission hop (MUA → MSA) as a mail program sets it up: servers from SRV records (RFC 6186,
/// RFC 8314 §5.1), a `--submission` override, or the common names as marked guesses; 465 with implicit
/// TLS and 587 with STARTTLS probed; rated by the best advertised path (RFC 8314), weaker ones named.
public enum SubmissionProbe {
  public struct Candidate: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var implicitTLS: Bool
    public var source: String
  }

  public struct Options: Sendable {
    public var timeout: Duration = .seconds(10)
    /// Ports to connect to instead of 465 and 587 (tests).
    public var submissionsPort: Int?
    public var submissionPort: Int?
    public var useIPv4 = true
    public var useIPv6 = true
    public var extraRoots: [Certificate] = []
    /// `--submission HOST[:PORT]`: skip discovery.
    public var override: (host: String, port: Int?)?
    public init() {}
  }

  public static func run(domain: String, resolver: DNSResolver, options: Options) async -> (
    hop: ProbeReport.Hop, lookups: [ProbeReport.Lookup]
  ) {
    var lookups: [ProbeReport.Lookup] = []
    var candidates: [Candidate] = []
    var notOffered: [String] = []
    if let override = options.override {
      let ports = override.port.map { [$0] } ?? [465, 587]
      candidates = ports.map {
        Candidate(host: override.host, port: $0, implicitTLS: $0 == 465, source: "command line")
      }
    } else {
      for (service, implicit) in [("_submissions._tcp", true), ("_submission._tcp", false)] {
        let answer = await resolver.query("\(service).\(domain)", .srv)
        lookups.append(.init(answer))
        let targets = answer.records.compactMap { record -> (UInt16, UInt16, UInt16, String)? in
          if case .srv(let priority, let weight, let port, let target) = record {
            (priority, weight, port, target)
          } else {
            nil
          }
        }.sorted { ($0.0, -Int($0.1)) < ($1.0, -Int($1.1)) }
        for (_, _, port, target) in targets {
          if target == "." {
            notOffered.append("\(service) says the service is not offered")
          } else {
            candidates.append(
              Candidate(host: target, port: Int(port), implicitTLS: implicit, source: "SRV \(service)"))
          }
        }
      }
      if candidates.isEmpty && notOffered.isEmpty {
        for name in ["smtp", "mail"] {
          let host = "\(name).\(domain)"
          let answer = await resolver.query(host, .a)
          lookups.append(.init(answer))
          guard answer.hasData else { continue }
          candidates += [465, 587].map {
            Candidate(host: host, port: $0, implicitTLS: $0 == 465, source: "guess")
          }
          break
        }
      }
    }
    guard !candidates.isEmpty else {
      let why =
        notOffered.isEmpty
        ? "no SRV records and no smtp./mail. host found" : notOffered.joined(separator: "; ")
      return (
        ProbeReport.Hop(
          id: "submission", rating: .none, summary: "no submission service found: \(why)", endpoints: []),
        lookups
      )
    }

    var endpoints: [ProbeReport.Endpoint] = []
    for candidate in candidates {
      let resolved = await HostAddresses.resolve(
        candidate.host, resolver: resolver, useIPv4: options.useIPv4, useIPv6: options.useIPv6)
      lookups += resolved.lookups
      // One address per candidate is enough to judge what a mail program would get.
      guard let address = resolved.addresses.first else { continue }
      endpoints.append(await probe(candidate, address: address, options: options))
    }
    let verdict = rate(endpoints)
    return (
      ProbeReport.Hop(
        id: "submission", rating: verdict.rating, summary: verdict.summary, endpoints: endpoints), lookups
    )
  }

  static func probe(_ candidate: Candidate, address: String, options: Options) async -> ProbeReport.Endpoint {
    var session = SMTPSession.Options()
    session.timeout = options.timeout
    session.implicitTLS = candidate.implicitTLS
    let port =
      candidate.implicitTLS
      ? (options.submissionsPort ?? candidate.port) : (options.submissionPort ?? candidate.port)
    let result = await SMTPSession.probe(host: candidate.host, address: address, port: port, options: session)
    let tls = await ProbeReport.TLS.evaluate(result.tls, host: candidate.host, extraRoots: options.extraRoots)
    let authBeforeTLS = candidate.implicitTLS ? [] : (result.ehlo?.extensions["AUTH"] ?? [])
    var endpoint = ProbeReport.Endpoint(
      host: candidate.host, address: address, port: port,
      service: candidate.implicitTLS ? "submissions" : "submission",
      source: candidate.source, reachable: result.connected,
      starttls: candidate.implicitTLS || result.ehlo == nil ? nil : result.starttlsOffered,
      extensions: keywords(result.ehlo), extensionsAfterTLS: keywords(result.ehloAfterTLS),
      authBeforeTLS: result.ehlo == nil ? nil : authBeforeTLS, tls: tls, dane: .init(status: .none, tlsa: []),
      rating: .unknown, error: result.error, transcript: result.transcript)
    endpoint.rating = rate(endpoint).rating
    return endpoint
  }

  /// One endpoint by RFC 8314: implicit TLS with a certificate a client trusts is ✔; implicit TLS with an
  /// untrusted or mismatched certificate, or STARTTLS, is ✘; no TLS at all is ✘✘.
  static func rate(_ endpoint: ProbeReport.Endpoint) -> (rating: Rating, why: String) {
    let place = "\(endpoint.host):\(endpoint.port)"
    if endpoint.service == "submissions" {
      guard let tls = endpoint.tls else {
        return (.unknown, "\(place): \(endpoint.error ?? "no TLS session")")
      }
      if tls.pkixValid && tls.nameMatch {
        return (.secure, "\(place) with implicit TLS and a trusted certificate")
      }
      let reason =
        !tls.nameMatch
        ? "the certificate is not for \(endpoint.host)"
        : "the certificate is not trusted (\(tls.error ?? "?"))"
      return (.weak, "\(place) with implicit TLS, but \(reason)")
    }
    guard let starttls = endpoint.starttls else {
      return (.unknown, "\(place): \(endpoint.error ?? "no answer")")
    }
    if starttls && endpoint.tls != nil {
      let auth =
        (endpoint.authBeforeTLS ?? []).isEmpty
        ? "AUTH only after TLS, as it should be"
        : "AUTH offered before TLS too (\((endpoint.authBeforeTLS ?? []).joined(separator: " ")))"
      return (.weak, "\(place) with STARTTLS, which an on-path attacker can strip; \(auth)")
    }
    let clearAuth = (endpoint.authBeforeTLS ?? []).contains {
      $0.uppercased() == "PLAIN" || $0.uppercased() == "LOGIN"
    }
    return (
      .insecure,
      "\(place) without working TLS"
        + (clearAuth ? "; AUTH PLAIN/LOGIN offered in cleartext: passwords would cross in clear" : "")
    )
  }

  /// The hop: the best advertised path a client would pick, with weaker advertised ones named as risks.
  static func rate(_ endpoints: [ProbeReport.Endpoint]) -> (rating: Rating, summary: String) {
    let rated = endpoints.map { ($0, rate($0)) }
    let tested = rated.filter { $0.1.rating.strength != nil }
    guard let best = tested.max(by: { $0.1.rating.strength! < $1.1.rating.strength! }) else {
      let reasons = rated.map(\.1.why).joined(separator: "; ")
      return (
        .unknown,
        endpoints.isEmpty ? "no submission server address found" : "nothing could be tested: \(reasons)"
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
