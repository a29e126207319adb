import MailFlowReport

/// Mozilla-style autoconfig as Thunderbird fetches it for a domain: `https://autoconfig.DOMAIN/mail/
/// config-v1.1.xml`, then `https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml` — HTTPS only
/// (a document fetched in clear could be forged to point clients anywhere), certificate validated, no
/// redirects, size-capped.
public enum AutoconfigProbe {
  public static let maximumBytes = 256 * 1024

  public static func run(domain: String, fetcher: HTTPSFetcher) async -> (
    autoconfig: Autoconfig?, report: ProbeReport.AutoconfigReport, lookups: [ProbeReport.Lookup]
  ) {
    let bare = domain.withoutTrailingDot
    var report = ProbeReport.AutoconfigReport(attempts: [], servers: [])
    var lookups: [ProbeReport.Lookup] = []
    let places = [
      ("autoconfig.\(bare)", "/mail/config-v1.1.xml"), (bare, "/.well-known/autoconfig/mail/config-v1.1.xml"),
    ]
    for (host, path) in places {
      let url = "https://\(host)\(path)"
      let (result, hostLookups) = await fetcher.get(host: host, path: path, maximumBytes: maximumBytes)
      lookups += hostLookups
      switch result {
      case .failure(let failure):
        report.attempts.append(.init(url: url, error: failure.description))
      case .success(let response) where (300..<400).contains(response.status):
        report.attempts.append(
          .init(
            url: url, error: "HTTP \(response.status) redirect to \(response.location ?? "?") not followed"))
      case .success(let response) where response.status != 200:
        report.attempts.append(.init(url: url, error: "HTTP \(response.status)"))
      case .success(let response):
        do {
          let autoconfig = try Autoconfig.parse(response.body, domain: bare)
          report.attempts.append(.init(url: url, error: nil))
          report.servers = autoconfig.servers
          return (autoconfig, report, lookups)
        } catch {
          report.attempts.append(.init(url: url, error: "not a usable autoconfig document: \(error)"))
        }
      }
    }
    return (nil, report, lookups)
  }
}
