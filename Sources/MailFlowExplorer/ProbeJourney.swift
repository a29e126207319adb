import MailFlowModel
import MailFlowReport

/// A probed domain's own journey: the dialogues the probe really had — submission, the relay to each MX
/// address, retrieval — as steps the journey pane shows with the same observer view as the built-in
/// scenarios. The probe stopped where a message would begin (no MAIL, RCPT or DATA; no login), so each
/// step shows how far a real message's connection would get protected.
public enum ProbeJourney {
  public static func make(_ report: ProbeReport) -> Journey {
    var steps: [JourneyStep] = []
    for hop in report.hops {
      switch hop.id {
      case .outbound, .delivery:
        steps.append(internalStep(hop))
      case .relay:
        let endpoints = hop.endpoints.filter { !$0.transcript.isEmpty }
        if endpoints.isEmpty { steps.append(emptyStep(hop)) }
        steps += endpoints.map { step(hop, $0) }
      default:
        // The path a mail program would pick: the best-rated endpoint that was talked to.
        let best = hop.endpoints.filter { !$0.transcript.isEmpty }.max {
          ($0.rating.strength ?? -1) < ($1.rating.strength ?? -1)
        }
        steps.append(best.map { step(hop, $0) } ?? emptyStep(hop))
      }
    }
    let overall = report.overall
    return Journey(
      id: "probe", name: "Probed: \(report.domain)",
      summary:
        "What the probe of \(report.domain) really saw at each hop (\(report.startedAt)); weakest: "
        + "\(overall.rating.rawValue)\(overall.limitedBy.map { " (\($0.rawValue))" } ?? ""). The probe stops before a "
        + "message would be sent and never logs in.",
      sender: "a mail user of \(report.domain)", recipient: "a mail user of \(report.domain)", steps: steps)
  }

  static func step(_ hop: ProbeReport.Hop, _ endpoint: ProbeReport.Endpoint) -> JourneyStep {
    let implicit = endpoint.service.implicitTLS
    let mode: SecurityMode.Known
    if endpoint.tls == nil {
      mode = .cleartext
    } else if implicit {
      mode = .implicitTLS
    } else if endpoint.dane.status == .valid {
      mode = .starttlsDANE
    } else if hop.id == .relay && hop.rating == .secure && hop.mtaSts?.mode == .enforce {
      mode = .starttlsMTASTS
    } else {
      mode = .starttls
    }
    let observer: ObserverView =
      switch endpoint.rating {
      case .secure, .weak: .metadata
      default: endpoint.tls == nil ? .everything : .metadata
      }
    let tls = endpoint.tls.map { [$0.version, $0.cipher].compactMap { $0 }.joined(separator: ", ") }
    // A relay step speaks of its own MX; the hop's summary may name another (the weakest governs).
    let about =
      hop.id == .relay && hop.endpoints.count > 1
      ? sentence(verdict(endpoint))
        + (endpoint.rating == hop.rating ? "" : " The hop is rated by its weakest MX.")
      : sentence(hop.summary)
    return JourneyStep(
      hopID: hop.id.rawValue,
      option: TransportOption(
        protocolID: endpoint.service.rawValue, modeID: mode.rawValue),
      title: "\(endpoint.service) to \(endpoint.place)",
      narrative: sentence(foundThrough(endpoint)) + " "
        + (endpoint.error.map { "Stopped: \($0). " } ?? "") + about,
      observer: observer,
      observerNote: endpoint.tls == nil
        ? "Everything, as this connection never switched to TLS."
        : implicit
          ? "Nothing before TLS: the handshake is the first thing on the connection. Then only who talks "
            + "to whom, when and how much."
          : "The greeting and capabilities before TLS, then only who talks to whom, when and how much.",
      transcript: endpoint.transcript,
      measured: JourneyStep.Measured(
        rating: endpoint.rating, description: tls.map { $0.isEmpty ? "TLS" : $0 } ?? "no TLS"))
  }

  static func internalStep(_ hop: ProbeReport.Hop) -> JourneyStep {
    JourneyStep(
      hopID: hop.id.rawValue,
      option: TransportOption(protocolID: nil, modeID: SecurityMode.Known.internal.rawValue),
      title: "Inside the organisation", narrative: hop.summary + ". Not visible from outside, so not probed.",
      observer: .nothing, observerNote: "Nothing on the Internet: this hop stays inside one system.",
      transcript: [TranscriptLine(.note, "(not probed: internal to the mail system)")])
  }

  static func emptyStep(_ hop: ProbeReport.Hop) -> JourneyStep {
    JourneyStep(
      hopID: hop.id.rawValue,
      option: TransportOption(protocolID: nil, modeID: SecurityMode.Known.cleartext.rawValue),
      title: "No dialogue", narrative: sentence(hop.summary), observer: .nothing,
      observerNote: "No connection was made: nothing crossed the network to observe.",
      transcript: [TranscriptLine(.note, "(no connection: \(hop.summary))")],
      measured: JourneyStep.Measured(rating: hop.rating, description: hop.rating.rawValue))
  }

  /// What this one MX did, from its own evidence.
  static func verdict(_ endpoint: ProbeReport.Endpoint) -> String {
    let host = endpoint.host.withoutTrailingDot
    switch endpoint.rating {
    case .secure where endpoint.dane.status == .valid:
      return "\(host) offers STARTTLS and its certificate matches its DANE TLSA records"
    case .secure:
      return "\(host) offers STARTTLS with a valid certificate, as the enforced MTA-STS policy requires"
    case .weak: return "\(host) offers STARTTLS, but nothing makes a sender insist on it"
    case .insecure: return "\(host) has no working STARTTLS: mail to it crosses in cleartext"
    case .broken where [.mismatch, .bogus, .lookupFailed].contains(endpoint.dane.status):
      return "DANE fails at \(host) (\(endpoint.dane.summary)): DANE senders will not deliver to it"
    case .broken where endpoint.address.isEmpty:
      return "the addresses of \(host) fail DNSSEC validation: validating senders cannot reach it"
    case .broken: return "\(host) fails the enforced MTA-STS policy: MTA-STS senders will not deliver to it"
    default: return "\(host) could not be tested"
    }
  }

  /// A sentence: the first letter capitalised unless the text starts with a host name or address
  /// (`mx.example.net does…` keeps its case), and a full stop at the end.
  static func sentence(_ text: String) -> String {
    let firstWord = text.prefix { $0 != " " }
    let keep = firstWord.contains(".") || firstWord.contains(":") || firstWord.contains("[")
    let start = keep ? text : text.prefix(1).uppercased() + text.dropFirst()
    return start.hasSuffix(".") ? start : start + "."
  }
}
