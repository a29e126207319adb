import MailFlowReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// Where a scan's lines go: standard output or a file opened for appending. Each line is written by
/// one `write` whole, so a kill leaves at most one torn line at the end, which `--resume` drops.
actor ScanSink {
  private let descriptor: Int32
  private let name: String
  private let encoder: JSONEncoder
  private(set) var summary = ScanSummary()
  /// The domains already in the output (with `--resume`).
  nonisolated let done: Set<String>

  init(path: String?, resume: Bool) throws(CLIError) {
    encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let path else {
      descriptor = STDOUT_FILENO
      name = "standard output"
      done = []
      return
    }
    name = path
    let opened = open(path, O_RDWR | O_CREAT, 0o644)
    guard opened >= 0 else { throw CLIError("cannot write '\(path)': \(String(cString: strerror(errno)))") }
    var info = stat()
    guard fstat(opened, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      close(opened)
      throw CLIError("'\(path)' is not a regular file")
    }
    var resumed = ScanResume()
    if resume {
      do {
        try FilePath.readChunks(opened, name: "'\(path)'") { chunk in
          resumed.feed(chunk)
          return true
        }
      } catch {
        // Never cut a file that could not be read whole.
        close(opened)
        throw error
      }
      // A torn last line (the scan was killed while writing it) is cut off; its domain runs again.
      if ftruncate(opened, off_t(resumed.validLength)) != 0 {
        close(opened)
        throw CLIError("cannot repair '\(path)': \(String(cString: strerror(errno)))")
      }
    } else if info.st_size > 0 {
      close(opened)
      throw CLIError("'\(path)' is not empty: add --resume to continue that scan, or choose another file")
    }
    guard lseek(opened, 0, SEEK_END) >= 0 else {
      close(opened)
      throw CLIError("cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
    descriptor = opened
    done = resumed.done
  }

  /// One domain's line: `{"input":"DOMAIN",` and the report's own keys.
  func write(_ domain: String, _ report: ProbeReport) throws(CLIError) {
    let json: Data
    do { json = try encoder.encode(report) } catch {
      throw CLIError("cannot encode JSON: \(error)", status: .internalFailure)
    }
    var line = Array(#"{"input":"#.utf8) + Array(JSONOutput.quoted(domain).utf8) + [0x2C]
    line += json.dropFirst()
    line.append(0x0A)
    var offset = 0
    while offset < line.count {
      let written = line[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        throw CLIError("cannot write \(name): \(String(cString: strerror(errno)))")
      }
      offset += written
    }
    summary.add(report)
  }
}

/// The progress line on a terminal: done of total, rate, time left, errors, at most four times a second.
actor ScanProgress {
  let total: Int
  let shown: Bool
  private var done = 0
  private var errors = 0
  private let clock = ContinuousClock()
  private let start: ContinuousClock.Instant
  private var lastShown: ContinuousClock.Instant?

  init(total: Int, shown: Bool) {
    self.total = total
    self.shown = shown
    start = clock.now
  }

  func finished(error: Bool) {
    done += 1
    if error { errors += 1 }
    guard shown else { return }
    let now = clock.now
    if let lastShown, now - lastShown < .milliseconds(250), done < total { return }
    lastShown = now
    let seconds = max(
      0.001, Double((now - start).components.seconds) + Double((now - start).components.attoseconds) / 1e18)
    let rate = Double(done) / seconds
    let left = rate > 0 ? Int(Double(total - done) / rate) : 0
    FilePath.writeStandardError(
      "\r\u{1B}[K\(done)/\(total) domains · \(String(format2: rate)) a second · about \(left) s left · \(errors) unknown"
    )
  }

  func end() {
    if shown { FilePath.writeStandardError("\r\u{1B}[K") }
  }
}

extension String {
  /// A rate with one decimal, without Foundation's formatting.
  init(format2 value: Double) {
    let tenths = Int((value * 10).rounded())
    self = "\(tenths / 10).\(tenths % 10)"
  }
}
