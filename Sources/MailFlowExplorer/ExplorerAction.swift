import MailFlowModel
import MailFlowReport
import MailFlowTrace
import TerminalUI

/// Everything that can happen to the explorer.
public enum ExplorerAction: Sendable, Equatable {
  case key(KeyEvent)
  /// A mouse event and what was under it in the last frame.
  case mouse(MouseEvent.Kind, HitTarget?)
  case resize(width: Int, height: Int)
  /// What a render of the current state laid out (sent by the loop after laying a frame out).
  case viewport(ExplorerViewport)
  /// The outcome of an `openMessage` effect: the message's journey, or why it could not be read;
  /// `request` is the effect's (`nil`: a message given on the command line).
  case messageLoaded(Result<Journey, MessageLoadError>, request: Int? = nil)
  /// The edge accepted the domain of `startProbe` (as it will be probed, A-labels) and started.
  case probeStarted(generation: Int, domain: String)
  /// The domain of `startProbe` is not one (the reason, shown in the prompt).
  case probeRejected(generation: Int, reason: String)
  /// One measured hop of a running probe, as soon as it is rated.
  case probeHop(generation: Int, ProbeReport.Hop)
  case probeFinished(generation: Int, ProbeReport)
  /// The injected clock's reading, sent while something animates.
  case tick(Duration)
  /// The outcome of `saveReport` of this request: the path written, or why not.
  case reportSaved(Result<String, MessageLoadError>, request: Int? = nil)
  /// A saved report opened with `--report`.
  case reportOpened(ProbeReport, file: String)
  /// The domains probed in earlier sessions, oldest first (read at start-up).
  case historyLoaded([String])
  /// A free file name for the report, answering `proposeReportName`: the save prompt opens with it.
  case reportNameProposed(String)
  /// A domain to probe at once (`mailflow explore DOMAIN`): answered with a `startProbe` effect.
  case probeRequested(String)
  /// More of the mailbox read: these messages in brief, and the summary so far.
  case mailboxProgress([MailboxBrowser.Entry], MailboxSummary)
  /// The whole mailbox is read, or reading stopped with this reason.
  case mailboxFinished(failure: String?)
  /// More of a scan's output read: its rows, and how many lines were not reports.
  case scanProgress([ScanBrowser.Row], unreadable: Int)
  /// The whole scan output is read, or reading stopped with this reason.
  case scanFinished(failure: String?)
}

/// Why a message could not be opened, in one line.
public struct MessageLoadError: Error, Sendable, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// Work the reducer asks the outside world to do.
public enum ExplorerEffect: Sendable, Equatable {
  case quit
  /// Read the message at this path and answer with `.messageLoaded` of the same request.
  case openMessage(String, request: Int = 0)
  /// Check the domain, then probe it in the background (answer `.probeStarted` or `.probeRejected`;
  /// results come later as `.probeHop` and `.probeFinished` of this generation). Any running probe
  /// is cancelled first.
  case startProbe(domain: String, generation: Int)
  case cancelProbe
  /// Stop the process until the shell continues it (Ctrl-Z), handing the terminal back meanwhile; the
  /// loop does this itself (it owns the terminal) and draws the same screen again on return.
  case suspend
  /// Find a file name like this one that no file has yet (adding -2, -3…), and answer
  /// `.reportNameProposed`.
  case proposeReportName(String)
  /// Write the report as JSON (the `probe --json` schema); answer `.reportSaved` of the same request.
  case saveReport(path: String, report: ProbeReport, request: Int = 0)
  /// Read the message of a mailbox at this file (and mbox offset) and answer `.messageLoaded` of the
  /// same request.
  case openMailboxMessage(file: String, offset: Int?, request: Int = 0)
  /// Read one report of a scan's output (the line at this offset) and answer `.reportOpened`.
  case openScanReport(file: String, offset: Int, length: Int, domain: String)
}
