import MailFlowModel

/// Computes each hop's fixes from the evidence a probe recorded: pure, values in and values out, so
/// the same report always gives the same advice (and a saved report can be advised again offline).
public enum FixAdvisor {
  /// Certificates expiring within this many days are a warning by default (`--warn-days`).
  public static let defaultWarnDays = 21
  /// A policy's max_age to start with: one week, as RFC 8461 §3.2's examples suggest for testing.
  static let startingMaxAge = 604_800

  public static func fixes(
    for hop: ProbeReport.Hop, domain: String, startedAt: String, warnDays: Int = defaultWarnDays
  ) -> [Fix] {
    let domain = domain.withoutTrailingDot
    var fixes: [Fix]
    switch hop.id {
    case .relay: fixes = relay(hop, domain: domain, startedAt: startedAt)
    case .submission, .retrieval: fixes = client(hop, domain: domain)
    case .outbound, .delivery: return []
    }
    fixes += certificates(hop, startedAt: startedAt, warnDays: warnDays)
    fixes += tlsHygiene(hop)
    // Most urgent first; the order within a severity is the order found.
    return fixes.enumerated().sorted { a, b in
      a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
    }.map(\.element)
  }

  // MARK: - Relay: DANE, MTA-STS, TLS-RPT

  static func relay(_ hop: ProbeReport.Hop, domain: String, startedAt: String) -> [Fix] {
    var fixes: [Fix] = []
    let hosts = uniqueHosts(hop.endpoints)
    let stsEnforced =
      hop.mtaSts?.mode == .enforce && !(hop.mtaSts?.mxMatches.isEmpty ?? true)
      && hop.mtaSts?.mxMatches.allSatisfy(\.satisfied) == true
    let daneEverywhere = !hosts.isEmpty && hosts.allSatisfy { $0.dane.status == .valid }
    for endpoint in hosts {
      let host = endpoint.host.withoutTrailingDot
      let owner = "_25._tcp.\(host)."
      let proposed = proposedTLSA(endpoint.tls, owner: owner)
      let signed = hostIsSigned(endpoint, in: hop)
      let zone =
        signed == true
        ? "The zone of \(host) is DNSSEC-signed, as DANE needs."
        : signed == false
          ? "The zone of \(host) is not DNSSEC-signed: sign it (and publish its DS at the parent) first, "
            + "or senders ignore the records." : "The zone of \(host) must be DNSSEC-signed."
      switch endpoint.dane.status {
      case .none, .insecure:
        guard !proposed.isEmpty else { continue }
        let unsigned = endpoint.dane.status == .insecure ? " (its zone is not DNSSEC-signed)" : ""
        fixes.append(
          Fix(
            .danePublish, stsEnforced ? .advice : .warning, finding: "no DANE for \(host)\(unsigned)",
            text:
              "Publish these TLSA records, made from the certificate \(host) serves: the first pins its key, "
              + "the second its issuer's, so a renewed certificate from the same CA keeps matching "
              + "(RFC 7671 §8). \(zone)",
            items: proposed, host: host))
      case .valid:
        let published = endpoint.dane.tlsa.map(\.record)
        let endEntity = published.filter { $0.hasPrefix("3 ") }
        if endEntity.count == 1 && !published.contains(where: { $0.hasPrefix("2 ") }) {
          fixes.append(
            Fix(
              .daneRollover, .warning, finding: "\(host) has a single 3 1 1 record and no rollover partner",
              text:
                "A new key (a renewed certificate) will match nothing and strict senders will stop "
                + "delivering. Publish the issuer's record too, and the next key's before rolling over.",
              items: proposed.filter { $0.value.hasPrefix("2 ") }, host: host))
        }
      case .mismatch, .unusable:
        let records = endpoint.dane.tlsa.map(\.record).joined(separator: "; ")
        fixes.append(
          Fix(
            .daneReplace, .error, finding: "no TLSA record of \(host) matches its certificate",
            text:
              "Senders that use DANE refuse to deliver. Replace the published records (\(records)) by these, "
              + "made from the certificate \(host) serves now.",
            items: proposed, host: host))
      case .bogus, .lookupFailed:
        fixes.append(
          Fix(
            .dnssecFailure, .error, finding: "the TLSA lookup for \(host) fails DNSSEC",
            text:
              "Senders that use DANE defer mail. Fix the zone's signatures first (expired RRSIGs, a DS at the "
              + "parent that matches no key, a server that drops signatures); the records to serve then: ",
            items: proposed, host: host))
      }
    }
    fixes += mtaSts(hop, hosts: hosts, domain: domain, startedAt: startedAt, daneEverywhere: daneEverywhere)
    if let authenticity = hop.authenticity {
      fixes += self.authenticity(authenticity, domain: domain, nullMX: hop.rating == .none)
    }
    if hop.tlsRpt == nil && !hosts.isEmpty {
      fixes.append(
        Fix(
          .tlsRptPublish, .advice, finding: "no TLS-RPT record",
          text:
            "Ask sending MTAs for daily reports of TLS failures (RFC 8460), so a broken certificate or policy "
            + "is noticed before mail bounces. Use an address you read.",
          items: [
            Fix.Item(
              .dns, name: "_smtp._tls.\(domain).", type: "TXT",
              value: "\"v=TLSRPTv1; rua=mailto:tls-reports@\(domain)\"")
          ]))
    }
    return fixes
  }

  static func mtaSts(
    _ hop: ProbeReport.Hop, hosts: [ProbeReport.Endpoint], domain: String, startedAt: String,
    daneEverywhere: Bool
  ) -> [Fix] {
    let url = "https://mta-sts.\(domain)/.well-known/mta-sts.txt"
    let id = String(startedAt.filter(\.isNumber).prefix(14))
    let observed = hosts.map { $0.host.withoutTrailingDot }
    func body(_ patterns: [String], mode: String, maxAge: Int) -> String {
      (["version: STSv1", "mode: \(mode)"] + patterns.map { "mx: \($0)" } + ["max_age: \(maxAge)"])
        .joined(separator: "\n") + "\n"
    }
    let record = Fix.Item(.dns, name: "_mta-sts.\(domain).", type: "TXT", value: "\"v=STSv1; id=\(id)\"")
    guard let sts = hop.mtaSts, sts.txt != nil else {
      guard !observed.isEmpty else { return [] }
      return [
        Fix(
          .mtaStsPublish, daneEverywhere ? .advice : .warning, finding: "no MTA-STS policy",
          text:
            "Tell senders that do not use DANE to require TLS with a valid certificate (RFC 8461): serve this "
            + "policy over HTTPS at \(url) (a certificate valid for mta-sts.\(domain)), publish the TXT record, "
            + "start in testing mode, then switch to enforce with a max_age of weeks once the TLS reports are "
            + "clean. Change the id whenever the policy changes.",
          items: [
            record,
            Fix.Item(.file, name: url, value: body(observed, mode: "testing", maxAge: startingMaxAge)),
          ])
      ]
    }
    guard sts.policy != nil else {
      return [
        Fix(
          .mtaStsPublish, .warning,
          finding: "the MTA-STS record is published but its policy cannot be fetched",
          text:
            "Senders find the TXT record and then no policy\(sts.error.map { " (\($0))" } ?? ""). Serve this "
            + "body at \(url) as text/plain, over HTTPS with a certificate valid for mta-sts.\(domain).",
          items: [Fix.Item(.file, name: url, value: body(observed, mode: "testing", maxAge: startingMaxAge))])
      ]
    }
    let failing = sts.mxMatches.filter { !$0.satisfied }
    guard !failing.isEmpty else { return [] }
    var reasons: [String] = []
    var patterns = sts.mxPatterns
    for match in failing {
      if !match.matchesPattern {
        reasons.append("\(match.host) is not named by any mx: line")
        patterns.append(match.host.withoutTrailingDot)
      }
      if !match.validCertificate {
        reasons.append(
          "\(match.host) does not serve a certificate valid for its name\(match.reason.map { " (\($0))" } ?? "")"
        )
      }
    }
    let renamed = patterns != sts.mxPatterns
    return [
      Fix(
        .mtaStsMismatch, sts.mode == .enforce ? .error : .warning,
        finding: "MX hosts fail the MTA-STS policy: " + reasons.joined(separator: "; "),
        text: (sts.mode == .enforce ? "Senders that honour the policy refuse to deliver to them. " : "")
          + (renamed ? "Add the missing names to the policy and change the TXT id. " : "")
          + (failing.contains { !$0.validCertificate }
            ? "Give every MX a certificate from a public CA that names it (not a self-signed one)." : ""),
        items: renamed
          ? [
            record,
            Fix.Item(
              .file, name: url,
              value: body(
                patterns, mode: sts.mode?.rawValue ?? "testing", maxAge: sts.maxAge ?? startingMaxAge)),
          ]
          : [])
    ]
  }

  // MARK: - Who may send as the domain

  public static func authenticity(_ report: AuthenticityReport, domain: String, nullMX: Bool) -> [Fix] {
    var fixes: [Fix] = []
    let spf = report.spf
    let strict = nullMX ? "v=spf1 -all" : "v=spf1 mx -all"
    let spfItem = Fix.Item(.dns, name: "\(domain).", type: "TXT", value: "\"\(strict)\"")
    switch spf.rating {
    case _ where spf.record == nil && spf.rating != .unknown:
      fixes.append(
        Fix(
          .spfPublish, .warning, finding: "no SPF record",
          text: nullMX
            ? "The domain sends no mail: say so, and every receiver refuses mail forged in its name."
            : "List every server that sends mail as \(domain) (its MX, a provider's include:) and end with -all; "
              + "if only its MX send, this is the whole record.",
          items: [spfItem]))
    case .broken:
      fixes.append(
        Fix(
          .spfRepair, .error, finding: "the SPF record is invalid: " + spf.problems.joined(separator: "; "),
          text:
            "Receivers return a permanent error and SPF stops protecting the domain. Keep one record, at most ten "
            + "lookups (flatten includes to ip4:/ip6: where a provider allows), valid terms.",
          items: nullMX ? [spfItem] : []))
    case .weak where spf.record != nil, .insecure where spf.record != nil:
      fixes.append(
        Fix(
          .spfRepair, spf.rating == .weak ? .advice : .warning,
          finding: "SPF ends with \(spf.all ?? "no all mechanism")",
          text:
            "End the record with -all so mail from unlisted servers fails SPF (with DMARC at reject it is refused).",
          items: nullMX ? [spfItem] : []))
    default: break
    }
    let dmarc = report.dmarc
    // The report addresses already published stay; a new record gets one at the domain.
    let reports =
      dmarc.aggregateReports.isEmpty
      ? "mailto:dmarc-reports@\(domain)" : dmarc.aggregateReports.joined(separator: ",")
    let dmarcItem = { (policy: String) in
      Fix.Item(
        .dns, name: "_dmarc.\(domain).", type: "TXT", value: "\"v=DMARC1; p=\(policy); rua=\(reports)\"")
    }
    switch dmarc.rating {
    case _ where dmarc.record == nil && dmarc.rating != .unknown:
      fixes.append(
        Fix(
          .dmarcPublish, .warning, finding: "no DMARC record",
          text: nullMX
            ? "The domain sends no mail: tell receivers to refuse anything claiming to come from it."
            : "Publish a policy: start with p=none to receive the reports, then quarantine and reject once "
              + "every legitimate sender passes SPF or DKIM aligned with \(domain).",
          items: [dmarcItem(nullMX ? "reject" : "none")]))
    case .broken:
      fixes.append(
        Fix(
          .dmarcRepair, .error,
          finding: "the DMARC record is invalid: " + dmarc.problems.joined(separator: "; "),
          text: "Receivers ignore it, as if there were none. Publish one valid record:",
          items: [dmarcItem(publishedPolicy(dmarc.record) ?? (nullMX ? "reject" : "none"))]))
    case .weak where dmarc.record != nil, .insecure where dmarc.record != nil:
      fixes.append(
        Fix(
          .dmarcRepair, dmarc.rating == .weak ? .advice : .warning,
          finding:
            "DMARC p=\(dmarc.policy?.rawValue ?? "?")\(dmarc.percent.map { $0 < 100 ? " pct=\($0)" : "" } ?? "")",
          text:
            "Once the reports show every legitimate sender aligned, move to p=reject (pct=100), so forged mail is refused.",
          items: [dmarcItem("reject")]))
    default: break
    }
    for key in report.dkim where key.rating == .weak || key.rating == .broken {
      fixes.append(
        Fix(
          .dkimRepair, key.rating == .broken ? .error : .warning,
          finding: "the DKIM key at \(key.selector)._domainkey.\(domain) is "
            + key.problems.joined(separator: "; "),
          text:
            "Generate a new key — RSA 2048 bits (or Ed25519 beside it, RFC 8463) — publish it at a new selector, "
            + "sign with it, and revoke the old one by publishing it with an empty p=."))
    }
    for destination in dmarc.externalDestinations where !destination.authorized {
      let host = destination.address.split(separator: "@").last.map(String.init) ?? ""
      fixes.append(
        Fix(
          .dmarcRepair, .warning, finding: "\(destination.address) does not accept reports for \(domain)",
          text: "Its owner must publish this record (RFC 7489 §7.1), or the reports are not sent there.",
          items: [
            Fix.Item(.dns, name: "\(domain)._report._dmarc.\(host).", type: "TXT", value: "\"v=DMARC1\"")
          ]))
    }
    return fixes
  }

  /// The `p=` a record says, when it is one of the three, even if the record is otherwise invalid (a
  /// repair must not weaken it).
  static func publishedPolicy(_ record: String?) -> String? {
    for part in (record ?? "").split(separator: ";") {
      let pair = part.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: " \t").lowercased()
      }
      if pair.count == 2, pair[0] == "p", ["none", "quarantine", "reject"].contains(pair[1]) {
        return pair[1]
      }
    }
    return nil
  }

  /// `3 1 1` of the leaf's key and `2 1 1` of its issuer's, when the certificate was seen.
  static func proposedTLSA(_ tls: ProbeReport.TLS?, owner: String) -> [Fix.Item] {
    guard let tls, let leaf = tls.leafSPKISHA256 else { return [] }
    var items = [Fix.Item(.dns, name: owner, type: "TLSA", value: "3 1 1 \(leaf)")]
    if let issuer = tls.issuerSPKISHA256 {
      items.append(Fix.Item(.dns, name: owner, type: "TLSA", value: "2 1 1 \(issuer)"))
    }
    return items
  }

  /// Whether the host's own address lookups were DNSSEC-secure (`nil`: none recorded).
  static func hostIsSigned(_ endpoint: ProbeReport.Endpoint, in hop: ProbeReport.Hop) -> Bool? {
    let name = endpoint.host.hasSuffix(".") ? endpoint.host : endpoint.host + "."
    let lookups = (endpoint.lookups ?? []) + (hop.lookups ?? [])
    let own = lookups.filter { $0.name == name && ($0.type == "A" || $0.type == "AAAA") }
    guard !own.isEmpty else { return nil }
    return own.contains { $0.status == .secure }
  }

  // MARK: - Submission and retrieval

  static func client(_ hop: ProbeReport.Hop, domain: String) -> [Fix] {
    // No server found (or the hop not probed): nothing of the domain's to fix.
    guard !hop.endpoints.isEmpty else { return [] }
    var fixes: [Fix] = []
    let reachable = hop.endpoints.filter(\.reachable)
    let implicitServices: [Service] = hop.id == .submission ? [.submissions] : [.imaps, .pop3s]
    let usesPOP3 = hop.endpoints.contains { $0.service == .pop3 || $0.service == .pop3s }
    let wanted = implicitServices.filter { $0 != .pop3s || usesPOP3 }
    let host =
      reachable.first.map { $0.host.withoutTrailingDot }
      ?? (hop.endpoints.first.map { $0.host.withoutTrailingDot } ?? "mail.\(domain)")
    for service in wanted {
      let secure = reachable.filter { $0.service == service && $0.tls != nil && $0.rating == .secure }
      if secure.isEmpty {
        fixes.append(
          Fix(
            .srvPublish, .warning,
            finding: "no \(service.rawValue) (implicit TLS on \(service.defaultPort)) found",
            text:
              "Offer \(service.rawValue) on port \(service.defaultPort) with a certificate for \(host) (RFC 8314: "
              + "TLS from the first byte, nothing to strip), and publish its SRV record so mail programs find "
              + "it (RFC 6186).",
            items: [srv(service, domain: domain, host: host)]))
      } else if !secure.contains(where: { $0.sources.contains(.srv) }) {
        fixes.append(
          Fix(
            .srvPublish, .advice, finding: "\(service.rawValue) works but is not announced by SRV",
            text: "Publish its SRV record so mail programs configure it without guessing (RFC 6186).",
            items: [srv(service, domain: domain, host: secure[0].host.withoutTrailingDot)]))
      }
    }
    for endpoint in reachable where !endpoint.service.implicitTLS {
      let name = "\(endpoint.host.withoutTrailingDot):\(endpoint.port)"
      let software = ServerSoftware.identify(endpoint.transcript)
      if let methods = endpoint.authBeforeTLS, !methods.isEmpty {
        fixes.append(
          Fix(
            .authBeforeTLS, .error,
            finding: "\(name) offers \(methods.joined(separator: " ")) before TLS",
            text:
              "A password can cross in cleartext (or to whoever strips STARTTLS). Offer authentication only "
              + "after STARTTLS" + (software.map { " — a hint from the banner (\($0.name)):" } ?? "."),
            items: software?.settings(for: .authBeforeTLS, service: endpoint.service) ?? [],
            host: endpoint.host.withoutTrailingDot))
      } else if endpoint.starttls == false && endpoint.tls == nil {
        fixes.append(
          Fix(
            .cleartextService, .warning, finding: "\(name) offers no TLS",
            text:
              "Everything, the password included, crosses in cleartext. Turn this port off, or offer and "
              + "require STARTTLS" + (software.map { " — a hint from the banner (\($0.name)):" } ?? "."),
            items: software?.settings(for: .cleartextService, service: endpoint.service) ?? [],
            host: endpoint.host.withoutTrailingDot))
      }
    }
    let implicitSecure = reachable.contains { $0.service.implicitTLS && $0.rating == .secure }
    let stripped = Set(reachable.filter { !$0.service.implicitTLS }.map(\.service))
    if implicitSecure && !stripped.isEmpty {
      fixes.append(
        Fix(
          .srvDisable, .advice, finding: "STARTTLS or cleartext ports offered beside implicit TLS",
          text:
            "Mail programs that find these may use them, and STARTTLS can be stripped. Where no program needs "
            + "them, say so in DNS (an SRV target of \".\" means the service is not offered, RFC 6186 §4) and "
            + "turn the ports off.",
          items: stripped.sorted { $0.defaultPort < $1.defaultPort }.map {
            Fix.Item(.dns, name: "\($0.srvLabel).\(domain).", type: "SRV", value: "0 0 0 .")
          }))
    }
    return fixes
  }

  static func srv(_ service: Service, domain: String, host: String) -> Fix.Item {
    Fix.Item(
      .dns, name: "\(service.srvLabel).\(domain).", type: "SRV", value: "0 1 \(service.defaultPort) \(host).")
  }

  // MARK: - Certificates, on every hop

  static func certificates(_ hop: ProbeReport.Hop, startedAt: String, warnDays: Int) -> [Fix] {
    var fixes: [Fix] = []
    var seen: Set<String> = []
    for endpoint in hop.endpoints {
      guard let tls = endpoint.tls else { continue }
      let host = endpoint.host.withoutTrailingDot
      let name = hop.id == .relay ? host : "\(host):\(endpoint.port)"
      guard seen.insert(name).inserted else { continue }
      if let expiry = tls.expiry(at: startedAt, warnDays: warnDays) {
        switch expiry.stage {
        case .expired:
          let ago = -expiry.days
          fixes.append(
            Fix(
              .certificateExpired, .error,
              finding: "the certificate of \(name) expired "
                + (ago == 0 ? "today" : "\(ago) day\(ago == 1 ? "" : "s") ago"),
              text: "Clients that check certificates refuse it. Renew it and reload the server.", host: host))
        case .expiring:
          let left = expiry.days
          fixes.append(
            Fix(
              .certificateExpiring, .warning,
              finding:
                "the certificate of \(name) expires in \(left) day\(left == 1 ? "" : "s") (\(tls.notAfter ?? ""))",
              text:
                "Renew it now (and, with DANE, publish the new key's TLSA record before it is used).",
              host: host))
        case .fine:
          break
        }
      }
      if !tls.nameMatch {
        fixes.append(
          Fix(
            .certificateName, hop.id == .relay ? .warning : .error,
            finding: "the certificate of \(name) does not name \(host)",
            text:
              "Mail programs (and MTA-STS senders) refuse it. Get a certificate whose subjectAltName includes "
              + "\(host)" + (tls.subject.map { "; it names \($0)" } ?? "") + ".", host: host))
      } else if !tls.pkixValid {
        fixes.append(
          Fix(
            .certificateTrust,
            hop.id == .relay && endpoint.dane.status == .valid
              ? .advice : hop.id == .relay ? .warning : .error,
            finding: "the certificate of \(name) is not trusted" + (tls.error.map { ": \($0)" } ?? ""),
            text:
              "Serve a certificate from a public CA with its whole chain (the leaf, then every intermediate); "
              + "a missing intermediate is the usual cause.", host: host))
      }
    }
    return fixes
  }

  // MARK: - Helpers

  /// One endpoint per host (the one that got furthest: with TLS), in the order found.
  static func uniqueHosts(_ endpoints: [ProbeReport.Endpoint]) -> [ProbeReport.Endpoint] {
    var order: [String] = []
    var best: [String: ProbeReport.Endpoint] = [:]
    for endpoint in endpoints {
      let host = endpoint.host.withoutTrailingDot
      if best[host] == nil { order.append(host) }
      if best[host]?.tls == nil { best[host] = endpoint }
    }
    return order.compactMap { best[$0] }
  }

}

extension ProbeReport {
  /// A hop's fixes: those the probe recorded, or, for a report written before fixes existed, computed
  /// again from its evidence (with the default warning threshold).
  public func fixes(for hop: Hop, warnDays: Int = FixAdvisor.defaultWarnDays) -> [Fix] {
    hop.fixes ?? FixAdvisor.fixes(for: hop, domain: domain, startedAt: startedAt, warnDays: warnDays)
  }
}
