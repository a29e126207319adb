/// Reads typed values out of a `JSONNode` while tracking the key path, so every type or range problem
/// becomes a `KnowledgeBaseError` naming the file, the path and the position.
public struct JSONReader: Sendable {
  public let file: String
  public let node: JSONNode
  public let path: String

  public init(file: String, node: JSONNode, path: String = "") {
    self.file = file
    self.node = node
    self.path = path
  }

  public func failure(_ problem: String) -> KnowledgeBaseError {
    KnowledgeBaseError(file: file, path: path, problem: problem, location: node.location)
  }

  private func expected(_ what: String) -> KnowledgeBaseError {
    failure("expected \(what), found \(node.kindName)")
  }

  /// A string; blank ones are refused unless `allowEmpty` (a blank line in a transcript is real).
  public func string(allowEmpty: Bool = false) throws(KnowledgeBaseError) -> String {
    guard case .string(let text) = node.value else { throw expected("a string") }
    guard allowEmpty || !text.allSatisfy(\.isWhitespace) else { throw failure("must not be empty") }
    return text
  }

  public func int(in range: ClosedRange<Int>) throws(KnowledgeBaseError) -> Int {
    guard case .number(let literal) = node.value else { throw expected("an integer") }
    guard let value = Int(literal) else { throw failure("expected an integer, found \(literal)") }
    guard range.contains(value) else {
      throw failure("\(value) is out of range (\(range.lowerBound)–\(range.upperBound))")
    }
    return value
  }

  public func bool() throws(KnowledgeBaseError) -> Bool {
    guard case .bool(let value) = node.value else { throw expected("true or false") }
    return value
  }

  /// A string that must be one of a fixed vocabulary.
  public func choice<T: RawRepresentable>(_: T.Type) throws(KnowledgeBaseError) -> T
  where T: CaseIterable, T.RawValue == String {
    let text = try string()
    if let value = T(rawValue: text) { return value }
    let allowed = T.allCases.map(\.rawValue)
    throw failure("\"\(text)\" is not one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
  }

  public func elements() throws(KnowledgeBaseError) -> [JSONReader] {
    guard case .array(let nodes) = node.value else { throw expected("an array") }
    return nodes.enumerated().map { JSONReader(file: file, node: $1, path: "\(path)[\($0)]") }
  }

  public func strings() throws(KnowledgeBaseError) -> [String] {
    var result: [String] = []
    for element in try elements() { result.append(try element.string()) }
    return result
  }

  public func ints(in range: ClosedRange<Int>) throws(KnowledgeBaseError) -> [Int] {
    var result: [Int] = []
    for element in try elements() { result.append(try element.int(in: range)) }
    return result
  }

  /// The members of an object, refusing any key not in `allowed` (a misspelt key is a mistake worth
  /// reporting, not something to ignore silently).
  public func object(allowing allowed: [String]) throws(KnowledgeBaseError) -> JSONObjectReader {
    guard case .object(let members) = node.value else { throw expected("an object") }
    for member in members where !allowed.contains(member.key) {
      var problem = "unknown member \"\(member.key)\""
      if let guess = EditDistance.suggestion(for: member.key, among: allowed) {
        problem += " (did you mean \"\(guess)\"?)"
      }
      throw KnowledgeBaseError(
        file: file, path: path, problem: problem, location: member.value.location)
    }
    return JSONObjectReader(reader: self, members: members)
  }
}

/// The members of one JSON object, read by key.
public struct JSONObjectReader: Sendable {
  let reader: JSONReader
  let members: [JSONNode.Member]

  private func childPath(_ key: String) -> String {
    reader.path.isEmpty ? key : "\(reader.path).\(key)"
  }

  public func optional(_ key: String) -> JSONReader? {
    guard let member = members.first(where: { $0.key == key }) else { return nil }
    if case .null = member.value.value { return nil }
    return JSONReader(file: reader.file, node: member.value, path: childPath(key))
  }

  public func required(_ key: String) throws(KnowledgeBaseError) -> JSONReader {
    guard let value = optional(key) else {
      throw KnowledgeBaseError(
        file: reader.file, path: childPath(key), problem: "missing required member",
        location: reader.node.location)
    }
    return value
  }

  public func string(_ key: String) throws(KnowledgeBaseError) -> String { try required(key).string() }

  public func optionalString(_ key: String) throws(KnowledgeBaseError) -> String? {
    try optional(key)?.string()
  }

  public func strings(_ key: String) throws(KnowledgeBaseError) -> [String] {
    try optional(key)?.strings() ?? []
  }

  public func rfcNumbers(_ key: String) throws(KnowledgeBaseError) -> [Int] {
    try optional(key)?.ints(in: 1...99_999) ?? []
  }
}
