import MailFlowDNS
import MailFlowExplorer
import MailFlowProbe
import MailFlowReport
import Synchronization

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The explorer's edge to the probe engine: starts a probe in the background, cancels it, and hands
/// its results to the event loop through a thread-safe inbox (drained between keys). At most one probe
/// runs; starting another cancels the previous one, whose late results the reducer drops by generation.
public final class ExplorerProbeRunner: Sendable {
  private let probeOptions: DomainProbe.Options
  private let configuration: DNSResolver.Configuration
  private let queue = Mutex<[ExplorerAction]>([])
  private let current = Mutex<Task<Void, Never>?>(nil)
  /// When the last probe's task returned (cancelled or finished): tests check a cancelled probe lets go
  /// of its lookups at once instead of waiting out their deadlines.
  let lastProbeEnded = Mutex<ContinuousClock.Instant?>(nil)
  /// Made when the first probe starts (an explorer that never probes never pays for it), as configured;
  /// replaced once by one resolving from the root if the system's forwarders turn out to strip DNSSEC
  /// (checked in the first probe, off the event loop).
  private let resolver: Mutex<(dns: DNSResolver?, checked: Bool)>

  /// - Parameters:
  ///   - resolver: already made (and so checked) before the screen was taken over, or `nil` to make
  ///     it from `configuration` when the first probe starts.
  public init(
    resolver: DNSResolver?, configuration: DNSResolver.Configuration, probeOptions: DomainProbe.Options
  ) {
    self.resolver = Mutex((resolver, false))
    self.configuration = configuration
    self.probeOptions = probeOptions
  }

  /// Everything that arrived since the last call.
  public func drain() -> [ExplorerAction] {
    queue.withLock { actions in
      defer { actions.removeAll() }
      return actions
    }
  }

  /// Adds an action to the inbox (the effect runner's answers share it, so they arrive in order).
  func post(_ action: ExplorerAction) {
    queue.withLock { $0.append(action) }
  }

  /// Checks the domain and starts probing it. The answer (started or rejected) is posted to the inbox
  /// before any of the probe's results can be, and returned for the caller's own bookkeeping.
  @discardableResult
  public func start(_ text: String, generation: Int) -> ExplorerAction {
    let answer = begin(text, generation: generation)
    if case .probeRejected = answer { post(answer) }
    return answer
  }

  private func begin(_ text: String, generation: Int) -> ExplorerAction {
    let name: DomainName
    do {
      name = try DomainName(text)
    } catch {
      return .probeRejected(generation: generation, reason: "invalid domain: \(error)")
    }
    let base: DNSResolver
    if let existing = resolver.withLock({ $0.dns }) {
      base = existing
    } else {
      do {
        base = try DNSResolver(configuration)
        resolver.withLock { $0.dns = base }
      } catch {
        return .probeRejected(generation: generation, reason: "cannot set up DNS: \(error)")
      }
    }
    cancel()
    base.forgetSilence()
    let started = ExplorerAction.probeStarted(generation: generation, domain: String(name.ascii.dropLast()))
    post(started)
    var options = probeOptions
    options.onHop = { [weak self] hop in self?.post(.probeHop(generation: generation, hop)) }
    let task = Task.detached { [self] in
      let dns = await self.checked(base)
      let report = await DomainProbe.run(domain: name, resolver: dns, options: options)
      if !Task.isCancelled { self.post(.probeFinished(generation: generation, report)) }
      self.lastProbeEnded.withLock { $0 = ContinuousClock.now }
    }
    current.withLock { $0 = task }
    return started
  }

  public func cancel() {
    current.withLock { task in
      task?.cancel()
      task = nil
    }
  }

  /// The resolver once the system's forwarders were checked for stripping DNSSEC (the first time).
  private func checked(_ base: DNSResolver) async -> DNSResolver {
    let (current, checked) = resolver.withLock { $0 }
    if checked, let current { return current }
    let upgraded = await ProbeOptions.upgraded(base, configuration: configuration)
    // A check cut short by a cancelled probe proves nothing: the next probe checks again.
    if !Task.isCancelled { resolver.withLock { $0 = (upgraded, true) } }
    return upgraded
  }
}

/// Recently probed domains, kept between sessions in `$XDG_STATE_HOME/mailflow/history` (default
/// `~/.local/state/mailflow/history`), one per line, oldest first. Failing to read or write it never
/// stops the explorer.
enum DomainHistory {
  static var file: URL {
    URL(fileURLWithPath: UserPath.stateDirectory()).appendingPathComponent("history")
  }

  static func load(from file: URL = DomainHistory.file) -> [String] {
    // A history is a few kilobytes: read from a regular file only, up to that, never a FIFO.
    guard let data = try? BoundedFile.read(file.path, what: "history", limit: 64 * 1024) else { return [] }
    return parse(String(decoding: data, as: UTF8.self))
  }

  /// The domains of a history file: lines that are not domain names (edited by hand, or garbage) are
  /// ignored, so nothing odd is offered in the prompt.
  static func parse(_ text: String) -> [String] {
    let lines = text.split(whereSeparator: \.isNewline).map(String.init)
    return Array(lines.filter { (try? DomainName($0)) != nil }.suffix(ExplorerReducer.historyLimit))
  }

  static func save(_ domains: [String], to file: URL = DomainHistory.file) {
    let directory = file.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    // A history that is a symlink (to a dotfiles repository, say) is the user's: never replaced by a file.
    if let type = try? FileManager.default.attributesOfItem(atPath: file.path)[.type] as? FileAttributeType,
      type == .typeSymbolicLink
    {
      return
    }
    let text = domains.suffix(ExplorerReducer.historyLimit).joined(separator: "\n") + "\n"
    try? Data(text.utf8).write(to: file, options: .atomic)
  }
}

/// Probe reports as files: written as `probe --json` writes them, read back with a clear error for a
/// file that is not a report or comes from a newer mailflow.
enum ReportFile {
  /// The absolute path of `name` in the working directory if no file has it, else of the first of
  /// `name-2.json`, `-3`… that is free (`s` never proposes a name that saving would refuse, and says
  /// where it will go).
  static func freeName(like name: String, in directory: String = FileManager.default.currentDirectoryPath)
    -> String
  {
    let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
    for number in 1...999 {
      let candidate = FilePath.join(
        directory,
        number == 1 ? name : "\(stem)-\(number).json")
      if !FileManager.default.fileExists(atPath: candidate) { return candidate }
    }
    return FilePath.join(directory, name)
  }

  /// Writes the report; the answer is the absolute path written, so the user knows where it went.
  static func save(_ report: ProbeReport, to path: String) -> Result<String, MessageLoadError> {
    let url = URL(fileURLWithPath: UserPath.expand(path, home: UserPath.home()))
    if FileManager.default.fileExists(atPath: url.path) {
      return .failure(MessageLoadError("that file exists: choose another name (nothing is overwritten)"))
    }
    do {
      // Written in today's layout, so with today's version (a version-1 report read in is converted).
      var report = report
      report.schemaVersion = ProbeReport.schemaVersion
      let text = try JSONOutput.render(report)
      try Data(text.utf8).write(to: url, options: .withoutOverwriting)
      return .success(url.standardizedFileURL.path)
    } catch let error as CLIError {
      return .failure(MessageLoadError(error.message))
    } catch {
      let directory = url.deletingLastPathComponent().path
      let why =
        FileManager.default.isWritableFile(atPath: directory)
        ? "the file could not be written" : "the folder \(directory) does not exist or is not writable"
      return .failure(MessageLoadError("cannot save the report: \(why)"))
    }
  }

  /// A report mailflow writes keeps at most 64 KiB of each dialogue (measured as JSON) and 64
  /// capabilities of 256 characters, for at most 32 MX addresses and 60 client endpoints: under 12 MiB
  /// even when every server floods. Anything larger is not one of ours.
  static let maximumBytes = 16 * 1_048_576

  /// Only the version, read first, so a file that is not a report (or is a newer one) is refused
  /// before it is decoded in full.
  private struct Version: Decodable {
    var schemaVersion: Double?
  }

  static func load(_ path: String) throws(CLIError) -> ProbeReport {
    let data = try BoundedFile.read(path, what: "report", limit: maximumBytes)
    // JSONDecoder only, never JSONSerialization: its object tree costs fifty times the file's size.
    let version: Double?
    do {
      version = try JSONDecoder().decode(Version.self, from: data).schemaVersion
    } catch DecodingError.dataCorrupted {
      throw CLIError("'\(path)' is not JSON, so not a mailflow probe report")
    } catch DecodingError.typeMismatch {
      throw CLIError(
        "'\(path)' has a schemaVersion that is not a number, so it is not a mailflow probe report")
    } catch {
      throw CLIError(
        "'\(path)' is not a mailflow probe report (no schemaVersion; reports come from s in the explorer or 'mailflow probe --json')"
      )
    }
    guard let version else {
      throw CLIError(
        "'\(path)' is not a mailflow probe report (no schemaVersion; reports come from s in the explorer or 'mailflow probe --json')"
      )
    }
    guard version == version.rounded(), version >= 1, version < 1e9 else {
      throw CLIError("'\(path)' has schemaVersion \(version), which is not a version number")
    }
    guard Int(version) <= ProbeReport.schemaVersion else {
      throw CLIError(
        "'\(path)' is a report of schema version \(Int(version)), newer than this mailflow reads (\(ProbeReport.schemaVersion)): update mailflow"
      )
    }
    let report: ProbeReport
    do {
      report = try JSONDecoder().decode(ProbeReport.self, from: data)
    } catch {
      throw CLIError("'\(path)' is not a valid mailflow probe report: \(describe(error))")
    }
    guard !report.hops.isEmpty else { throw CLIError("'\(path)' is a probe report without any hop") }
    return report
  }

  static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .keyNotFound(let key, let context):
      return "missing \(path(context.codingPath + [key]))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at \(path(context.codingPath))"
    case .dataCorrupted(let context):
      return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context.codingPath))"
    @unknown default:
      return "\(error)"
    }
  }

  static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".")
      .description
  }
}
