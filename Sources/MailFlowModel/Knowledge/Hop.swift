/// One step of a message's journey between two roles, with every way it can be carried.
public struct Hop: Sendable, Equatable, Identifiable {
  public enum Direction: String, Sendable, CaseIterable {
    /// The sender connects and hands the message over.
    case push
    /// The receiver connects and fetches the message (the MUA reading its mailbox).
    case pull
  }

  /// Stable id used by commands, JSON and the probe: `submission`, `outbound`, `relay`, `delivery`,
  /// `retrieval`.
  public var id: String
  /// The hop number as the seed table writes it: `1`, `2`, `3…`, `N-1`, `N`.
  public var label: String
  public var title: String
  /// Role ids on each side; the delivery hop reaches two roles (MDA then MS).
  public var fromRoles: [String]
  public var toRoles: [String]
  /// How the table names each side, e.g. `MTA (possibly MX)`.
  public var fromLabel: String
  public var toLabel: String
  public var direction: Direction
  /// True for the relay hop, which a message may cross several times.
  public var repeatable: Bool
  public var summary: String
  public var options: [TransportOption]
  public var rfcs: [Int]

  public init(
    id: String, label: String, title: String, fromRoles: [String], toRoles: [String], fromLabel: String,
    toLabel: String, direction: Direction, repeatable: Bool, summary: String, options: [TransportOption],
    rfcs: [Int]
  ) {
    self.id = id
    self.label = label
    self.title = title
    self.fromRoles = fromRoles
    self.toRoles = toRoles
    self.fromLabel = fromLabel
    self.toLabel = toLabel
    self.direction = direction
    self.repeatable = repeatable
    self.summary = summary
    self.options = options
    self.rfcs = rfcs
  }
}
