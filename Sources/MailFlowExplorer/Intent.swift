/// What the user asked for, independent of which key they pressed. The keymap turns keys into intents;
/// the reducer acts on intents.
public enum Intent: Sendable, Equatable, Hashable {
  case quit
  case toggleHelp
  case closeOverlay
  case focusNext
  case focusPrevious
  case previousHop
  case nextHop
  case jumpToHop(Int)
  case open
  case back
  case lineUp
  case lineDown
  case pageUp
  case pageDown
  case top
  case bottom
  case toggleJourney
  case nextStep
  case previousStep
  case nextScenario
  case previousScenario
  case toggleObserver
  case openMessagePrompt
  case probePrompt
  case cancelProbe
  case reprobe
  case saveReport
  case showTranscripts
  /// The probed domain's checklist.
  case showChecklist
  /// Search the focused pane (or the open window) for a word, as `/` does in less.
  case searchPrompt
  case nextMatch
  case previousMatch
  case clearSearch
  /// Back to the plain knowledge view: the probe (running or finished) is put away.
  case knowledgeView
  /// Stop the process (Ctrl-Z); the shell's `fg` brings the same screen back.
  case suspend
  /// The mailbox opened with `--mailbox`, again.
  case showList
  /// The mailbox list's next order (most messages, worst rating, cleartext share).
  case cycleSort
  case promptSubmit
  case promptCancel
  /// Any editing key of the prompt's line editor.
  case promptEdit
}
