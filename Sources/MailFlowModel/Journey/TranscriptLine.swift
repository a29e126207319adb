/// One line of a protocol dialogue as the explorer shows it, with who said it.
public struct TranscriptLine: Sendable, Equatable {
  public enum Speaker: String, Sendable, CaseIterable {
    case client
    case server
    /// The point where TLS starts; everything after it is encrypted on the wire.
    case tls
    /// Something an on-path attacker does to the traffic.
    case attacker
    /// Context that is not on the wire (a DNS answer, a queue decision, a local hand-over).
    case note
  }

  public var speaker: Speaker
  public var text: String

  public init(_ speaker: Speaker, _ text: String) {
    self.speaker = speaker
    self.text = text
  }
}
