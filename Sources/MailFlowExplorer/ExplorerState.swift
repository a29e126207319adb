import MailFlowModel
import MailFlowReport
import TerminalUI

/// Everything the explorer shows, as one value. Only the reducer changes it; views read it.
public struct ExplorerState: Sendable, Equatable {
  public enum Pane: String, Sendable, CaseIterable {
    case diagram, table, details, journey
  }

  public enum Mode: Sendable, Equatable {
    /// Browsing the pipeline: diagram, hop table, details of the selected hop.
    case explore
    /// Stepping through a scenario: diagram, hop table, journey pane.
    case journey
  }

  public enum Overlay: Sendable, Equatable {
    case help
    /// The protocol transcripts of the selected hop's probed endpoints.
    case transcript
    /// The probed domain's checklist: every check with its status.
    case checks
    /// A mailbox opened with `--mailbox`: its sending domains, or one domain's messages.
    case mailbox
    /// A scan's output opened with `--scan`: its domains with their ratings.
    case scan
  }

  /// A question on the footer line, answered with a line of text.
  public struct Prompt: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable, Hashable {
      /// A message file to trace.
      case openMessage
      /// A domain to probe.
      case probeDomain
      /// Where to save the probe's report.
      case saveReport
      /// A word to find in the focused pane.
      case search
    }

    public var purpose: Purpose
    public var editor = LineEditor()
    /// Why the last answer was refused, shown until the next edit.
    public var error: String?
    /// Enter was pressed and its answer (a message, a probe's start, a save) is still coming.
    public var waiting = false
    /// Position in the domain history while browsing it with Up/Down (`nil`: the line being typed).
    public var historyIndex: Int?
    /// What was typed before browsing the history, restored when coming back down.
    public var draft = ""

    public init(purpose: Purpose, text: String = "") {
      self.purpose = purpose
      editor = LineEditor(text: text)
    }

    public var label: String {
      switch purpose {
      case .openMessage: "Message file to trace: "
      case .probeDomain: "Domain to probe: "
      case .saveReport: "Save the report to: "
      case .search: "Search: "
      }
    }
  }

  /// A word searched for with `/`, and where.
  public struct Search: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
      /// The hop table (and the diagram): matches are hops.
      case hops
      /// The details pane, or the RFC opened in it: matches are lines.
      case details
      /// The help or transcript window: matches are lines.
      case overlay
      /// The journey pane (narrative and transcript of the step): matches are lines.
      case journey
    }

    public var query: String
    public var target: Target
    /// The line (or hop) of the current match, once there is one.
    public var current: Int?
    /// The first jump waits for the render to report where the matches are.
    public var pendingJump = true

    public init(query: String, target: Target) {
      self.query = query
      self.target = target
    }
  }

  public var knowledge: KnowledgeBase
  public var width: Int
  public var height: Int
  public var ascii: Bool

  public var mode: Mode = .explore
  public var focus: Pane = .diagram
  /// Index into `knowledge.hops`.
  public var selectedHop = 0
  public var overlay: Overlay?
  public var helpScroll = 0
  public var prompt: Prompt?
  public var search: Search?
  /// What was typed into each prompt (other than the probe's, whose history is `domainHistory`) in
  /// this session, oldest first.
  public var promptHistory: [Prompt.Purpose: [String]] = [:]

  /// First line of the details pane shown.
  public var detailsScroll = 0
  /// Index of the highlighted RFC link in the details pane, if any is highlighted.
  public var detailsLink: Int?
  /// An RFC opened from the details pane, shown in its place until Esc.
  public var openRFC: Int?
  /// Where the details pane was scrolled before an RFC was opened, restored on the way back.
  public var detailsReturnScroll = 0

  /// Journeys of real messages opened with --message or `m`, newest first, before the built-in ones.
  public var tracedJourneys: [Journey] = []
  public var scenario = 0
  public var step = 0
  public var journeyScroll = 0
  /// Show the transcript as an on-path observer sees it: encrypted lines masked.
  public var observerView = false

  public var quitRequested = false

  /// A mailbox opened with `--mailbox`, loading or loaded.
  public var mailbox: MailboxBrowser?
  /// A scan's output opened with `--scan`, loading or loaded.
  public var scan: ScanBrowser?
  /// The list the help window was opened over, shown again when it closes.
  public var listUnderHelp: Overlay?
  /// The domain probed (or being probed, or opened from a report), if any.
  public var probe: LiveProbe?
  /// The finished probe a re-probe replaced, shown again if the re-probe is cancelled.
  public var previousProbe: LiveProbe?
  /// Bumped for every probe started: results of older generations are dropped.
  public var probeGeneration = 0
  /// Recently probed domains, oldest first (the prompt's Up/Down history).
  public var domainHistory: [String] = []
  /// The injected clock's latest reading (spinners and elapsed times).
  public var now: Duration = .zero
  /// A one-line message on the footer (saved, cancelled, nothing to save…), until the next key.
  public var status: String?
  /// The last request sent to open a message or save a report, and the one whose answer is awaited
  /// (`nil` when none is: an answer that comes after Esc is dropped, never applied to another prompt).
  public var lastRequest = 0
  public var awaitedRequest: Int?
  /// `r` was pressed once on a report opened from a file: a second `r` probes live (the report's own
  /// probe options are not known, so the user confirms probing with this run's).
  public var reprobeAsked = false
  /// What the last frame laid out (panes on screen, scrolled texts' sizes and links), reported by the
  /// render pass: the reducer pages and clamps with it instead of laying anything out.
  public var viewport = ExplorerViewport()

  public init(knowledge: KnowledgeBase, width: Int, height: Int, ascii: Bool) {
    self.knowledge = knowledge
    self.width = width
    self.height = height
    self.ascii = ascii
  }

  public static let minimumWidth = 80
  public static let minimumHeight = 24

  public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

  public var glyphs: Glyphs { ascii ? .ascii : .unicode }

  public var hop: Hop { knowledge.hops[selectedHop] }

  /// Every journey that can be stepped through: traced messages first, then the built-in scenarios.
  public var journeys: [Journey] { (probe?.journey.map { [$0] } ?? []) + tracedJourneys + knowledge.journeys }

  /// The measured result for a hop while exploring a probe: `nil` for the internal hops, for hops not
  /// arrived yet, and in journey mode.
  public func measured(_ hop: Hop) -> ProbeReport.Hop? {
    guard mode == .explore, let probe, LiveProbe.measuredHops.contains(hop.id) else { return nil }
    return probe.hop(hop.id)
  }

  /// Whether a hop is still being probed (its arrow and row show a spinner).
  public func isProbing(_ hop: Hop) -> Bool {
    mode == .explore && (probe?.isPending(hop.id) ?? false)
  }

  /// The journey being stepped through, when there is any.
  public var journey: Journey? {
    let all = journeys
    return all.indices.contains(scenario) ? all[scenario] : nil
  }

  public var journeyStep: JourneyStep? {
    guard let journey, journey.steps.indices.contains(step) else { return nil }
    return journey.steps[step]
  }

  /// In journey mode, how the scenario carries `hop`: the current step when it is on that hop, else the
  /// scenario's first step on it. `nil` when exploring.
  public func journeyStep(on hop: Hop) -> JourneyStep? {
    guard mode == .journey, let journey else { return nil }
    if let current = journeyStep, current.hopID == hop.id { return current }
    return journey.firstStep[hop.id].map { journey.steps[$0] }
  }

  /// The pane to the right of (or below) the table: details when exploring, the journey otherwise.
  public var contentPane: Pane { mode == .journey ? .journey : .details }
}
