/// A problem in the knowledge base, located precisely enough to fix it: the file, the key path inside
/// it (`hops[2].options[0].protocol`), and the line and column when known.
public struct KnowledgeBaseError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  /// Key path from the file's root; empty for problems with the file as a whole.
  public var path: String
  public var problem: String
  public var location: SourceLocation?

  public init(file: String, path: String, problem: String, location: SourceLocation? = nil) {
    self.file = file
    self.path = path
    self.problem = problem
    self.location = location
  }

  /// One line: `hops.json: hops[2].from: unknown role "MTX" (did you mean "MTA"?) (line 40, column 15)`.
  public var description: String {
    var text = file
    if !path.isEmpty { text += ": \(path)" }
    text += ": \(problem)"
    if let location { text += " (\(location))" }
    return text
  }
}
