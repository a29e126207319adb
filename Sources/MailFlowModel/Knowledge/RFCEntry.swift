/// A catalogued RFC: what it is, in our own words, and which parts of the pipeline it concerns.
public struct RFCEntry: Sendable, Equatable, Identifiable {
  public struct Concerns: Sendable, Equatable {
    public var roles: [String]
    public var hops: [String]
    public var modes: [String]
    public var protocols: [String]

    public init(roles: [String], hops: [String], modes: [String], protocols: [String]) {
      self.roles = roles
      self.hops = hops
      self.modes = modes
      self.protocols = protocols
    }
  }

  public var number: Int
  public var title: String
  public var year: Int
  /// IETF status as published, e.g. `Proposed Standard`, `Informational`.
  public var status: String
  public var summary: String
  public var concerns: Concerns
  /// Catalogued RFCs that replace this one.
  public var obsoletedBy: [Int]

  public var id: Int { number }

  public init(
    number: Int, title: String, year: Int, status: String, summary: String, concerns: Concerns,
    obsoletedBy: [Int]
  ) {
    self.number = number
    self.title = title
    self.year = year
    self.status = status
    self.summary = summary
    self.concerns = concerns
    self.obsoletedBy = obsoletedBy
  }
}
