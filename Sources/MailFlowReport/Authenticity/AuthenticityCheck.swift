import MailFlowModel

/// Who may send mail as a domain, as its DNS says (SPF, DMARC): the checks a receiving MX makes at
/// the relay hop. Pure but for the lookups, which are injected (the probe passes its DNSSEC resolver,
/// tests a table).
public enum AuthenticityCheck {
  /// One answer as the check needs it: its status and, for TXT, each record's strings joined; for MX,
  /// the exchanges; for A/AAAA, the addresses.
  public struct Answer: Sendable {
    public var status: DNSStatus
    public var records: [String]

    public init(status: DNSStatus, records: [String]) {
      self.status = status
      self.records = records
    }

    /// No data and no error: a void lookup (RFC 7208 §4.6.4).
    var isVoid: Bool { status == .nxdomain || status == .nodata || (status.answered && records.isEmpty) }
  }

  public enum QueryType: String, Sendable {
    case txt = "TXT"
    case mx = "MX"
    case a = "A"
  }

  public typealias Lookup = @Sendable (_ name: String, _ type: QueryType) async -> Answer

  /// RFC 7208 §4.6.4: at most ten terms that look up DNS, and two lookups that return nothing.
  public static let lookupLimit = 10
  public static let voidLookupLimit = 2

  /// `nullMX`: the domain publishes a null MX (RFC 7505), so it sends no mail either and should say so.
  /// Selectors tried when none is given: those of the most common signers (selectors cannot be listed
  /// from DNS, so a domain signing with another is only found with `--dkim-selector`).
  public static let commonSelectors = [
    "default", "dkim", "mail", "selector1", "selector2", "google", "k1", "s1", "s2", "smtp",
  ]

  /// - Parameter publicSuffixes: finds the organisational domain for DMARC, called only when one is
  ///   needed (a subdomain without a record of its own, a report address elsewhere); without a list,
  ///   the last two labels stand in (and the report says so).
  public static func run(
    domain: String, nullMX: Bool = false, selectors: [String] = [],
    publicSuffixes: @escaping @Sendable () -> PublicSuffixList? = { nil }, lookup: @escaping Lookup
  ) async -> AuthenticityReport {
    let domain = domain.withoutTrailingDot
    async let spf = self.spf(domain, nullMX: nullMX, lookup: lookup)
    async let dmarc = self.dmarc(domain, nullMX: nullMX, publicSuffixes: publicSuffixes, lookup: lookup)
    async let dkim = self.dkim(domain, given: selectors, lookup: lookup)
    var report = AuthenticityReport(spf: await spf, dmarc: await dmarc)
    report.dkim = await dkim
    return report
  }

  // MARK: - DKIM

  /// The keys found at the given selectors (each reported, found or not) and at the common ones (only
  /// where found), looked up together.
  static func dkim(_ domain: String, given: [String], lookup: @escaping Lookup) async -> [AuthenticityReport
    .DKIM]
  {
    var selectors = given
    for common in commonSelectors where !selectors.contains(common) { selectors.append(common) }
    return await withTaskGroup(of: (Int, AuthenticityReport.DKIM?).self) { group in
      for (index, selector) in selectors.enumerated() {
        group.addTask {
          let name = "\(selector)._domainkey.\(domain)"
          let answer = await lookup(name + ".", .txt)
          let records = answer.records.filter { $0.contains("p=") }
          var result = AuthenticityReport.DKIM(selector: selector)
          guard let text = records.first else {
            guard index < given.count else { return (index, nil) }
            result.rating = answer.status.answered || answer.isVoid ? .none : .unknown
            result.problems.append("no DKIM key at \(name) (\(answer.status.rawValue))")
            return (index, result)
          }
          result.record = text
          do {
            let key = try DKIMKey(text)
            result.keyType = key.type
            result.bits = key.bits
            result.testing = key.testing
            result.rating = key.rating
            if key.revoked { result.problems.append("revoked (p= is empty)") }
            if key.testing {
              result.problems.append("t=y: the domain is testing DKIM, failures may be ignored")
            }
            if key.type == .rsa, let bits = key.bits, bits < 2048 {
              result.problems.append(
                bits < 1024
                  ? "RSA \(bits) bits: verifiers must reject keys under 1024 bits (RFC 8301)"
                  : "RSA \(bits) bits: use 2048 or more (RFC 8301 recommends it)")
            }
          } catch {
            result.rating = .broken
            result.problems.append("syntax error: \(error)")
          }
          return (index, result)
        }
      }
      var found: [(Int, AuthenticityReport.DKIM)] = []
      for await (index, result) in group { if let result { found.append((index, result)) } }
      return found.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }

  // MARK: - SPF

  static func spf(_ domain: String, nullMX: Bool, lookup: @escaping Lookup) async -> AuthenticityReport.SPF {
    var result = AuthenticityReport.SPF()
    let answer = await lookup(domain + ".", .txt)
    guard answer.status.answered || answer.isVoid else {
      result.rating = .unknown
      result.problems.append("the TXT lookup of \(domain) failed (\(answer.status.rawValue))")
      return result
    }
    let records = answer.records.filter(SPFRecord.isSPF)
    guard let text = records.first else {
      result.rating = .insecure
      result.problems.append("no SPF record: any server may send as \(domain)")
      return result
    }
    result.record = text
    if records.count > 1 {
      result.rating = .broken
      result.problems.append(
        "\(records.count) SPF records: receivers treat that as a permanent error (RFC 7208 §4.5)")
      return result
    }
    let record: SPFRecord
    do {
      record = try SPFRecord(text)
    } catch {
      result.rating = .broken
      result.problems.append("syntax error at \(error) — receivers return a permanent error")
      return result
    }
    result.all = record.all.map { "\($0.rawValue)all" }
    result.usesPTR = record.terms.contains { if case .mechanism(_, .ptr) = $0 { true } else { false } }
    result.usesMacros = record.usesMacros
    var walk = Walk(lookup: lookup)
    let effectiveAll: SPFRecord.Qualifier?
    do {
      effectiveAll = try await walk.visit(record, domain: domain, depth: 0)
    } catch {
      result.lookups = walk.lookups
      result.voidLookups = walk.voidLookups
      result.includes = walk.visited
      let temporary = (error as? WalkError)?.temporary == true
      result.rating = temporary ? .unknown : .broken
      result.problems.append("\(error)" + (temporary ? "" : " — receivers return a permanent error"))
      return result
    }
    result.lookups = walk.lookups
    result.voidLookups = walk.voidLookups
    result.includes = walk.visited
    result.problems += walk.problems
    if walk.lookups > lookupLimit {
      result.rating = .broken
      result.problems.append(
        "\(walk.lookups) DNS lookups: over the limit of \(lookupLimit), receivers return a permanent error (RFC 7208 §4.6.4)"
      )
    } else if walk.voidLookups > voidLookupLimit {
      result.rating = .broken
      result.problems.append(
        "\(walk.voidLookups) lookups return nothing: over the limit of \(voidLookupLimit) (RFC 7208 §4.6.4)")
    } else {
      result.rating =
        switch effectiveAll {
        case .fail: .secure
        case .softfail: .weak
        case .neutral, .pass, nil: .insecure
        }
      switch effectiveAll {
      case nil: result.problems.append("no all mechanism: mail from anywhere else is neutral")
      case .pass: result.problems.append("+all: every server on the internet may send as \(domain)")
      case .neutral: result.problems.append("?all: receivers treat unlisted senders as neutral")
      case .softfail: result.problems.append("~all: unlisted senders soft-fail (accepted, marked)")
      case .fail: break
      }
    }
    if result.usesPTR {
      result.problems.append("ptr is deprecated (RFC 7208 §5.5): slow, and many receivers skip it")
    }
    if nullMX { result.noteNullMX() }
    return result
  }

  struct WalkError: Error, CustomStringConvertible {
    var description: String
    /// A lookup failed: receivers return a temporary error (and try later), not a permanent one.
    var temporary = false
  }

  /// Follows includes and redirects, counting the lookups every term costs.
  struct Walk {
    let lookup: Lookup
    var lookups = 0
    var voidLookups = 0
    var visited: [String] = []
    /// The includes and redirects being followed, outermost first.
    var path: [String] = []
    var problems: [String] = []

    /// The qualifier of the `all` that decides (the record's own, else its redirect's).
    mutating func visit(_ record: SPFRecord, domain: String, depth: Int) async throws -> SPFRecord.Qualifier?
    {
      guard depth < 12 else { throw WalkError(description: "includes nest too deep (a loop?) at \(domain)") }
      for term in record.terms {
        guard case .mechanism(_, let mechanism) = term, mechanism.looksUp else { continue }
        lookups += 1
        // Stop following once the limit is passed: the count is what matters then.
        guard lookups <= AuthenticityCheck.lookupLimit + 5 else { return record.all }
        switch mechanism {
        case .include(let target):
          try await follow(target, from: domain, depth: depth, as: "include")
        case .mx(let target):
          let name = target ?? domain
          guard !name.contains("%{") else { continue }
          let answer = await lookup(name + ".", .mx)
          if answer.isVoid { voidLookups += 1 }
          if answer.records.count > 10 {
            problems.append(
              "mx:\(name) has \(answer.records.count) MX records: more than 10 is a permanent error")
          }
        case .a(let target):
          let name = target ?? domain
          guard !name.contains("%{") else { continue }
          if await lookup(name + ".", .a).isVoid { voidLookups += 1 }
        case .exists(let name):
          guard !name.contains("%{") else { continue }
          if await lookup(name + ".", .a).isVoid { voidLookups += 1 }
        default: break  // ptr looks up the sending address: nothing to try without a message
        }
      }
      if let target = record.redirect, record.all == nil {
        lookups += 1
        return try await follow(target, from: domain, depth: depth, as: "redirect")
      }
      return record.all
    }

    @discardableResult
    mutating func follow(_ target: String, from domain: String, depth: Int, as kind: String) async throws
      -> SPFRecord.Qualifier?
    {
      guard !target.contains("%{") else { return nil }  // a macro: expanded per message
      let name = target.withoutTrailingDot
      // A loop is a domain that includes itself on the way down; the same include twice is no error,
      // it just costs its lookups again (RFC 7208 §4.6.4 bounds both).
      guard !path.contains(name) else {
        throw WalkError(description: "\(kind):\(name) includes itself (a loop)")
      }
      if !visited.contains(name) { visited.append(name) }
      let answer = await lookup(name + ".", .txt)
      if answer.isVoid { voidLookups += 1 }
      guard answer.status.answered || answer.isVoid else {
        throw WalkError(
          description: "the TXT lookup of \(name) failed (\(answer.status.rawValue)): a temporary error",
          temporary: true)
      }
      let records = answer.records.filter(SPFRecord.isSPF)
      guard records.count == 1, let text = records.first else {
        throw WalkError(
          description:
            "\(kind):\(name) has \(records.isEmpty ? "no" : "\(records.count)") SPF records (from \(domain))")
      }
      let record: SPFRecord
      do {
        record = try SPFRecord(text)
      } catch {
        throw WalkError(description: "syntax error in \(name)'s record at \(error)")
      }
      // On the path while it is followed (a throw ends the whole walk, so only success pops it).
      path.append(name)
      let all = try await visit(record, domain: name, depth: depth + 1)
      path.removeLast()
      return all
    }
  }

  // MARK: - DMARC

  static func dmarc(
    _ domain: String, nullMX: Bool, publicSuffixes: @escaping @Sendable () -> PublicSuffixList? = { nil },
    lookup: @escaping Lookup
  ) async
    -> AuthenticityReport.DMARC
  {
    var result = AuthenticityReport.DMARC()
    let list = OnceList(load: publicSuffixes)
    // RFC 7489 §3.2: one label below the public suffix; without the list, the last two labels.
    let organisation = { (name: String) -> String in
      guard let suffixes = list.value else {
        return name.split(separator: ".").suffix(2).joined(separator: ".")
      }
      return suffixes.organizationalDomain(of: name) ?? name
    }
    // The domain's own record, else its organisational domain's (§6.6.3), looked for only then.
    var candidates = ["_dmarc.\(domain)"]
    var index = 0
    while index < candidates.count {
      let name = candidates[index]
      index += 1
      let answer = await lookup(name + ".", .txt)
      guard answer.status.answered || answer.isVoid else {
        result.rating = .unknown
        result.problems.append("the TXT lookup of \(name) failed (\(answer.status.rawValue))")
        return result
      }
      let records = answer.records.filter(DMARCRecord.isDMARC)
      guard !records.isEmpty else {
        if index == 1, domain.split(separator: ".").count > 2 {
          let organisational = organisation(domain)
          if organisational != domain {
            candidates.append("_dmarc." + organisational)
            result.organizationalDomain = organisational
          }
        }
        continue
      }
      result.foundAt = name
      result.record = records[0]
      if name != candidates[0] && list.value == nil {
        result.problems.append(
          "the organisational domain was taken as the last two labels: no public-suffix list was available")
      }
      if records.count > 1 {
        result.rating = .broken
        result.problems.append(
          "\(records.count) DMARC records at \(name): receivers ignore them all (RFC 7489 §6.6.3)")
        return result
      }
      do {
        let record = try DMARCRecord(records[0])
        result.policy = record.policy
        result.subdomainPolicy = record.subdomainPolicy
        result.percent = record.percent
        result.alignment =
          "dkim \(record.strictDKIM ? "strict" : "relaxed"), spf \(record.strictSPF ? "strict" : "relaxed")"
        result.aggregateReports = record.aggregateReports
        result.failureReports = record.failureReports
        let effective = name == candidates[0] ? record.policy : (record.subdomainPolicy ?? record.policy)
        result.rating =
          switch effective {
          case .reject where record.percent == 100: .secure
          case .reject, .quarantine: .weak
          case .none: .insecure
          }
        switch effective {
        case .none: result.problems.append("p=none: reports only, forged mail is delivered as usual")
        case .quarantine: result.problems.append("p=quarantine: forged mail goes to spam, not refused")
        case .reject where record.percent < 100:
          result.problems.append("pct=\(record.percent): the policy applies to only part of the forged mail")
        case .reject: break
        }
        if record.aggregateReports.isEmpty {
          result.problems.append("no rua: nobody receives the aggregate reports")
        }
        if !record.otherReportURIs.isEmpty {
          result.problems.append(
            "report addresses that are not mailto: are skipped by most receivers: "
              + record.otherReportURIs.joined(separator: ", "))
        }
        // RFC 7489 §7.1: a destination outside the policy's domain must say it accepts its reports.
        // Each destination once, and at most ten (a record may list any number).
        let policyDomain = String(name.dropFirst("_dmarc.".count))
        var checked: Set<String> = []
        for uri in record.aggregateReports + record.failureReports {
          guard let destination = uri.split(separator: "@").last.map(String.init)?.lowercased() else {
            continue
          }
          let inside = destination == policyDomain || destination.hasSuffix("." + policyDomain)
          guard !inside, organisation(destination) != organisation(policyDomain), checked.count < 10,
            checked.insert(destination).inserted
          else { continue }
          let check = "\(policyDomain)._report._dmarc.\(destination)"
          let answer = await lookup(check + ".", .txt)
          let authorized = answer.records.contains(where: DMARCRecord.isDMARC)
          result.externalDestinations.append(
            AuthenticityReport.DMARC.Destination(address: uri, authorized: authorized))
          if !authorized {
            result.problems.append(
              "\(uri) is outside \(policyDomain) and \(check) does not authorize it: its reports are not sent"
            )
          }
        }
      } catch {
        result.rating = .broken
        result.problems.append("syntax error: \(error) — receivers ignore the record")
      }
      break
    }
    if result.record == nil {
      result.rating = .insecure
      result.problems.append("no DMARC record: receivers have no policy for mail that forges \(domain)")
    }
    if nullMX { result.noteNullMX() }
    return result
  }
}

/// SPF and DMARC of a domain as found (the relay hop's `authenticity`).
public struct AuthenticityReport: Sendable, Equatable, Codable {
  public struct SPF: Sendable, Equatable, Codable {
    @NullEncodable public var record: String? = nil
    public var rating: Rating = .unknown
    /// `-all`, `~all`, `?all`, `+all`, or `null` when the record has none.
    @NullEncodable public var all: String? = nil
    /// DNS lookups every include, a, mx, ptr, exists and redirect costs, all expanded.
    public var lookups = 0
    public var voidLookups = 0
    /// The domains followed through include and redirect, in order.
    public var includes: [String] = []
    public var usesPTR = false
    /// Macros are shown as written: they are expanded per message, not by a check.
    public var usesMacros = false
    public var problems: [String] = []

    public init() {}

    /// A domain that takes no mail (null MX) sends none either: it should say so.
    mutating func noteNullMX() {
      if all != "-all" { problems.append("a domain that sends no mail (null MX) should publish v=spf1 -all") }
    }
  }

  public struct DMARC: Sendable, Equatable, Codable {
    public struct Destination: Sendable, Equatable, Codable {
      public var address: String
      public var authorized: Bool

      public init(address: String, authorized: Bool) {
        self.address = address
        self.authorized = authorized
      }
    }

    @NullEncodable public var record: String? = nil
    /// Where the record was found: `_dmarc.DOMAIN`, or the organisational domain's.
    @NullEncodable public var foundAt: String? = nil
    public var rating: Rating = .unknown
    @NullEncodable public var policy: DMARCRecord.Policy? = nil
    @NullEncodable public var subdomainPolicy: DMARCRecord.Policy? = nil
    @NullEncodable public var percent: Int? = nil
    @NullEncodable public var alignment: String? = nil
    public var aggregateReports: [String] = []
    public var failureReports: [String] = []
    /// Report addresses outside the domain and whether they authorize it (RFC 7489 §7.1).
    public var externalDestinations: [Destination] = []
    /// The organisational domain (RFC 7489 §3.2) when it differs from the domain: by the public-suffix
    /// list, or the last two labels without one; `null` in older reports.
    @NullEncodable public var organizationalDomain: String? = nil
    public var problems: [String] = []

    public init() {}

    mutating func noteNullMX() {
      if policy != .reject {
        problems.append("a domain that sends no mail (null MX) should publish DMARC p=reject")
      }
    }
  }

  /// A DKIM key as found at one selector.
  public struct DKIM: Sendable, Equatable, Codable {
    public var selector: String
    @NullEncodable public var record: String? = nil
    public var rating: Rating = .unknown
    @NullEncodable public var keyType: DKIMKey.KeyType? = nil
    @NullEncodable public var bits: Int? = nil
    public var testing = false
    public var problems: [String] = []

    public init(selector: String) { self.selector = selector }
  }

  public var spf: SPF
  public var dmarc: DMARC
  /// Keys at the selectors given and at the common ones that exist; selectors cannot be listed.
  public var dkim: [DKIM] = []

  public init(spf: SPF, dmarc: DMARC) {
    self.spf = spf
    self.dmarc = dmarc
  }

  /// The domain turned out to publish a null MX (known only once the relay's MX lookup is back).
  public mutating func noteNullMX() {
    spf.noteNullMX()
    dmarc.noteNullMX()
  }
}

extension DNSStatus {
  /// An answer came back (validated or from an unsigned zone).
  var answered: Bool { self == .secure || self == .insecure }
}

/// A public-suffix list loaded on first use, at most once per DMARC check.
private final class OnceList: @unchecked Sendable {
  private let load: @Sendable () -> PublicSuffixList?
  private var loaded: PublicSuffixList??

  init(load: @escaping @Sendable () -> PublicSuffixList?) { self.load = load }

  /// Used by one task only (the DMARC check runs its lookups one after another).
  var value: PublicSuffixList? {
    if let loaded { return loaded }
    let list = load()
    loaded = .some(list)
    return list
  }
}
