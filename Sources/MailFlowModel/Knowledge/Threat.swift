/// An attack on mail in transit and the security modes that stop it.
public struct Threat: Sendable, Equatable, Identifiable {
  public enum Attacker: String, Sendable, CaseIterable {
    /// Reads traffic but does not change it.
    case passive
    /// Sits on the path and can change, drop or inject traffic.
    case onPath = "on-path"
    /// Forges or tampers with DNS answers.
    case dns
    /// Anyone who can connect to a mail server: needs no access to the path at all.
    case remote
  }

  public var id: String
  public var name: String
  public var attacker: Attacker
  public var description: String
  /// Security modes that fall to this threat.
  public var affects: [String]
  /// Security modes that stop it, and how.
  public var defendedBy: [String]
  public var defence: String
  public var hops: [String]
  public var rfcs: [Int]

  public init(
    id: String, name: String, attacker: Attacker, description: String, affects: [String],
    defendedBy: [String], defence: String, hops: [String], rfcs: [Int]
  ) {
    self.id = id
    self.name = name
    self.attacker = attacker
    self.description = description
    self.affects = affects
    self.defendedBy = defendedBy
    self.defence = defence
    self.hops = hops
    self.rfcs = rfcs
  }
}
