import MailFlowModel
import TerminalUI

/// The RFC catalogue as text: a list, or one entry with everything in the pipeline it concerns.
public enum RFCFormatter {
  /// One line per RFC. Titles wrap under their column when `width` is given (a terminal), and are left
  /// whole otherwise so that `grep` sees each RFC on one line.
  public static func list(_ base: KnowledgeBase, style: OutputStyle, width: Int?) -> String {
    let statusWidth = base.rfcs.map { DisplayWidth.of(style.shown($0.status)) }.max() ?? 6
    let numberWidth = max(3, base.rfcs.map { String($0.number).count }.max() ?? 4)
    let titleColumn = numberWidth + 2 + 4 + 2 + statusWidth + 2
    let header =
      TextWrapper.pad("RFC", to: numberWidth) + "  year  " + TextWrapper.pad("status", to: statusWidth)
      + "  title"
    let longestTitle = base.rfcs.map { DisplayWidth.of(style.shown($0.title)) }.max() ?? 5
    var lines = [style.bold(header), StyledLine(style.rule(min(width ?? .max, titleColumn + longestTitle)))]
    for entry in base.rfcs {
      let prefix =
        TextWrapper.pad(String(entry.number), to: numberWidth) + "  \(entry.year)  "
        + TextWrapper.pad(style.shown(entry.status), to: statusWidth) + "  "
      let title = style.shown(entry.title)
      let titleLines = width.map { TextWrapper.wrap(title, width: max(20, $0 - titleColumn)) } ?? [title]
      lines.append(StyledLine(prefix + titleLines[0]))
      for more in titleLines.dropFirst() {
        lines.append(StyledLine(String(repeating: " ", count: titleColumn) + more))
      }
    }
    lines.append("")
    lines.append("\(base.rfcs.count) RFCs. 'mailflow rfc NUMBER' shows one with what it concerns.")
    return style.render(lines)
  }

  /// One RFC: title, year, status, summary, what it concerns, and where the knowledge base cites it.
  public static func detail(_ entry: RFCEntry, in base: KnowledgeBase, style: OutputStyle, width: Int)
    -> String
  {
    let width = max(40, min(width, 100))
    var lines: [StyledLine] = []
    lines += TextWrapper.wrap("RFC \(entry.number): \(style.shown(entry.title))", width: width).map(
      style.bold)
    lines.append("\(entry.year) · \(entry.status) · https://www.rfc-editor.org/rfc/rfc\(entry.number)")
    if !entry.obsoletedBy.isEmpty {
      lines.append(
        StyledLine("Obsoleted by " + entry.obsoletedBy.map { "RFC \($0)" }.joined(separator: ", ")))
    }
    lines.append("")
    lines += TextWrapper.wrap(style.shown(entry.summary), width: width).map { StyledLine($0) }
    lines.append("")

    // Values wrap whole, item by item, so a coloured one is never split.
    func field(_ name: String, _ values: [StyledLine]) {
      guard !values.isEmpty else { return }
      var line = StyledLine("  " + TextWrapper.pad(name, to: 11))
      var used = 13
      var empty = true
      for (i, value) in values.enumerated() {
        let item = i < values.count - 1 ? value + "," : value
        let itemWidth = DisplayWidth.of(style.finish(item.text))
        if !empty && used + 1 + itemWidth > width {
          lines.append(line)
          (line, used, empty) = (StyledLine(String(repeating: " ", count: 13)), 13, true)
        }
        if !empty {
          line += " "
          used += 1
        }
        line += item
        used += itemWidth
        empty = false
      }
      lines.append(line)
    }
    func field(_ name: String, _ values: [String]) { field(name, values.map { StyledLine($0) }) }

    lines.append(style.bold("Concerns"))
    field("roles", entry.concerns.roles.map { id in base.role(id).map { "\(id) (\($0.name))" } ?? id })
    field(
      "hops",
      entry.concerns.hops.compactMap(base.hop).map {
        "\($0.label) \($0.id) (\($0.fromLabel) → \($0.toLabel))"
      })
    field(
      "modes",
      entry.concerns.modes.compactMap(base.mode).map {
        style.paint(style.symbol($0.rating), $0.rating) + " " + $0.name
      })
    field("protocols", entry.concerns.protocols.compactMap(base.mailProtocol).map(\.nameWithPort))
    if entry.concerns.roles.isEmpty && entry.concerns.hops.isEmpty && entry.concerns.modes.isEmpty
      && entry.concerns.protocols.isEmpty
    {
      lines.append("  (nothing specific)")
    }

    let citing = citations(of: entry.number, in: base)
    if !citing.isEmpty {
      lines.append("")
      lines.append(style.bold("Cited by"))
      for (kind, names) in citing { field(kind, names) }
    }
    return style.render(lines)
  }

  /// Where the knowledge base refers to an RFC, by kind of entry, in a fixed order.
  static func citations(of number: Int, in base: KnowledgeBase) -> [(String, [String])] {
    let groups: [(String, [String])] = [
      ("roles", base.roles.filter { $0.rfcs.contains(number) }.map(\.id)),
      ("hops", base.hops.filter { $0.rfcs.contains(number) }.map(\.id)),
      ("modes", base.modes.filter { $0.rfcs.contains(number) }.map(\.id)),
      ("protocols", base.protocols.filter { $0.rfcs.contains(number) }.map(\.id)),
      ("threats", base.threats.filter { $0.rfcs.contains(number) }.map(\.id)),
      ("rfcs", base.rfcs.filter { $0.obsoletedBy.contains(number) }.map { "RFC \($0.number) (obsoletes)" }),
    ]
    return groups.filter { !$0.1.isEmpty }
  }
}
