/// One step of a journey scenario: a hop carried one particular way, what happens, and the dialogue.
public struct JourneyStep: Sendable, Equatable {
  public var hopID: String
  /// How this step carries the hop; its mode gives the step's rating.
  public var option: TransportOption
  public var title: String
  public var narrative: String
  public var observer: ObserverView
  /// What exactly the observer sees at this step.
  public var observerNote: String
  public var transcript: [TranscriptLine]
  /// For a step measured on a real message rather than taken from the knowledge base: its rating and
  /// a description of how it was carried (`ESMTPS, TLSv1.3`), which take the option's place.
  public var measured: Measured?

  public struct Measured: Sendable, Equatable {
    public var rating: Rating
    public var description: String

    public init(rating: Rating, description: String) {
      self.rating = rating
      self.description = description
    }
  }

  public init(
    hopID: String, option: TransportOption, title: String, narrative: String, observer: ObserverView,
    observerNote: String, transcript: [TranscriptLine], measured: Measured? = nil
  ) {
    self.hopID = hopID
    self.option = option
    self.title = title
    self.narrative = narrative
    self.observer = observer
    self.observerNote = observerNote
    self.transcript = transcript
    self.measured = measured
  }

  /// For each transcript line, whether it crosses the wire encrypted: true after the first `tls` line
  /// (which itself is the handshake, visible as such).
  public var encryptedLines: [Bool] {
    var encrypted = false
    return transcript.map { line in
      defer { if line.speaker == .tls { encrypted = true } }
      return encrypted
    }
  }
}
