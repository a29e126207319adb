import MailFlowReport

/// A live probe in the explorer: starting, results arriving hop by hop, cancelling (and restoring the
/// earlier result), re-probing, saving, reports opened from files, and the domain history.
enum ProbeFeature {
  /// Domains the probe prompt remembers.
  static let historyLimit = 100

  static func reduce(_ state: inout ExplorerState, _ action: ExplorerAction) -> [ExplorerEffect] {
    switch action {
    case .probeStarted(let generation, let domain):
      guard generation == state.probeGeneration else { return [] }
      if state.prompt?.purpose == .probeDomain { state.prompt = nil }
      if let current = state.probe, current.report != nil { state.previousProbe = current }
      state.probe = LiveProbe(domain: domain, generation: generation, startedAt: state.now)
      state.domainHistory.removeAll { $0 == domain }
      state.domainHistory.append(domain)
      if state.domainHistory.count > historyLimit { state.domainHistory.removeFirst() }
      JourneyFeature.journeysChanged(&state)
    case .probeRejected(let generation, let reason):
      guard generation == state.probeGeneration else { return [] }
      PromptFeature.refused(.probeDomain, reason, &state)
    case .probeHop(let generation, let hop):
      guard var probe = state.probe, probe.generation == generation, probe.isRunning else { return [] }
      probe.hops.removeAll { $0.id == hop.id }
      probe.hops.append(hop)
      state.probe = probe
    case .probeFinished(let generation, let report):
      guard var probe = state.probe, probe.generation == generation, probe.isRunning else { return [] }
      probe.report = report
      probe.hops = report.hops
      probe.phase = .finished
      probe.elapsed = .milliseconds(report.durationMs)
      probe.journey = ProbeJourney.make(report)
      // Re-probed (or probed over an opened report of the same domain): what changed since.
      if let earlier = state.previousProbe?.report, earlier.domain == report.domain {
        probe.changes = ReportDiff.changes(from: earlier, to: report)
        probe.comparedWith = earlier.startedAt
      }
      state.probe = probe
      state.previousProbe = nil
      JourneyFeature.journeysChanged(&state)
    case .probeRequested(let domain):
      return start(domain, &state)
    case .historyLoaded(let domains):
      state.domainHistory = Array(domains.suffix(historyLimit))
    case .reportOpened(let report, let file):
      // A report opened from the scan list replaces the list (M brings it back).
      if state.overlay == .scan {
        state.overlay = nil
        state.status = nil
      }
      state.probe = LiveProbe(report: report, file: file)
      JourneyFeature.journeysChanged(&state)
    case .reportSaved(.success(let path), _):
      state.awaitedRequest = nil
      if state.prompt?.purpose == .saveReport { state.prompt = nil }
      state.status = "saved the report to \(path)"
    case .reportNameProposed(let name):
      // Only if nothing else was opened meanwhile.
      guard state.probe?.report != nil, state.prompt == nil, state.overlay == nil else { return [] }
      PromptFeature.open(.saveReport, text: name, &state)
    case .reportSaved(.failure(let error), _):
      state.awaitedRequest = nil
      PromptFeature.refused(.saveReport, error.message, &state)
    default:
      break
    }
    return []
  }

  static func perform(_ intent: Intent, _ state: inout ExplorerState) -> [ExplorerEffect] {
    switch intent {
    case .cancelProbe:
      guard let probe = state.probe, probe.isRunning else { return [] }
      state.probe?.phase = .cancelled
      state.probe?.elapsed = state.now - probe.startedAt
      if let previous = state.previousProbe {
        // Cancelling a re-probe brings back what was shown before it.
        state.probe = previous
        state.previousProbe = nil
        JourneyFeature.journeysChanged(&state)
        state.status = "probe of \(probe.domain) cancelled; showing the earlier result"
      } else {
        state.status = "probe of \(probe.domain) cancelled"
      }
      return [.cancelProbe]
    case .knowledgeView:
      guard let probe = state.probe else { return [] }
      state.probe = nil
      state.previousProbe = nil
      state.probeGeneration += 1  // whatever the put-away probe still sends is dropped
      JourneyFeature.journeysChanged(&state)
      state.status = "back to the knowledge view: p probes a domain"
      return probe.isRunning ? [.cancelProbe] : []
    case .reprobe:
      guard let probe = state.probe else { return [] }
      if probe.file != nil {
        // Opened offline: whatever resolver, ports or trust anchors made the report are not known.
        state.reprobeAsked = true
        state.status =
          "a saved report: r again probes \(probe.domain) live with this run's options, not the report's"
        return []
      }
      return start(probe.domain, &state)
    case .saveReport:
      guard let probe = state.probe else { return [] }
      guard let report = probe.report else {
        state.status =
          probe.isRunning
          ? "nothing to save yet: the probe is still running" : "nothing to save: the probe was cancelled"
        return []
      }
      return [.proposeReportName(proposedFileName(domain: report.domain, startedAt: report.startedAt))]
    default:
      break
    }
    return []
  }

  /// Asks the edge to probe a domain under a new generation (older results are dropped from now on).
  static func start(_ domain: String, _ state: inout ExplorerState) -> [ExplorerEffect] {
    state.probeGeneration += 1
    return [.startProbe(domain: domain, generation: state.probeGeneration)]
  }

  static func tick(_ state: inout ExplorerState) {
    if state.probe?.isRunning == true, let started = state.probe?.startedAt {
      state.probe?.elapsed = state.now - started
    }
  }

  /// The file name `s` proposes. A report opened from a file may hold any `domain`: only a name made
  /// of letters, digits, hyphens and dots (a host name's syntax) goes into the file name, so no escape,
  /// slash or control character can reach the prompt or the file system.
  static func proposedFileName(domain: String, startedAt: String) -> String {
    let stamp = String(
      startedAt.unicodeScalars.filter { ("0"..."9").contains($0) }.prefix(12).map(Character.init))
    let labels = domain.lowercased().split(separator: ".", omittingEmptySubsequences: false)
    let hostName =
      domain.utf8.count <= 253 && !labels.isEmpty
      && labels.allSatisfy { label in
        (1...63).contains(label.count) && label.first != "-" && label.last != "-"
          && label.unicodeScalars.allSatisfy {
            $0 == "-" || ("a"..."z").contains($0) || ("0"..."9").contains($0)
          }
      }
    let name = hostName ? "mailflow-\(domain.lowercased())" : "mailflow-report"
    return name + (stamp.isEmpty ? "" : "-\(stamp)") + ".json"
  }
}
