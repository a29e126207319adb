/// The windows over the screen: help and the transcripts of the selected hop.
enum OverlayFeature {
  static func perform(_ intent: Intent, _ state: inout ExplorerState) {
    switch intent {
    case .toggleHelp:
      if state.overlay == .help {
        // Back to the list the help was opened over, if any.
        state.overlay = state.listUnderHelp
        state.listUnderHelp = nil
      } else {
        state.listUnderHelp = state.overlay == .mailbox || state.overlay == .scan ? state.overlay : nil
        state.overlay = .help
      }
      state.helpScroll = 0
    case .closeOverlay where state.overlay == .help && state.listUnderHelp != nil:
      state.overlay = state.listUnderHelp
      state.listUnderHelp = nil
    case .closeOverlay:
      state.overlay = nil
    case .showTranscripts:
      showTranscripts(&state)
    case .showChecklist:
      guard state.probe?.report != nil else {
        state.status =
          state.probe?.isRunning == true
          ? "the checklist is ready when the probe finishes" : "no checklist: the probe was cancelled"
        return
      }
      state.overlay = .checks
      state.helpScroll = 0
    default:
      break
    }
  }

  static func scroll(_ intent: Intent, _ state: inout ExplorerState) {
    state.helpScroll = ExplorerReducer.scrolled(state.helpScroll, intent, in: state.viewport.overlay)
  }

  /// Opens the transcripts, or says on the footer why there are none.
  static func showTranscripts(_ state: inout ExplorerState) {
    let measured = state.probe?.hop(state.hop.id)
    guard measured?.endpoints.contains(where: { !$0.transcript.isEmpty }) == true else {
      if let hop = measured {
        state.status = "no dialogue on this hop: \(hop.summary)"
      } else if state.probe?.isPending(state.hop.id) == true {
        state.status = "no transcript yet: this hop is still being probed"
      } else {
        state.status = "no transcript for this hop: the probe measures hops 1, 3… and N"
      }
      return
    }
    state.overlay = .transcript
    state.helpScroll = 0
  }
}
