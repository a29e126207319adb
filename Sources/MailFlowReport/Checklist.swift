import MailFlowModel

/// One line of a domain's checklist: what was checked, how it came out, and which fixes answer it.
public struct Check: Sendable, Equatable, Codable {
  public enum Status: String, Sendable, Equatable, Codable {
    case pass, warn, fail, info, unknown

    /// The rating whose mark and colour show this status.
    public var rating: Rating {
      switch self {
      case .pass: .secure
      case .warn: .weak
      case .fail: .insecure
      case .info: .internal
      case .unknown: .unknown
      }
    }
  }

  /// Stable, for scripts: `transport.relay`, `dane.mx.example.net`, `spf`, `ipv6.mx`…
  public var id: String
  public var title: String
  public var status: Status
  public var detail: String

  public init(id: String, title: String, status: Status, detail: String) {
    self.id = id
    self.title = title
    self.status = status
    self.detail = detail
  }
}

/// Every check of a probed domain in one list, derived from the report's evidence (the same facts the
/// hops show): transport per hop, DANE per MX, MTA-STS, TLS-RPT, SPF, DKIM, DMARC, DNSSEC of the domain
/// and of each MX host, IPv6 of the MX hosts, certificate expiry.
public enum Checklist {
  public static func checks(_ report: ProbeReport) -> [Check] {
    var checks: [Check] = []
    for hop in report.hops where HopID.measured.contains(hop.id) {
      checks.append(
        Check(
          id: "transport.\(hop.id.rawValue)", title: "\(hop.id.rawValue) in transit",
          status: status(hop.rating),
          detail: hop.summary))
    }
    guard let relay = report.hops.first(where: { $0.id == .relay }) else { return checks }
    let hosts = FixAdvisor.uniqueHosts(relay.endpoints)
    for endpoint in hosts {
      let host = endpoint.host.withoutTrailingDot
      let status: Check.Status =
        switch endpoint.dane.status {
        case .valid: .pass
        case .none, .insecure: .warn
        case .mismatch, .unusable, .bogus, .lookupFailed: .fail
        }
      checks.append(
        Check(id: "dane.\(host)", title: "DANE for \(host)", status: status, detail: endpoint.dane.summary))
    }
    if !hosts.isEmpty {
      let sts = relay.mtaSts
      let stsStatus: Check.Status =
        sts?.txt == nil
        ? .warn
        : sts?.mxMatches.allSatisfy(\.satisfied) == true && sts?.mode == .enforce
          ? .pass : sts?.mode == .enforce ? .fail : .warn
      checks.append(
        Check(
          id: "mta-sts", title: "MTA-STS", status: stsStatus,
          detail: sts?.txt == nil
            ? "no policy" : "mode \(sts?.mode?.rawValue ?? "?")" + (sts?.error.map { ": \($0)" } ?? "")))
      checks.append(
        Check(
          id: "tls-rpt", title: "TLS-RPT", status: relay.tlsRpt == nil ? .info : .pass,
          detail: relay.tlsRpt?.txt ?? "no record"))
    }
    if let authenticity = relay.authenticity {
      checks.append(
        Check(
          id: "spf", title: "SPF", status: status(authenticity.spf.rating),
          detail: authenticity.spf.record ?? "no record"))
      checks.append(
        Check(
          id: "dmarc", title: "DMARC", status: status(authenticity.dmarc.rating),
          detail: authenticity.dmarc.record ?? "no record"))
      if authenticity.dkim.isEmpty {
        checks.append(
          Check(
            id: "dkim", title: "DKIM", status: .unknown,
            detail: "no key at the selectors tried (--dkim-selector)"))
      }
      for key in authenticity.dkim {
        checks.append(
          Check(
            id: "dkim.\(key.selector)", title: "DKIM key \(key.selector)", status: status(key.rating),
            detail: key.keyType.map { "\($0.rawValue)" + (key.bits.map { " \($0) bits" } ?? "") } ?? "no key")
        )
      }
    }
    // DNSSEC: the domain's MX answer, and each MX host's own addresses.
    let lookups = (relay.lookups ?? []) + report.dns
    if let mx = lookups.first(where: { $0.type == "MX" && $0.name == report.domain + "." }) {
      checks.append(
        Check(
          id: "dnssec.domain", title: "DNSSEC of \(report.domain)", status: signedStatus(mx.status),
          detail: mx.status.rawValue))
    }
    for endpoint in hosts {
      let host = endpoint.host.withoutTrailingDot
      if let signed = FixAdvisor.hostIsSigned(endpoint, in: relay) {
        checks.append(
          Check(
            id: "dnssec.\(host)", title: "DNSSEC of \(host)", status: signed ? .pass : .warn,
            detail: signed ? "signed" : "not signed: DANE cannot apply"))
      }
    }
    checks += ipv6(report, relay: relay, lookups: lookups)
    checks += tlsHygiene(report)
    // Certificates: the soonest expiry over every endpoint.
    let expiries = report.hops.flatMap(\.endpoints).compactMap { endpoint -> (String, CertificateExpiry)? in
      guard let expiry = endpoint.tls?.expiry(at: report.startedAt, warnDays: FixAdvisor.defaultWarnDays)
      else {
        return nil
      }
      return ("\(endpoint.host.withoutTrailingDot):\(endpoint.port)", expiry)
    }
    if let (name, soonest) = expiries.min(by: { $0.1.secondsLeft < $1.1.secondsLeft }) {
      checks.append(
        Check(
          id: "certificates.expiry", title: "Certificate expiry",
          status: soonest.stage == .expired ? .fail : soonest.stage == .expiring ? .warn : .pass,
          detail: soonest.stage == .expired
            ? "\(name) has expired" : "soonest: \(name) in \(soonest.days) days"))
    }
    return checks
  }

  /// IPv6 of each MX host (its IPv6 addresses are probed as endpoints of their own) and of each client
  /// endpoint (its AAAA addresses, and a TCP connection to the first): reachable passes, an address
  /// that does not answer warns (senders with IPv6 try it first), and a machine without an IPv6 route
  /// says so rather than blaming the server.
  static func ipv6(_ report: ProbeReport, relay: ProbeReport.Hop, lookups: [ProbeReport.Lookup]) -> [Check] {
    var checks: [Check] = []
    func check(_ name: String, addresses: [String], reachable: Bool?, reason: String?, lookedUp: Bool) {
      let shown = addresses.prefix(3).joined(separator: ", ")
      let (status, detail): (Check.Status, String) =
        if !lookedUp {
          (.unknown, "not looked up (-4)")
        } else if addresses.isEmpty {
          (.info, "no AAAA record")
        } else if reachable == true {
          (.pass, "reachable over IPv6 (\(shown))")
        } else if reachable == false {
          (.warn, "the IPv6 address does not answer: \(reason ?? "?")")
        } else {
          (.unknown, "has IPv6 (\(shown)), not testable from here: \(reason ?? "?")")
        }
      checks.append(Check(id: "ipv6.\(name)", title: "IPv6 for \(name)", status: status, detail: detail))
    }
    for host in Set(FixAdvisor.uniqueHosts(relay.endpoints).map { $0.host.withoutTrailingDot }).sorted() {
      let probed = relay.endpoints.filter { $0.host.withoutTrailingDot == host && $0.address.contains(":") }
      let aaaa = lookups.first { $0.type == "AAAA" && $0.name == host + "." }
      if probed.isEmpty, let aaaa, !aaaa.records.isEmpty || ![.nodata, .nxdomain].contains(aaaa.status) {
        // Addresses the probe did not try (the per-host cap), or a lookup that did not answer.
        checks.append(
          Check(
            id: "ipv6.\(host)", title: "IPv6 for \(host)", status: .unknown,
            detail: aaaa.records.isEmpty
              ? "the AAAA lookup did not answer (\(aaaa.status.rawValue))"
              : "has IPv6 (\(aaaa.records.prefix(3).joined(separator: ", "))), not probed (address cap)"))
        continue
      }
      let failures = probed.compactMap(\.error)
      check(
        host, addresses: probed.map(\.address),
        reachable: probed.contains(where: \.reachable)
          ? true
          : failures.isEmpty || failures.allSatisfy(IPv6Check.isLocalLimitation) ? nil : false,
        reason: failures.first, lookedUp: aaaa != nil || !probed.isEmpty)
    }
    var seen: Set<String> = []
    for hop in report.hops where hop.id != .relay {
      for endpoint in hop.endpoints where !endpoint.address.isEmpty {
        let name = "\(endpoint.host.withoutTrailingDot):\(endpoint.port)"
        guard seen.insert(name).inserted else { continue }
        if endpoint.address.contains(":") {
          let local = endpoint.error.map(IPv6Check.isLocalLimitation) ?? false
          check(
            name, addresses: [endpoint.address], reachable: endpoint.reachable ? true : local ? nil : false,
            reason: endpoint.error, lookedUp: true)
        } else if let ipv6 = endpoint.ipv6 {
          check(
            name, addresses: ipv6.addresses, reachable: ipv6.reachable, reason: ipv6.reason, lookedUp: true)
        }
      }
    }
    return checks
  }

  static func status(_ rating: Rating) -> Check.Status {
    switch rating {
    case .secure: .pass
    case .weak: .warn
    case .insecure, .broken: .fail
    case .internal, .none: .info
    case .unknown: .unknown
    }
  }

  static func signedStatus(_ status: DNSStatus) -> Check.Status {
    switch status {
    case .secure: .pass
    case .insecure, .nodata, .nxdomain: .warn
    case .bogus: .fail
    case .servfail, .timeout, .error: .unknown
    }
  }
}
