import MailFlowDNS
import MailFlowModel
import MailFlowReport

/// MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) as a sending MTA finds them: the `_mta-sts` TXT record,
/// the policy over HTTPS from `mta-sts.DOMAIN` (no redirects, certificate validated, `text/plain`,
/// 64 KiB at most), and the `_smtp._tls` record.
public enum MTASTSProbe {
  /// RFC 8461 §3.3 suggests senders cap the policy body; 64 KiB is what it names.
  public static let maximumPolicyBytes = 64 * 1024

  public struct Found: Sendable {
    public var report: ProbeReport.MTASTSReport?
    public var policy: MTASTS.Policy?
    public var tlsRpt: ProbeReport.TLSRPTReport?
    public var lookups: [ProbeReport.Lookup]
  }

  public static func run(domain: String, resolver: DNSResolver, fetcher: HTTPSFetcher) async -> Found {
    let bare = domain.withoutTrailingDot
    async let stsAnswer = resolver.query("_mta-sts.\(bare).", .txt)
    async let rptAnswer = resolver.query("_smtp._tls.\(bare).", .txt)
    let (sts, rpt) = await (stsAnswer, rptAnswer)
    var found = Found(lookups: [.init(sts), .init(rpt)])
    found.tlsRpt = tlsRpt(rpt)

    let texts = self.texts(sts)
    let url = "https://mta-sts.\(bare)/.well-known/mta-sts.txt"
    guard texts.contains(where: MTASTS.isSTSRecord) else {
      return found  // no MTA-STS published
    }
    var report = ProbeReport.MTASTSReport(
      txt: texts.count == 1 ? texts[0] : texts.joined(separator: " | "), id: nil, policyURL: url, policy: nil,
      mode: nil, mxPatterns: [], maxAge: nil, mxMatches: [], error: nil)
    do {
      report.id = try MTASTS.record(from: texts).id
    } catch {
      report.error = error.description
      found.report = report
      return found
    }
    let (result, lookups) = await fetcher.get(
      host: "mta-sts.\(bare)", path: "/.well-known/mta-sts.txt", maximumBytes: maximumPolicyBytes)
    found.lookups += lookups
    switch result {
    case .failure(let failure):
      report.error = "cannot fetch \(url): \(failure)"
    case .success(let response):
      report.policy = response.body
      if (300..<400).contains(response.status) {
        report.error =
          "\(url) answered \(response.status) redirecting to \(response.location ?? "?"); RFC 8461 §3.3 forbids following redirects"
      } else if response.status != 200 {
        report.error = "\(url) answered HTTP \(response.status), not 200"
      } else if response.mediaType != "text/plain" {
        report.error =
          "\(url) is served as \(response.mediaType ?? "no content type"), not text/plain (RFC 8461 §3.2)"
      } else {
        do {
          let policy = try MTASTS.policy(from: response.body)
          report.mode = policy.mode
          report.mxPatterns = policy.mx
          report.maxAge = policy.maxAge
          found.policy = policy
        } catch {
          report.error = error.description
        }
      }
    }
    found.report = report
    return found
  }

  static func tlsRpt(_ answer: DNSAnswer) -> ProbeReport.TLSRPTReport? {
    let candidates = texts(answer).filter { $0.hasPrefix("v=TLSRPTv1") }
    guard let text = candidates.first else { return nil }
    if candidates.count > 1 {
      return .init(
        txt: text, rua: [], error: "\(candidates.count) TLS-RPT records; RFC 8460 §3 says to use none")
    }
    guard let record = TLSRPTRecord.parse(text) else {
      return .init(txt: text, rua: [], error: "no usable rua= (mailto: or https: URIs)")
    }
    return .init(txt: text, rua: record.rua, error: nil)
  }

  /// Whether each MX satisfies the policy: its name matches a pattern and every address of it presented
  /// a PKIX-valid certificate for that name over STARTTLS (RFC 8461 §4.1, §4.2).
  public static func check(_ report: ProbeReport.MTASTSReport, policy: MTASTS.Policy, relay: ProbeReport.Hop)
    -> ProbeReport.MTASTSReport
  {
    var report = report
    var hosts: [String] = []
    for endpoint in relay.endpoints where !hosts.contains(endpoint.host) { hosts.append(endpoint.host) }
    // Only what was tested counts: an address that could not be reached says nothing about the policy.
    report.mxMatches = hosts.compactMap { host in
      let endpoints = relay.endpoints.filter { $0.host == host && $0.starttls != nil }
      guard !endpoints.isEmpty else { return nil }
      let pattern = policy.allows(host)
      let valid = endpoints.allSatisfy { ($0.tls?.pkixValid ?? false) && ($0.tls?.nameMatch ?? false) }
      var reasons: [String] = []
      if !pattern { reasons.append("\(host.withoutTrailingDot) matches no mx pattern of the policy") }
      for endpoint in endpoints {
        if let tls = endpoint.tls {
          if !tls.pkixValid {
            reasons.append("[\(endpoint.address)] certificate not PKIX-valid (\(tls.error ?? "?"))")
          }
          if !tls.nameMatch {
            reasons.append("[\(endpoint.address)] certificate not for \(host.withoutTrailingDot)")
          }
        } else {
          reasons.append("[\(endpoint.address)] no TLS session")
        }
      }
      return .init(
        host: host.withoutTrailingDot, matchesPattern: pattern, validCertificate: valid,
        satisfied: pattern && valid,
        reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "))
    }
    return report
  }

  /// The TXT strings of a usable answer, each record's strings joined (RFC 7208 §3.3 style).
  static func texts(_ answer: DNSAnswer) -> [String] {
    guard answer.hasData else { return [] }
    var texts: [String] = []
    for case .txt(let strings) in answer.records { texts.append(strings.joined()) }
    return texts
  }

}
