import Foundation
import MailFlowExplorer
import MailFlowModel

/// Runs every effect the explorer's reducer asks for outside the UI loop — opening a message (a header
/// of 20,000 Received fields takes seconds to read), saving a report, keeping the history, probing —
/// and answers only with actions through one inbox, which the loop drains between keys. The loop never
/// waits for an effect, so keys are answered while one runs (Bubble Tea's Cmd → Msg).
final class ExplorerEffectRunner: Sendable {
  let probes: ExplorerProbeRunner
  /// Where the domain history is kept (a parameter so tests use their own file).
  let historyFile: URL

  init(probes: ExplorerProbeRunner, historyFile: URL = DomainHistory.file) {
    self.probes = probes
    self.historyFile = historyFile
  }

  /// Starts the effect; its result arrives later through `drain`.
  func perform(_ effect: ExplorerEffect) {
    switch effect {
    case .openMessage(let path):
      Task.detached { [probes] in
        let journey = ExploreCommand.journey(forMessageAt: UserPath.expand(path, home: UserPath.home()))
        probes.post(.messageLoaded(journey))
      }
    case .startProbe(let domain, let generation):
      // Checking the name and starting the task is quick; the answer is posted before any result.
      let answer = probes.start(domain, generation: generation, announce: true)
      if case .probeRejected = answer { probes.post(answer) }
      if case .probeStarted(_, let name) = answer {
        let file = historyFile
        Task.detached {
          var history = DomainHistory.load(from: file).filter { $0 != name }
          history.append(name)
          DomainHistory.save(history, to: file)
        }
      }
    case .cancelProbe:
      probes.cancel()
    case .saveReport(let path, let report):
      Task.detached { [probes] in probes.post(.reportSaved(ReportFile.save(report, to: path))) }
    case .quit:
      break
    }
  }

  /// Everything that arrived since the last call: effect answers and probe results, in order.
  func drain() -> [ExplorerAction] { probes.drain() }
}
