/// A scenario of a message's journey from sender to recipient, stepped through hop by hop.
public struct Journey: Sendable, Equatable, Identifiable {
  public var id: String
  public var name: String
  public var summary: String
  public var sender: String
  public var recipient: String
  public var steps: [JourneyStep]

  public init(
    id: String, name: String, summary: String, sender: String, recipient: String, steps: [JourneyStep]
  ) {
    self.id = id
    self.name = name
    self.summary = summary
    self.sender = sender
    self.recipient = recipient
    self.steps = steps
  }
}
