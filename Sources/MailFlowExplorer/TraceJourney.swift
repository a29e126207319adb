import MailFlowModel
import MailFlowTrace

/// A traced message as a journey the explorer can step through: one step per Received field, each
/// showing the raw field beside what it means.
public enum TraceJourney {
  public static func make(_ report: TraceReport, name: String) -> Journey {
    let message = report.message
    var summary =
      "\(report.hops.count) hop\(report.hops.count == 1 ? "" : "s") recorded in its Received fields"
    if let total = report.totalSeconds { summary += ", \(total) s in transit" }
    summary += "; weakest: \(report.overall.rating.rawValue)"
    if let index = report.overall.limitedBy { summary += " (step \(index))" }
    summary += ". A trace shows what happened to this message, not what the servers require."
    return Journey(
      id: "message", name: "Message: " + (message.subject ?? name), summary: summary,
      sender: message.from ?? "unknown sender", recipient: message.to ?? "unknown recipient",
      steps: report.hops.map(step))
  }

  static func step(_ hop: TraceReport.Hop) -> JourneyStep {
    let known: MailProtocol.Known? =
      switch hop.step {
      case .relay: .smtp
      case .submission: .submission
      case .delivery where hop.with?.uppercased().hasPrefix("LMTP") == true: .lmtp
      default: nil
      }
    let protocolID = known?.rawValue
    let tls = hop.tls.map { [$0.version, $0.cipher].compactMap { $0 }.joined(separator: " ") }
    let how = [hop.with, tls].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
    let from = hop.from.map {
      [$0.host ?? $0.helo, $0.address.map { "[\($0)]" }].compactMap { $0 }.joined(separator: " ")
    }
    let observer: ObserverView =
      switch hop.rating {
      case .internal: .nothing
      case .insecure: .everything
      case .secure, .weak: .metadata
      case .broken, .none, .unknown: .everything  // a trace never rates a hop broken
      }
    // A hostile field can be megabytes long; the screen shows its start.
    let raw =
      hop.raw.count > 4096 ? String(hop.raw.prefix(4096)) + " … (\(hop.raw.count) characters)" : hop.raw
    var transcript = [TranscriptLine(.note, "Received: " + raw), TranscriptLine(.note, "")]
    transcript.append(TranscriptLine(.note, "from: " + (from ?? "(not recorded: local)")))
    transcript.append(TranscriptLine(.note, "by:   " + (hop.by ?? "(not recorded)")))
    transcript.append(TranscriptLine(.note, "with: " + (hop.with ?? "(not recorded)")))
    if let tls {
      transcript.append(TranscriptLine(.tls, "TLS: " + tls + (hop.tls?.verified.map { " (\($0))" } ?? "")))
    }
    if let timestamp = hop.timestamp {
      let delay =
        hop.delaySeconds.map { " (\($0 >= 0 ? "+" : "")\($0) s\(hop.clockSkew ? ", clock skew" : ""))" } ?? ""
      transcript.append(TranscriptLine(.note, "at:   " + timestamp + delay))
    }
    return JourneyStep(
      hopID: hop.step.rawValue,
      option: TransportOption(
        protocolID: protocolID,
        modeID: (hop.rating == .internal ? SecurityMode.Known.internal : .starttls).rawValue),
      title: "Received #\(hop.index): \(from ?? "local") → \(hop.by ?? "?")",
      narrative: hop.notes.joined(separator: " "), observer: observer,
      observerNote: observerNote(hop), transcript: transcript,
      measured: JourneyStep.Measured(rating: hop.rating, description: how.isEmpty ? "not recorded" : how))
  }

  static func observerNote(_ hop: TraceReport.Hop) -> String {
    switch hop.rating {
    case .internal: "Nothing on the Internet: the hop stayed inside one server or organisation."
    case .insecure: "The whole message, as it crossed this hop without TLS."
    case .secure, .weak: "Who sent to whom, when and how much; the content was encrypted."
    case .broken, .none, .unknown: "Unknown: the field does not say whether this hop was encrypted."
    }
  }
}
