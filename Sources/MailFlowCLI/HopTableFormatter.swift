import MailFlowModel
import TerminalUI

/// The seed's hop table as aligned text: #, sender, receiver, and every protocol option with its rating.
public enum HopTableFormatter {
  public static func render(_ base: KnowledgeBase, style: OutputStyle) -> String {
    let headers = ["#", "sender", "receiver", "protocols and ports in use"]
    let numberWidth = max(
      DisplayWidth.of(headers[0]), base.hops.map { DisplayWidth.of(style.shown($0.label)) }.max() ?? 0)
    let fromWidth = max(
      DisplayWidth.of(headers[1]), base.hops.map { DisplayWidth.of(style.shown($0.fromLabel)) }.max() ?? 0)
    let toWidth = max(
      DisplayWidth.of(headers[2]), base.hops.map { DisplayWidth.of(style.shown($0.toLabel)) }.max() ?? 0)
    let optionWidth =
      base.hops.flatMap(\.options).map { 3 + DisplayWidth.of(style.shown(base.describe($0))) }.max() ?? 0
    let widths = [numberWidth, fromWidth, toWidth, max(DisplayWidth.of(headers[3]), optionWidth)]

    func row(_ cells: [String]) -> String {
      zip(cells, widths).enumerated().map { i, pair in
        i == cells.count - 1 ? pair.0 : TextWrapper.pad(pair.0, to: pair.1)
      }.joined(separator: "  ")
    }

    var lines: [StyledLine] = [style.bold(row(headers)), StyledLine(row(widths.map(style.rule)))]
    for hop in base.hops {
      for (i, option) in hop.options.enumerated() {
        let rating = base.rating(of: option)
        // Labels as they will be printed (`3…` is `3...` in ASCII), so the columns line up.
        let cells =
          i == 0
          ? [style.shown(hop.label), style.shown(hop.fromLabel), style.shown(hop.toLabel), ""]
          : ["", "", "", ""]
        lines.append(
          row(cells) + style.paint(style.paddedSymbol(rating), rating) + " " + base.describe(option))
      }
    }
    lines.append("")
    lines.append(style.legend())
    return style.render(lines)
  }
}
