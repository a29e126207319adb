import MailFlowModel
import MailFlowReport
import TerminalUI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A scan's totals: domains probed, ratings per hop and overall, lines that could not be read, time
/// and rate, and the connections the server cache saved. The same from a running scan and from its
/// output file (`scan --summary FILE`, also over the concatenated outputs of several shards).
struct ScanSummary: Codable, Equatable {
  var domains = 0
  /// Hop id → rating → domains.
  var hops: [String: [String: Int]] = [:]
  /// Overall rating → domains.
  var overall: [String: Int] = [:]
  var unreadableLines = 0
  var badInputLines = 0
  var seconds: Double?
  var connectionsSaved: Int?

  static let notProbed = "not probed"

  mutating func add(_ report: ProbeReport) {
    domains += 1
    overall[report.overall.rating.rawValue, default: 0] += 1
    for hop in report.hops where HopID.measured.contains(hop.id) {
      // A hop left out with --hop is not unknown: it was not asked.
      let key = hop.summary.hasPrefix("not probed") ? Self.notProbed : hop.rating.rawValue
      hops[hop.id.rawValue, default: [:]][key, default: 0] += 1
    }
  }

  /// Every line of an output file (JSON Lines of reports), decoded one by one as the file is read.
  static func read(_ path: String) throws(CLIError) -> ScanSummary {
    var summary = ScanSummary()
    let decoder = JSONDecoder()
    try FilePath.readLines(path, limit: 64 * 1_048_576) { line, _ in
      if let report = try? decoder.decode(ProbeReport.self, from: Data(line)) {
        summary.add(report)
      } else {
        summary.unreadableLines += 1
      }
    }
    return summary
  }

  init() {}

  func text(style: OutputStyle) -> String {
    var lines: [StyledLine] = []
    var first = "\(domains) domains" + (seconds == nil ? "" : " in this run")
    if let seconds, seconds > 0 {
      first += ", \(Int(seconds)) s (\(Int((Double(domains) / seconds * 3600).rounded())) an hour)"
    }
    if let connectionsSaved { first += ", \(connectionsSaved) connections saved by the server cache" }
    lines.append(style.bold("Scan") + StyledLine("  " + first))
    if badInputLines > 0 { lines.append(StyledLine("  \(badInputLines) input lines skipped (not a domain)")) }
    if unreadableLines > 0 { lines.append(StyledLine("  \(unreadableLines) output lines could not be read")) }
    let ratings: [Rating] = [.secure, .weak, .insecure, .broken, .none, .unknown]
    for (name, counts) in [("overall", overall)]
      + HopID.measured.map({ ($0.rawValue, hops[$0.rawValue] ?? [:]) })
    {
      var line = StyledLine("  " + TextWrapper.pad(name, to: 12))
      for rating in ratings {
        guard let count = counts[rating.rawValue] else { continue }
        line =
          line + style.paint(style.symbol(rating) + " \(rating.rawValue) \(count)", rating) + StyledLine("  ")
      }
      if let count = counts[Self.notProbed] { line = line + style.dim("\(Self.notProbed) \(count)") }
      lines.append(line.trimmingTrailingSpaces())
    }
    return style.render(lines)
  }
}
