/// One way a hop can be carried: a protocol (absent for internal handling) under a security mode.
public struct TransportOption: Sendable, Equatable {
  /// Protocol id; `nil` when the hop happens inside one server and no protocol is exposed.
  public var protocolID: String?
  public var modeID: String
  /// Extra words for the table, e.g. `same server with two roles`.
  public var note: String?

  public init(protocolID: String?, modeID: String, note: String? = nil) {
    self.protocolID = protocolID
    self.modeID = modeID
    self.note = note
  }
}
