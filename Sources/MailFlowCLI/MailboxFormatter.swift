import MailFlowModel
import MailFlowTrace
import TerminalUI

/// A mailbox's summary as text: the totals, the ratings per step, the senders and last relays (most
/// messages first, the first 20 of each), the slowest transits.
enum MailboxFormatter {
  static let partiesShown = 20

  static func render(_ summary: MailboxSummary, style: OutputStyle) -> String {
    var lines: [StyledLine] = []
    let skipped = summary.skipped.values.reduce(0, +)
    lines.append(
      style.bold("Messages")
        + StyledLine("  \(summary.messagesRead) traced, \(skipped) skipped"))
    for (reason, count) in summary.skipped.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
      lines.append(StyledLine("  skipped: \(count) \(reason)"))
    }
    let tenths = Int((summary.encryptedShare * 10).rounded())
    let share = "\(tenths / 10).\(tenths % 10)"
    lines.append(
      StyledLine(
        "  every network hop recorded as encrypted: \(summary.encryptedEveryHop) of \(summary.messagesRead) (\(share) %)"
      ))
    if summary.unreadableReceivedFields > 0 {
      lines.append(
        StyledLine("  Received fields that could not be read: \(summary.unreadableReceivedFields)"))
    }
    lines.append("")
    lines.append(style.bold("Hops by step"))
    for step in HopID.allCases {
      guard let ratings = summary.ratingsByStep[step.rawValue] else { continue }
      var line = StyledLine("  " + TextWrapper.pad(step.rawValue, to: 12))
      for rating in [Rating.secure, .weak, .insecure, .internal, .unknown] {
        guard let count = ratings[rating.rawValue] else { continue }
        line = line + style.paint(style.symbol(rating) + " \(count)", rating) + StyledLine("  ")
      }
      lines.append(line.trimmingTrailingSpaces())
    }
    for (title, parties) in [("Senders (From domain)", summary.senders), ("Last relays", summary.lastRelays)]
    {
      guard !parties.isEmpty else { continue }
      lines.append("")
      lines.append(style.bold(title))
      let rows = parties.sorted {
        $0.value.messages != $1.value.messages ? $0.value.messages > $1.value.messages : $0.key < $1.key
      }
      let width = min(40, rows.prefix(partiesShown).map { DisplayWidth.of($0.key) }.max() ?? 0)
      for (domain, party) in rows.prefix(partiesShown) {
        let cleartext =
          party.cleartextHops > 0
          ? style.paint("\(party.cleartextHops) cleartext", .insecure) : StyledLine("0 cleartext")
        lines.append(
          StyledLine(
            "  " + TextWrapper.pad(TerminalSafe.visible(domain), to: width) + "  \(party.messages) msg  ")
            + cleartext
            + StyledLine(
              "  oldest TLS \(party.oldestTLS ?? "-")  \(party.first?.prefix(10) ?? "?") … \(party.last?.prefix(10) ?? "?")"
            ))
      }
      if rows.count > partiesShown {
        lines.append(StyledLine("  … and \(rows.count - partiesShown) more (--json lists all)"))
      }
    }
    if !summary.slowest.isEmpty {
      lines.append("")
      lines.append(style.bold("Slowest transits"))
      for transit in summary.slowest {
        lines.append(
          StyledLine(
            "  " + TextWrapper.pad(TraceFormatter.duration(transit.seconds), to: 12)
              + (transit.date?.prefix(10).description ?? "?") + "  " + (transit.messageId ?? transit.source)))
      }
    }
    return style.render(lines)
  }
}
