import MailFlowModel

/// What changed between two reports of a domain: hop ratings, endpoints that appeared or went,
/// certificates replaced or nearing expiry, DANE and MTA-STS policies. Pure; `mailflow diff`, `probe
/// --compare` and the explorer's re-probe all use it.
public struct ReportChange: Sendable, Equatable, Codable {
  public var hop: HopID
  /// The endpoint it concerns (`smtp mx.example [192.0.2.1]:25`), when one.
  @NullEncodable public var endpoint: String?
  public var what: String
  @NullEncodable public var before: String?
  @NullEncodable public var after: String?
  /// The change makes the domain less protected (or will soon: a certificate nearing expiry).
  public var worse: Bool

  public init(
    hop: HopID, endpoint: String? = nil, what: String, before: String?, after: String?, worse: Bool
  ) {
    self.hop = hop
    self.endpoint = endpoint
    self.what = what
    self.before = before
    self.after = after
    self.worse = worse
  }

  /// `relay: rating secure → weak (worse)`.
  public var line: String {
    let place = endpoint.map { "\(hop.rawValue) \($0)" } ?? hop.rawValue
    let change =
      switch (before, after) {
      case (let b?, let a?): "\(b) → \(a)"
      case (nil, let a?): "now \(a)"
      case (let b?, nil): "was \(b), now gone"
      case (nil, nil): ""
      }
    return "\(place): \(what) \(change)" + (worse ? " (worse)" : "")
  }
}

public enum ReportDiff {
  public static func changes(
    from old: ProbeReport, to new: ProbeReport, warnDays: Int = FixAdvisor.defaultWarnDays
  ) -> [ReportChange] {
    var changes: [ReportChange] = []
    for hop in new.hops {
      guard let before = old.hops.first(where: { $0.id == hop.id }) else { continue }
      if before.rating != hop.rating {
        changes.append(
          ReportChange(
            hop: hop.id, what: "rating", before: before.rating.rawValue, after: hop.rating.rawValue,
            worse: weaker(hop.rating, than: before.rating)))
      }
      changes += endpoints(
        before, hop, oldStartedAt: old.startedAt, newStartedAt: new.startedAt, warnDays: warnDays)
      changes += policies(before, hop)
    }
    return changes
  }

  /// A rating that protects less than another (a hop that could be tested and now cannot counts).
  static func weaker(_ rating: Rating, than before: Rating) -> Bool {
    guard let was = before.strength else { return false }
    guard let now = rating.strength else { return rating == .unknown }
    return now < was
  }

  static func key(_ endpoint: ProbeReport.Endpoint) -> String {
    "\(endpoint.service.rawValue) \(endpoint.host.withoutTrailingDot) [\(endpoint.address)]:\(endpoint.port)"
  }

  static func endpoints(
    _ old: ProbeReport.Hop, _ new: ProbeReport.Hop, oldStartedAt: String, newStartedAt: String,
    warnDays: Int
  ) -> [ReportChange] {
    var changes: [ReportChange] = []
    var before = Dictionary(old.endpoints.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
    let after = Dictionary(new.endpoints.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
    // A host that moved to another address (one old, one new for the same service, host and port) is
    // the same endpoint: its address changed, and what it serves is compared.
    let place = { (endpoint: ProbeReport.Endpoint) in
      "\(endpoint.service.rawValue) \(endpoint.host) \(endpoint.port)"
    }
    let gone = old.endpoints.filter { after[key($0)] == nil }
    let came = new.endpoints.filter { before[key($0)] == nil }
    var moved: Set<String> = []
    for endpoint in came {
      let from = gone.filter { place($0) == place(endpoint) }
      guard from.count == 1, came.filter({ place($0) == place(endpoint) }).count == 1 else { continue }
      before[key(endpoint)] = from[0]
      moved.insert(key(from[0]))
      changes.append(
        ReportChange(
          hop: new.id, endpoint: key(endpoint), what: "address", before: from[0].address,
          after: endpoint.address, worse: false))
    }
    for endpoint in gone where !moved.contains(key(endpoint)) {
      changes.append(
        ReportChange(
          hop: new.id, endpoint: key(endpoint), what: "endpoint", before: endpoint.rating.rawValue,
          after: nil, worse: false))
    }
    for endpoint in new.endpoints {
      let name = key(endpoint)
      guard let was = before[name] else {
        changes.append(
          ReportChange(
            hop: new.id, endpoint: name, what: "endpoint", before: nil, after: endpoint.rating.rawValue,
            worse: new.rating == endpoint.rating && weaker(endpoint.rating, than: old.rating)))
        continue
      }
      if was.rating != endpoint.rating {
        changes.append(
          ReportChange(
            hop: new.id, endpoint: name, what: "rating", before: was.rating.rawValue,
            after: endpoint.rating.rawValue,
            worse: weaker(endpoint.rating, than: was.rating)))
      }
      if let certificate = endpoint.tls, let previous = was.tls {
        let replaced =
          certificate.leafSPKISHA256 != previous.leafSPKISHA256 || certificate.notAfter != previous.notAfter
          || certificate.subject != previous.subject || certificate.issuer != previous.issuer
        if replaced {
          changes.append(
            ReportChange(
              hop: new.id, endpoint: name, what: "certificate",
              before: describe(previous), after: describe(certificate),
              worse: (previous.pkixValid && !certificate.pkixValid)
                || (previous.nameMatch && !certificate.nameMatch)))
        }
        // Nearing expiry (or expired) now, and not before: a change, for the worse.
        let state = certificate.expiry(at: newStartedAt, warnDays: warnDays)?.stage ?? .fine
        if state != .fine, state != previous.expiry(at: oldStartedAt, warnDays: warnDays)?.stage ?? .fine {
          changes.append(
            ReportChange(
              hop: new.id, endpoint: name, what: "certificate expiry", before: nil,
              after: state == .expired
                ? "expired \(certificate.notAfter ?? "")" : "expires \(certificate.notAfter ?? "")",
              worse: true))
        }
      }
      if was.dane.status != endpoint.dane.status
        || was.dane.tlsa.map(\.record) != endpoint.dane.tlsa.map(\.record)
      {
        let records = { (dane: ProbeReport.DANE) in
          "\(dane.status.rawValue)"
            + (dane.tlsa.isEmpty ? "" : " (\(dane.tlsa.map(\.record).joined(separator: "; ")))")
        }
        changes.append(
          ReportChange(
            hop: new.id, endpoint: name, what: "DANE", before: records(was.dane),
            after: records(endpoint.dane),
            worse: was.dane.status == .valid && endpoint.dane.status != .valid))
      }
    }
    return changes
  }

  static func describe(_ tls: ProbeReport.TLS) -> String {
    "\(tls.subject ?? "?") by \(tls.issuer ?? "?") until \(tls.notAfter ?? "?")"
  }

  static func policies(_ old: ProbeReport.Hop, _ new: ProbeReport.Hop) -> [ReportChange] {
    var changes: [ReportChange] = []
    let describe = { (sts: ProbeReport.MTASTSReport?) -> String? in
      guard let sts, sts.txt != nil else { return nil }
      return
        "mode \(sts.mode?.rawValue ?? "?"), id \(sts.id ?? "?"), mx \(sts.mxPatterns.joined(separator: " "))"
    }
    let (before, after) = (describe(old.mtaSts), describe(new.mtaSts))
    if before != after {
      let wasEnforced = old.mtaSts?.mode == .enforce
      changes.append(
        ReportChange(
          hop: new.id, what: "MTA-STS policy", before: before, after: after,
          worse: wasEnforced && new.mtaSts?.mode != .enforce))
    }
    if (old.tlsRpt?.txt) != (new.tlsRpt?.txt) {
      changes.append(
        ReportChange(
          hop: new.id, what: "TLS-RPT record", before: old.tlsRpt?.txt, after: new.tlsRpt?.txt,
          worse: old.tlsRpt != nil && new.tlsRpt == nil))
    }
    return changes
  }
}
