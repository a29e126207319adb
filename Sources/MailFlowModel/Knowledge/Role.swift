/// A role in the Internet Mail Architecture (RFC 5598): who does what to a message on its way.
/// The same server often holds several roles at once.
public struct Role: Sendable, Equatable, Identifiable {
  public enum Side: String, Sendable, CaseIterable {
    case sender
    case transfer
    case recipient
    case both
  }

  /// Short name used everywhere, e.g. `MTA`.
  public var id: String
  /// Expanded name, e.g. `Message Transfer Agent`.
  public var name: String
  public var side: Side
  public var definition: String
  public var rfcs: [Int]

  public init(id: String, name: String, side: Side, definition: String, rfcs: [Int]) {
    self.id = id
    self.name = name
    self.side = side
    self.definition = definition
    self.rfcs = rfcs
  }
}
