/// Turns the knowledge-base files (name → text) into a validated `KnowledgeBase`, or the first problem
/// found, located by file, key path and position. Pure: the caller reads the files.
public enum KnowledgeBaseLoader {
  /// Every file the knowledge base is made of, with the single top-level member each one holds.
  public static let fileNames = [
    "roles.json", "protocols.json", "modes.json", "hops.json", "rfcs.json", "threats.json", "journeys.json",
    "providers.json",
  ]

  public static func load(files: [String: String]) throws(KnowledgeBaseError) -> KnowledgeBase {
    var state = LoadState()
    let roles = try state.readList(files, "roles.json", member: "roles", readRole)
    let protocols = try state.readList(files, "protocols.json", member: "protocols", readProtocol)
    let modes = try state.readList(files, "modes.json", member: "modes", readMode)
    let hops = try state.readList(files, "hops.json", member: "hops", readHop)
    let rfcs = try state.readList(files, "rfcs.json", member: "rfcs", readRFC)
    let threats = try state.readList(files, "threats.json", member: "threats", readThreat)
    let journeys = try state.readList(files, "journeys.json", member: "journeys", readJourney)
    let providers = try state.readList(files, "providers.json", member: "providers", readProvider)

    try state.checkUnique(roles, \.id)
    try state.checkUnique(protocols, \.id)
    try state.checkUnique(modes, \.id)
    try state.checkUnique(hops, \.id)
    try state.checkUnique(rfcs, \.number)
    try state.checkUnique(threats, \.id)
    try state.checkUnique(journeys, \.id)
    try state.checkUnique(providers, \.id)

    try requireIDs(
      SecurityMode.Known.allCases.map(\.rawValue), "mode", in: modes.map(\.value.id),
      file: modes.first?.reader.file ?? "modes.json", path: "modes")
    try requireIDs(
      MailProtocol.Known.allCases.map(\.rawValue), "protocol", in: protocols.map(\.value.id),
      file: protocols.first?.reader.file ?? "protocols.json", path: "protocols")
    let ordered = try orderHops(hops)
    let known: [Reference.Kind: [String]] = [
      .role: roles.map(\.value.id),
      .protocol: protocols.map(\.value.id),
      .mode: modes.map(\.value.id),
      .hop: hops.map(\.value.id),
      .rfc: rfcs.map { String($0.value.number) },
    ]
    for reference in state.references {
      let candidates = known[reference.kind] ?? []
      guard !candidates.contains(reference.id) else { continue }
      var problem =
        reference.kind == .rfc
        ? "RFC \(reference.id) is referenced but not in the catalogue (rfcs.json)"
        : "unknown \(reference.kind.rawValue) \"\(reference.id)\""
      if reference.kind != .rfc, let guess = EditDistance.suggestion(for: reference.id, among: candidates) {
        problem += " (did you mean \"\(guess)\"?)"
      }
      throw reference.reader.failure(problem)
    }

    let base = KnowledgeBase(
      roles: roles.map(\.value), protocols: protocols.map(\.value), modes: modes.map(\.value),
      hops: ordered, rfcs: rfcs.map(\.value), threats: threats.map(\.value), journeys: journeys.map(\.value),
      providers: providers.map(\.value))
    try checkOptions(hops, in: base)
    try checkJourneys(journeys, in: base)
    return base
  }

  /// The ids mailflow itself names when it builds journeys from measurements must survive an edited
  /// knowledge base: one clear error rather than a journey step that silently loses its mode or protocol.
  private static func requireIDs(
    _ required: [String], _ kind: String, in present: [String], file: String, path: String
  ) throws(KnowledgeBaseError) {
    guard let missing = required.first(where: { !present.contains($0) }) else { return }
    throw KnowledgeBaseError(
      file: file, path: path,
      problem: "the \(kind) \"\(missing)\" is missing; mailflow's probe and trace journeys use it (rename "
        + "its name, not its id)")
  }

  // MARK: - Per-type readers

  private static func readRole(_ r: JSONReader, _ state: inout LoadState) throws(KnowledgeBaseError) -> Role {
    let o = try r.object(allowing: ["id", "name", "side", "definition", "rfcs"])
    return Role(
      id: try identifier(o.required("id")), name: try o.string("name"),
      side: try o.required("side").choice(Role.Side.self), definition: try o.string("definition"),
      rfcs: try state.rfcs(o, "rfcs"))
  }

  private static func readProtocol(_ r: JSONReader, _ state: inout LoadState) throws(KnowledgeBaseError)
    -> MailProtocol
  {
    let o = try r.object(
      allowing: ["id", "name", "port", "implicitTLS", "upgradeCommand", "summary", "rfcs"])
    return MailProtocol(
      id: try identifier(o.required("id")), name: try o.string("name"),
      port: try o.optional("port")?.int(in: 1...65_535), implicitTLS: try o.required("implicitTLS").bool(),
      upgradeCommand: try o.optionalString("upgradeCommand"), summary: try o.string("summary"),
      rfcs: try state.rfcs(o, "rfcs"))
  }

  private static func readMode(_ r: JSONReader, _ state: inout LoadState) throws(KnowledgeBaseError)
    -> SecurityMode
  {
    let o = try r.object(allowing: ["id", "name", "phrase", "short", "rating", "why", "rfcs"])
    let ratingReader = try o.required("rating")
    let rating = try ratingReader.choice(Rating.self)
    guard Rating.knowledgeRatings.contains(rating) else {
      throw ratingReader.failure(
        "\"\(rating.rawValue)\" describes a measurement; a security mode is rated "
          + Rating.knowledgeRatings.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
    }
    return SecurityMode(
      id: try identifier(o.required("id")), name: try o.string("name"),
      phrase: try o.optionalString("phrase") ?? "", short: try o.optionalString("short") ?? "",
      rating: rating, why: try o.string("why"), rfcs: try state.rfcs(o, "rfcs"))
  }

  private static func readHop(_ r: JSONReader, _ state: inout LoadState) throws(KnowledgeBaseError) -> Hop {
    let o = try r.object(allowing: [
      "id", "label", "title", "from", "to", "fromLabel", "toLabel", "direction", "repeatable", "summary",
      "options", "rfcs",
    ])
    let fromRoles = try state.ids(o, "from", .role)
    let toRoles = try state.ids(o, "to", .role)
    var options: [TransportOption] = []
    for element in try o.required("options").elements() {
      let option = try element.object(allowing: ["protocol", "mode", "note"])
      let protocolID = try option.optional("protocol").map { (p) throws(KnowledgeBaseError) in
        try state.id(p, .protocol)
      }
      let modeID = try state.id(option.required("mode"), .mode)
      options.append(
        TransportOption(protocolID: protocolID, modeID: modeID, note: try option.optionalString("note")))
    }
    if options.isEmpty { throw try o.required("options").failure("a hop needs at least one option") }
    return Hop(
      id: try identifier(o.required("id")), label: try o.string("label"), title: try o.string("title"),
      fromRoles: fromRoles, toRoles: toRoles,
      fromLabel: try o.optionalString("fromLabel") ?? fromRoles.joined(separator: "➔"),
      toLabel: try o.optionalString("toLabel") ?? toRoles.joined(separator: "➔"),
      direction: try o.required("direction").choice(Hop.Direction.self),
      repeatable: try o.optional("repeatable")?.bool() ?? false, summary: try o.string("summary"),
      options: options, rfcs: try state.rfcs(o, "rfcs"))
  }

  private static func readRFC(_ r: JSONReader, _ state: inout LoadState) throws(KnowledgeBaseError)
    -> RFCEntry
  {
    let o = try r.object(allowing: [
      "number", "title", "year", "status", "summary", "concerns", "obsoletedBy",
    ])
    let concerns = try o.required("concerns").object(allowing: ["roles", "hops", "modes", "protocols"])
    return RFCEntry(
      number: try o.required("number").int(in: 1...99_999), title: try o.string("title"),
      year: try o.required("year").int(in: 1969...2100), status: try o.string("status"),
      summary: try o.string("summary"),
      concerns: RFCEntry.Concerns(
        roles: try state.ids(concerns, "roles", .role), hops: try state.ids(concerns, "hops", .hop),
        modes: try state.ids(concerns, "modes", .mode),
        protocols: try state.ids(concerns, "protocols", .protocol)),
      obsoletedBy: try state.rfcs(o, "obsoletedBy"))
  }

  private static func readThreat(_ r: JSONReader, _ state: inout LoadState) throws(KnowledgeBaseError)
    -> Threat
  {
    let o = try r.object(allowing: [
      "id", "name", "attacker", "description", "affects", "defendedBy", "defence", "hops", "rfcs",
    ])
    let affects = try state.ids(o, "affects", .mode)
    let defendedBy = try state.ids(o, "defendedBy", .mode)
    if let both = affects.first(where: defendedBy.contains) {
      throw try o.required("defendedBy").failure("mode \"\(both)\" is listed both in affects and defendedBy")
    }
    return Threat(
      id: try identifier(o.required("id")), name: try o.string("name"),
      attacker: try o.required("attacker").choice(Threat.Attacker.self),
      description: try o.string("description"), affects: affects, defendedBy: defendedBy,
      defence: try o.string("defence"), hops: try state.ids(o, "hops", .hop), rfcs: try state.rfcs(o, "rfcs"))
  }

  private static func readProvider(_ r: JSONReader, _ state: inout LoadState) throws(KnowledgeBaseError)
    -> ProviderFamily
  {
    let o = try r.object(allowing: ["id", "name", "domains", "inbound"])
    func hostNames(_ key: String) throws(KnowledgeBaseError) -> [String] {
      let names = try o.strings(key)
      for name in names {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
          labels.allSatisfy({ label in
            !label.isEmpty
              && label.utf8.allSatisfy { $0 == 45 || (48...57).contains($0) || (97...122).contains($0) }
          })
        else {
          throw try o.required(key).failure(
            "\"\(name)\" is not a lowercase host name of two labels or more (no trailing dot)")
        }
      }
      return names
    }
    return ProviderFamily(
      id: try identifier(o.required("id")), name: try o.string("name"), domains: try hostNames("domains"),
      inbound: try hostNames("inbound"))
  }

  private static func readJourney(_ r: JSONReader, _ state: inout LoadState) throws(KnowledgeBaseError)
    -> Journey
  {
    let o = try r.object(allowing: ["id", "name", "summary", "sender", "recipient", "steps"])
    var steps: [JourneyStep] = []
    for element in try o.required("steps").elements() {
      let step = try element.object(allowing: [
        "hop", "protocol", "mode", "title", "narrative", "observer", "observerNote", "transcript",
      ])
      let hopID = try state.id(step.required("hop"), .hop)
      let protocolID = try step.optional("protocol").map { (p) throws(KnowledgeBaseError) in
        try state.id(p, .protocol)
      }
      let modeID = try state.id(step.required("mode"), .mode)
      var transcript: [TranscriptLine] = []
      for lineReader in try step.required("transcript").elements() {
        let speakers = TranscriptLine.Speaker.allCases.map(\.rawValue)
        let line = try lineReader.object(allowing: speakers)
        let present = speakers.compactMap { key in line.optional(key).map { (key, $0) } }
        guard present.count == 1, let (key, textReader) = present.first else {
          throw lineReader.failure("a transcript line has exactly one of " + speakers.joined(separator: ", "))
        }
        transcript.append(
          TranscriptLine(TranscriptLine.Speaker(rawValue: key)!, try textReader.string(allowEmpty: true)))
      }
      steps.append(
        JourneyStep(
          hopID: hopID, option: TransportOption(protocolID: protocolID, modeID: modeID),
          title: try step.string("title"), narrative: try step.string("narrative"),
          observer: try step.required("observer").choice(ObserverView.self),
          observerNote: try step.string("observerNote"), transcript: transcript))
    }
    if steps.isEmpty { throw try o.required("steps").failure("a journey needs at least one step") }
    return Journey(
      id: try identifier(o.required("id")), name: try o.string("name"), summary: try o.string("summary"),
      sender: try o.string("sender"), recipient: try o.string("recipient"), steps: steps)
  }

  // MARK: - Whole-base checks

  /// A journey walks the hops in order, and each step uses a way of carrying its hop that the hop lists.
  private static func checkJourneys(_ journeys: [Located<Journey>], in base: KnowledgeBase)
    throws(KnowledgeBaseError)
  {
    for journey in journeys {
      var lastPosition = 0
      for (i, step) in journey.value.steps.enumerated() {
        let path = "\(journey.reader.path).steps[\(i)]"
        let position = KnowledgeBase.requiredHopIDs.firstIndex(of: step.hopID) ?? 0
        if position < lastPosition {
          throw KnowledgeBaseError(
            file: "journeys.json", path: "\(path).hop",
            problem: "step on hop \"\(step.hopID)\" comes after a later hop; steps follow the journey order",
            location: journey.reader.node.location)
        }
        lastPosition = position
        let hop = base.hop(step.hopID)!
        let listed = hop.options.contains {
          $0.protocolID == step.option.protocolID && $0.modeID == step.option.modeID
        }
        if !listed {
          throw KnowledgeBaseError(
            file: "journeys.json", path: path,
            problem: "\(base.describe(step.option)) is not an option of hop \"\(hop.id)\" in hops.json",
            location: journey.reader.node.location)
        }
      }
    }
  }

  /// Ids are used on the command line and in JSON: no spaces, nothing exotic.
  private static func identifier(_ reader: JSONReader) throws(KnowledgeBaseError) -> String {
    let id = try reader.string()
    let allowed = id.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
    }
    guard allowed else { throw reader.failure("id \"\(id)\" may contain only letters, digits and '-'") }
    return id
  }

  /// The five hops must all be present; they come out in journey order whatever order the file has.
  private static func orderHops(_ hops: [Located<Hop>]) throws(KnowledgeBaseError) -> [Hop] {
    var ordered: [Hop] = []
    for id in KnowledgeBase.requiredHopIDs {
      guard let hop = hops.first(where: { $0.value.id == id }) else {
        throw KnowledgeBaseError(
          file: "hops.json", path: "hops", problem: "required hop \"\(id)\" is missing")
      }
      ordered.append(hop.value)
    }
    if let extra = hops.first(where: { !KnowledgeBase.requiredHopIDs.contains($0.value.id) }) {
      throw extra.reader.failure(
        "unexpected hop \"\(extra.value.id)\"; the hops are "
          + KnowledgeBase.requiredHopIDs.map { "\"\($0)\"" }.joined(separator: ", "))
    }
    return ordered
  }

  /// An option that crosses the network needs a protocol; only internal handling may omit it.
  private static func checkOptions(_ hops: [Located<Hop>], in base: KnowledgeBase) throws(KnowledgeBaseError)
  {
    for hop in hops {
      for (i, option) in hop.value.options.enumerated()
      where option.protocolID == nil && base.rating(of: option) != .internal {
        throw KnowledgeBaseError(
          file: "hops.json", path: "\(hop.reader.path).options[\(i)].protocol",
          problem: "missing required member (only internal options may omit the protocol)",
          location: hop.reader.node.location)
      }
    }
  }
}

/// A value with the reader it came from, to locate later problems.
struct Located<Value> {
  var value: Value
  var reader: JSONReader
}

/// An id used somewhere that must exist in another collection; checked after every file is read.
struct Reference {
  enum Kind: String {
    case role, `protocol`, mode, hop, rfc
  }
  var kind: Kind
  var id: String
  var reader: JSONReader
}

/// What the loader accumulates while reading files: references to check once everything is known.
struct LoadState {
  var references: [Reference] = []

  mutating func readList<T>(
    _ files: [String: String], _ name: String, member: String,
    _ read: (JSONReader, inout LoadState) throws(KnowledgeBaseError) -> T
  ) throws(KnowledgeBaseError) -> [Located<T>] {
    guard let text = files[name] else {
      throw KnowledgeBaseError(file: name, path: "", problem: "file is missing")
    }
    let root: JSONNode
    do {
      root = try JSONParser.parse(text)
    } catch {
      throw KnowledgeBaseError(
        file: name, path: "", problem: "invalid JSON: \(error.message)", location: error.location)
    }
    let top = try JSONReader(file: name, node: root).object(allowing: [member, "$comment"])
    var result: [Located<T>] = []
    for element in try top.required(member).elements() {
      result.append(Located(value: try read(element, &self), reader: element))
    }
    return result
  }

  mutating func ids(_ o: JSONObjectReader, _ key: String, _ kind: Reference.Kind) throws(KnowledgeBaseError)
    -> [String]
  {
    guard let list = o.optional(key) else { return [] }
    var ids: [String] = []
    for element in try list.elements() { ids.append(try id(element, kind)) }
    return ids
  }

  mutating func id(_ reader: JSONReader, _ kind: Reference.Kind) throws(KnowledgeBaseError) -> String {
    let id = try reader.string()
    references.append(Reference(kind: kind, id: id, reader: reader))
    return id
  }

  mutating func rfcs(_ o: JSONObjectReader, _ key: String) throws(KnowledgeBaseError) -> [Int] {
    guard let list = o.optional(key) else { return [] }
    var numbers: [Int] = []
    for element in try list.elements() {
      let number = try element.int(in: 1...99_999)
      references.append(Reference(kind: .rfc, id: String(number), reader: element))
      numbers.append(number)
    }
    return numbers
  }

  func checkUnique<T, ID: Hashable & CustomStringConvertible>(
    _ items: [Located<T>], _ id: KeyPath<T, ID>
  ) throws(KnowledgeBaseError) {
    var seen: [ID: Located<T>] = [:]
    for item in items {
      let key = item.value[keyPath: id]
      if let first = seen[key] {
        throw item.reader.failure("duplicate id \"\(key)\" (first at \(first.reader.path))")
      }
      seen[key] = item
    }
  }
}
