/// One line of a protocol dialogue as the explorer shows it, with who said it.
/// The probe's transcripts are written in it too (as `{"direction": …, "text": …}` in reports).
public struct TranscriptLine: Sendable, Equatable, Codable {
  public enum Speaker: String, Sendable, CaseIterable, Codable {
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

  /// Reports name the speaker `direction`.
  enum CodingKeys: String, CodingKey {
    case speaker = "direction"
    case text
  }

  public init(_ speaker: Speaker, _ text: String) {
    self.speaker = speaker
    self.text = text
  }
}

extension TranscriptLine.Speaker {
  /// The mark before a line wherever a transcript is printed: `C: `, `S: `, `== `, `!! `, or indent.
  public var prefix: String {
    switch self {
    case .client: "C: "
    case .server: "S: "
    case .tls: "== "
    case .attacker: "!! "
    case .note: "   "
    }
  }
}
