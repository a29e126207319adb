import MailFlowExplorer
import MailFlowModel
import MailFlowReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// A scan's output as the explorer reads it: rows (where each line is, its ratings) streamed in
/// batches, and one report read again from its line when opened.
enum ScanFile {
  /// The few keys of a line the list needs; the decoder skips the rest of the report.
  private struct Head: Decodable {
    struct Overall: Decodable { var rating: Rating }
    struct Hop: Decodable {
      var id: HopID
      var rating: Rating
    }
    var input: String
    var overall: Overall
    var hops: [Hop]
  }

  /// Reads the file, calling `batch` with rows as they come (every 2,000 lines) and the count of
  /// lines that were not a scan's report.
  static func rows(_ path: String, batch: ([ScanBrowser.Row], Int) -> Void) throws(CLIError) {
    let decoder = JSONDecoder()
    var rows: [ScanBrowser.Row] = []
    var unreadable = 0
    // A line longer than a report can be is kept one byte too long, so it fails to decode.
    try FilePath.readLines(path, limit: ReportFile.maximumBytes + 1) { line, offset in
      guard let head = try? decoder.decode(Head.self, from: Data(line)) else {
        unreadable += 1
        return
      }
      func rating(_ id: HopID) -> Rating { head.hops.first { $0.id == id }?.rating ?? .unknown }
      rows.append(
        ScanBrowser.Row(
          domain: head.input, offset: offset, length: line.count, overall: head.overall.rating,
          submission: rating(.submission), relay: rating(.relay), retrieval: rating(.retrieval)))
      if rows.count >= 2000 {
        batch(rows, unreadable)
        rows.removeAll(keepingCapacity: true)
        unreadable = 0
      }
    }
    batch(rows, unreadable)
  }

  /// One report: the line at `offset`.
  static func report(_ path: String, offset: Int, length: Int) throws(CLIError) -> ProbeReport {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw CLIError("cannot read '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    guard length > 0, length <= ReportFile.maximumBytes else { throw CLIError("'\(path)': a line too long") }
    var bytes = [UInt8](repeating: 0, count: length)
    let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, off_t(offset)) }
    guard count == length else { throw CLIError("'\(path)' changed since it was opened") }
    do {
      return try JSONDecoder().decode(ProbeReport.self, from: Data(bytes))
    } catch {
      throw CLIError("'\(path)' at byte \(offset): not a probe report")
    }
  }
}
