import Dispatch
import MailFlowExplorer
import MailFlowModel
import MailFlowTrace

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Runs every effect the explorer's reducer asks for outside the UI loop — opening a message (a header
/// of 20,000 Received fields takes seconds to read), saving a report, keeping the history, probing —
/// and answers only with actions through one inbox, which the loop drains between keys. The loop never
/// waits for an effect, so keys are answered while one runs (Bubble Tea's Cmd → Msg).
final class ExplorerEffectRunner: Sendable {
  let probes: ExplorerProbeRunner
  /// Where the domain history is kept (a parameter so tests use their own file).
  let historyFile: URL
  /// Files being written (reports, the history): quitting waits for them, so none is left half written.
  private let writes = DispatchGroup()
  /// History updates one after another, so two probes started together cannot lose a domain.
  private let historyQueue = DispatchQueue(label: "mailflow.history")
  /// Reading and tracing a message, saving a report: blocking work, kept off Swift's cooperative pool
  /// (as many threads as cores), where a 20,000-field trace would hold a thread for seconds and starve
  /// the probe tasks running beside it.
  private let fileWork = DispatchQueue(label: "mailflow.files", qos: .userInitiated, attributes: .concurrent)

  /// Who runs which mail hosts, for the messages it opens.
  let organisations: Organisations

  init(
    probes: ExplorerProbeRunner, organisations: Organisations = .plain, historyFile: URL = DomainHistory.file
  ) {
    self.organisations = organisations
    self.probes = probes
    self.historyFile = historyFile
  }

  /// Starts the effect; its result arrives later through `drain`.
  func perform(_ effect: ExplorerEffect) {
    switch effect {
    case .openMessage(let path, let request):
      fileWork.async { [probes, organisations] in
        let journey = ExploreCommand.journey(
          forMessageAt: UserPath.expand(path, home: UserPath.home()), organisations: organisations)
        probes.post(.messageLoaded(journey, request: request))
      }
    case .startProbe(let domain, let generation):
      // Checking the name and starting the task is quick; the answer is posted before any result.
      if case .probeStarted(_, let name) = probes.start(domain, generation: generation) {
        let file = historyFile
        writes.enter()
        historyQueue.async { [writes] in
          var history = DomainHistory.load(from: file).filter { $0 != name }
          history.append(name)
          DomainHistory.save(history, to: file)
          writes.leave()
        }
      }
    case .cancelProbe:
      probes.cancel()
    case .saveReport(let path, let report, let request):
      writes.enter()
      fileWork.async { [probes, writes] in
        probes.post(.reportSaved(ReportFile.save(report, to: path), request: request))
        writes.leave()
      }
    case .proposeReportName(let name):
      probes.post(.reportNameProposed(ReportFile.freeName(like: name)))
    case .openMailboxMessage(let file, let offset, let request):
      fileWork.async { [probes, organisations] in
        let journey: Result<Journey, MessageLoadError>
        do throws(CLIError) {
          let header = try MailboxReader.header(file: file, offset: offset)
          let report = try TraceCommand.report(header, name: file, organisations: organisations)
          let name = FilePath.lastComponent(file) + (offset.map { "@\($0)" } ?? "")
          journey = .success(TraceJourney.make(report, name: name))
        } catch {
          journey = .failure(MessageLoadError(error.message))
        }
        probes.post(.messageLoaded(journey, request: request))
      }
    case .openScanReport(let file, let offset, let length, let domain):
      fileWork.async { [probes] in
        do throws(CLIError) {
          let report = try ScanFile.report(file, offset: offset, length: length)
          probes.post(.reportOpened(report, file: "\(FilePath.lastComponent(file)): \(domain)"))
        } catch {
          probes.post(.scanFinished(failure: error.message))
        }
      }
    case .quit, .suspend:
      break  // the loop's own: it owns the terminal
    }
  }

  /// Waits (a bounded time) for files still being written: called when the explorer ends.
  func finishWrites(within timeout: DispatchTime = .now() + 5) {
    _ = writes.wait(timeout: timeout)
  }

  /// Everything that arrived since the last call: effect answers and probe results, in order.
  func drain() -> [ExplorerAction] { probes.drain() }
}
