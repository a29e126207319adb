import MailFlowDNS
import MailFlowModel
import MailFlowReport

/// What the probe found about a domain's relay hop, as plain values the rating rules read.
public struct RelayEvidence: Sendable, Equatable {
  /// One address of one MX host, as tested.
  public struct Endpoint: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
      /// EHLO answered; `starttls` says whether STARTTLS was offered and `tlsEstablished` whether the
      /// handshake then worked.
      case tested(starttls: Bool, tlsEstablished: Bool)
      /// The server refused with a 421/554 banner (rate limiting, blocklists): nothing learnt about TLS.
      case refused(String)
      /// Could not connect (refused, no route, no address).
      case unreachable(String)
      /// The connection never opened within the deadline: what a blocked outbound port 25 looks like.
      case connectTimedOut(String)
      /// The host's address records fail DNSSEC validation: a validating sender cannot reach it at all.
      case bogusAddress(String)
      /// The connection opened but the dialogue did not get as far as EHLO (a server that drips or
      /// waits, or that broke off): this says nothing about port 25 being blocked.
      case incomplete(String)
    }

    public var host: String
    public var address: String
    public var outcome: Outcome
    public var dane: DANEVerifier.Status

    public init(host: String, address: String, outcome: Outcome, dane: DANEVerifier.Status) {
      self.host = host
      self.address = address
      self.outcome = outcome
      self.dane = dane
    }
  }

  public var domain: String
  /// `MX 0 .` (RFC 7505): the domain accepts no mail.
  public var nullMX: Bool
  /// The MX lookup's DNSSEC status.
  public var mxStatus: DNSAnswer.Status
  public var endpoints: [Endpoint]

  public init(domain: String, nullMX: Bool, mxStatus: DNSAnswer.Status, endpoints: [Endpoint]) {
    self.domain = domain
    self.nullMX = nullMX
    self.mxStatus = mxStatus
    self.endpoints = endpoints
  }
}

/// The relay hop's rating rules: the weakest MX governs, because a sender may use any of them.
public enum RelayRating {
  public struct Verdict: Sendable, Equatable {
    public var rating: Rating
    public var summary: String
  }

  /// What strict senders do when a published protection fails, said once for every `broken` verdict:
  /// when other MX hosts remain they try those (RFC 7672 §2.2, RFC 8461 §5), so only when every host
  /// fails is the mail deferred and then bounced.
  static func strictSendersRefuse(_ protection: String, failing: [String], of all: Int) -> String {
    let hosts = Array(Set(failing.map(\.withoutTrailingDot))).sorted()
    return hosts.count < all
      ? "senders that honour \(protection) will not deliver to \(hosts.joined(separator: ", ")) and must use "
        + "the other MX hosts"
      : "senders that honour \(protection) will not deliver (mail is deferred, then bounced)"
  }

  public static func rate(_ evidence: RelayEvidence) -> Verdict {
    if evidence.nullMX {
      return Verdict(
        rating: .none, summary: "\(evidence.domain) publishes a null MX (RFC 7505): it accepts no mail")
    }
    if evidence.mxStatus == .bogus {
      return Verdict(
        rating: .broken,
        summary: "the MX records fail DNSSEC validation (bogus): validating senders will not deliver "
          + "(mail is deferred, then bounced)")
    }
    let hostCount = Set(evidence.endpoints.map(\.host)).count
    let bogusHosts = evidence.endpoints.compactMap { endpoint -> (String, String)? in
      if case .bogusAddress(let reason) = endpoint.outcome { (endpoint.host, reason) } else { nil }
    }
    if let (host, reason) = bogusHosts.first {
      return Verdict(
        rating: .broken,
        summary: "the addresses of \(host.withoutTrailingDot) fail DNSSEC validation (\(reason)): "
          + strictSendersRefuse("DNSSEC", failing: bogusHosts.map(\.0), of: hostCount))
    }
    // A TLSA answer that is bogus or could not be had stops DANE senders before they connect.
    let unusableTLSA = evidence.endpoints.filter { $0.dane == .bogus || $0.dane == .lookupFailed }
    if let failed = unusableTLSA.first {
      let what =
        failed.dane == .bogus
        ? "its TLSA records fail DNSSEC validation (bogus)" : "its TLSA lookup failed (no answer or SERVFAIL)"
      return Verdict(
        rating: .broken,
        summary: "DANE fails at \(failed.host.withoutTrailingDot): \(what); "
          + strictSendersRefuse("DANE", failing: unusableTLSA.map(\.host), of: hostCount))
    }
    let tested = evidence.endpoints.filter { if case .tested = $0.outcome { true } else { false } }
    guard !tested.isEmpty else {
      let timedOut = evidence.endpoints.allSatisfy {
        if case .connectTimedOut = $0.outcome { true } else { false }
      }
      if timedOut && !evidence.endpoints.isEmpty {
        return Verdict(
          rating: .unknown,
          summary: "not testable from here: every MX address timed out; outbound port 25 is often blocked on "
            + "home and cloud networks, so this says nothing about \(evidence.domain)")
      }
      let reasons = evidence.endpoints.map { endpoint -> String in
        switch endpoint.outcome {
        case .refused(let reason), .unreachable(let reason), .connectTimedOut(let reason),
          .bogusAddress(let reason),
          .incomplete(let reason):
          "\(endpoint.host) [\(endpoint.address)]: \(reason)"
        case .tested: ""
        }
      }
      let detail = reasons.isEmpty ? "no MX host address to test" : reasons.joined(separator: "; ")
      return Verdict(rating: .unknown, summary: "nothing could be tested (\(detail))")
    }
    var untested = ""
    if tested.count < evidence.endpoints.count {
      untested = "; \(evidence.endpoints.count - tested.count) address(es) could not be tested"
    }
    // DANE published and failing comes first: DANE senders refuse even where others fall back to cleartext.
    if let failed = tested.first(where: { $0.dane == .mismatch }) {
      let what =
        switch failed.outcome {
        case .tested(false, _): "DANE is published but the server does not offer STARTTLS"
        case .tested(true, false): "DANE is published but the TLS handshake failed"
        default: "the certificate matches none of the TLSA records"
        }
      return Verdict(
        rating: .broken,
        summary: "DANE fails at \(failed.host) [\(failed.address)]: \(what); "
          + strictSendersRefuse(
            "DANE", failing: tested.filter { $0.dane == .mismatch }.map(\.host), of: hostCount)
          + untested)
    }
    if let plain = tested.first(where: { if case .tested(false, _) = $0.outcome { true } else { false } }) {
      return Verdict(
        rating: .insecure,
        summary:
          "\(plain.host) [\(plain.address)] does not offer STARTTLS: mail to it crosses in cleartext\(untested)"
      )
    }
    if let broken = tested.first(where: { if case .tested(true, false) = $0.outcome { true } else { false } })
    {
      return Verdict(
        rating: .insecure,
        summary:
          "STARTTLS offered but the TLS handshake failed at \(broken.host) [\(broken.address)]: senders fall back to cleartext\(untested)"
      )
    }
    if tested.allSatisfy({ $0.dane == .valid }) {
      return Verdict(rating: .secure, summary: "every MX offers STARTTLS and DANE validates\(untested)")
    }
    if tested.allSatisfy({ $0.dane == .unusable || $0.dane == .valid }) {
      // RFC 7672 §3.1.3 and §2.2: only PKIX-TA/PKIX-EE records. DANE senders still insist on TLS but do
      // not authenticate the server.
      let unusable = Array(Set(tested.filter { $0.dane == .unusable }.map(\.host.withoutTrailingDot)))
        .sorted()
      let whose = unusable.count < hostCount ? "of \(unusable.joined(separator: ", ")) are" : "are all"
      return Verdict(
        rating: .weak,
        summary: "STARTTLS offered; the TLSA records \(whose) unusable for SMTP (PKIX-TA/PKIX-EE, RFC 7672 "
          + "§3.1.3): DANE senders still require TLS, so STARTTLS cannot be stripped for them, but they do "
          + "not authenticate the server, so an active attacker can intercept with any certificate\(untested)"
      )
    }
    // Some MX hosts validate, others publish nothing: the hop is as weak as the unprotected ones.
    let uncovered = tested.filter { $0.dane != .valid && $0.dane != .unusable }.map(\.host)
    let why =
      uncovered.count < tested.count
      ? "DANE does not cover \(Set(uncovered).sorted().joined(separator: ", "))" : "no DANE"
    return Verdict(
      rating: .weak,
      summary: "STARTTLS offered but not enforced (\(why)): an on-path attacker can strip it\(untested)")
  }
}

extension RelayRating {
  /// The relay hop with MTA-STS as the second route to ✔ (RFC 8461): `enforce` with every MX satisfying
  /// the policy protects the hop as DANE does; `testing` and `none` do not; a broken policy counts as
  /// none. When DANE already protects the hop, DANE decides (RFC 8461 §2) and the notes say both exist.
  public static func rate(_ evidence: RelayEvidence, mtaSts: ProbeReport.MTASTSReport?) -> (
    verdict: Verdict, notes: [String]
  ) {
    let base = rate(evidence)
    guard let sts = mtaSts else { return (base, []) }
    if let error = sts.error {
      return (
        base, ["MTA-STS is published but broken, so senders treat the domain as having no policy: \(error)"]
      )
    }
    guard let mode = sts.mode else { return (base, []) }
    let failing = sts.mxMatches.filter { !$0.satisfied }
    let failures = failing.map { "\($0.host) (\($0.reason ?? "?"))" }.joined(separator: "; ")
    // An enforced policy some MX fails: MTA-STS senders refuse those hosts, whatever else holds.
    let refused = Verdict(
      rating: .broken,
      summary: "MTA-STS is in enforce mode, but \(failures) fail(s) the policy: "
        + strictSendersRefuse("MTA-STS", failing: failing.map(\.host), of: sts.mxMatches.count) + "; "
        + base.summary)
    switch base.rating {
    case .secure:
      var notes = ["DANE and MTA-STS (mode \(mode.rawValue)) are both published: DANE decides (RFC 8461 §2)"]
      if mode == .enforce && !failing.isEmpty {
        notes.append("MTA-STS senders without DANE would not deliver to: \(failures)")
      }
      return (base, notes)
    case .weak:
      switch mode {
      case .enforce where failing.isEmpty && !sts.mxMatches.isEmpty:
        let tested = evidence.endpoints.filter { if case .tested = $0.outcome { true } else { false } }
        let untested =
          tested.count < evidence.endpoints.count
          ? "; \(evidence.endpoints.count - tested.count) address(es) could not be tested" : ""
        return (
          Verdict(
            rating: .secure,
            summary:
              "every MX offers STARTTLS with a PKIX-valid certificate and matches the MTA-STS policy in enforce mode\(untested)"
          ), []
        )
      case .enforce:
        return (refused, [])
      case .testing:
        return (
          Verdict(
            rating: .weak,
            summary: base.summary + "; MTA-STS is only in testing mode: failures are reported, not enforced"),
          failing.isEmpty ? [] : ["in enforce mode, MTA-STS senders would not deliver to: \(failures)"]
        )
      case .none:
        return (
          Verdict(rating: .weak, summary: base.summary + "; MTA-STS mode is none: the policy is withdrawn"),
          []
        )
      }
    case .insecure where mode == .enforce && !failing.isEmpty:
      // An MX without working TLS fails an enforced policy: MTA-STS senders refuse it.
      return (refused, [])
    default:
      return (base, ["MTA-STS is published (mode \(mode.rawValue)) but cannot help: \(base.summary)"])
    }
  }
}
