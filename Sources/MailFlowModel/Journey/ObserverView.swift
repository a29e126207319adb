/// How much of a hop an on-path observer can read.
public enum ObserverView: String, Sendable, CaseIterable {
  /// Cleartext: the whole dialogue, the message and any password.
  case everything
  /// TLS: who talks to whom, when and how much, but not what is said.
  case metadata
  /// Not on the network at all (inside one server).
  case nothing

  public var label: String {
    switch self {
    case .everything: "everything"
    case .metadata: "only metadata"
    case .nothing: "nothing"
    }
  }
}
