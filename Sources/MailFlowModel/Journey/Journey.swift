/// A scenario of a message's journey from sender to recipient, stepped through hop by hop.
public struct Journey: Sendable, Equatable, Identifiable {
  public var id: String
  public var name: String
  public var summary: String
  public var sender: String
  public var recipient: String
  public var steps: [JourneyStep] {
    didSet { firstStep = Self.firstSteps(steps) }
  }
  /// The index of the first step on each hop: a traced message may have 20,000 steps, and the diagram
  /// asks for each hop's step on every frame.
  public private(set) var firstStep: [String: Int]

  public init(
    id: String, name: String, summary: String, sender: String, recipient: String, steps: [JourneyStep]
  ) {
    self.id = id
    self.name = name
    self.summary = summary
    self.sender = sender
    self.recipient = recipient
    self.steps = steps
    firstStep = Self.firstSteps(steps)
  }

  static func firstSteps(_ steps: [JourneyStep]) -> [String: Int] {
    var first: [String: Int] = [:]
    for (index, step) in steps.enumerated() where first[step.hopID] == nil { first[step.hopID] = index }
    return first
  }
}
