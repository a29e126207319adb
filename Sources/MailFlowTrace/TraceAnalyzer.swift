import MailFlowModel

/// Turns a message's header section into a `TraceReport`: orders the Received fields oldest first,
/// maps each to a pipeline step and rates it by what happened to this message there. Pure.
public enum TraceAnalyzer {
  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    case noReceivedFields

    public var description: String {
      "no Received fields: the message carries no record of its journey (was it saved before sending?)"
    }
  }

  /// - Parameter organisations: who runs which hosts (provider families, the Public Suffix List);
  ///   without them, organisations are told apart by the last labels of host names.
  public static func analyze(_ header: HeaderSection, organisations: Organisations = .plain) throws(Failure)
    -> TraceReport
  {
    // Values only, oldest first, without an array of whole fields (a dozen strings each) in between.
    let values = header.fields.indices.reversed().compactMap {
      header.fields[$0].is("Received") ? header.fields[$0].value : nil
    }
    guard !values.isEmpty else { throw .noReceivedFields }
    let fields = parseAll(values)
    let messageDate = header.first("Date").flatMap { MessageDate.parse($0.value) }
    // By index: passing each field on copies it (a dozen strings retained and released on both cores).
    let placements = ParallelMap.map(Array(fields.indices)) { place(fields[$0], organisations) }
    let steps = self.steps(fields, placements)

    // Each hop's delay is from the last timestamp before it (or the message's Date).
    var previousDates: [MessageDate?] = []
    previousDates.reserveCapacity(fields.count)
    var previous = messageDate
    for index in fields.indices {
      previousDates.append(previous)
      if let date = fields[index].date { previous = date }
    }
    let hops = ParallelMap.map(Array(fields.indices)) { [previousDates] offset in
      hop(
        offset, fields[offset], placement: placements[offset], step: steps[offset],
        previous: previousDates[offset], organisations: organisations)
    }

    // Hops are read in place, by index: iterating them (`map`, `first`) copies each one, a dozen strings
    // retained and released, which showed in traces of 20,000 hops.
    let ratings = hops.indices.map { hops[$0].rating }
    let first = Rating.firstWeakest(ratings)
    var weakest = first.map { ratings[$0] }
    var limitedBy = first.map { hops[$0].index }
    // A hop between organisations whose protection is not recorded could have been cleartext: the
    // message is then not ✔ (nor ✘ alone) but unknown, unless a hop is already known to be cleartext.
    if weakest != .insecure && weakest != .broken,
      let blind = hops.indices.first(where: {
        hops[$0].rating == .unknown && (hops[$0].crossesOrganisations || hops[$0].step == .submission)
      })
    {
      weakest = .unknown
      limitedBy = hops[blind].index
    }
    let start = messageDate ?? fields.first?.date
    let end = fields.last(where: { $0.date != nil })?.date
    let report = TraceReport(
      message: message(header, date: messageDate, organisations: organisations), hops: hops,
      authentication: authentication(header),
      overall: TraceReport.Overall(
        rating: weakest ?? (ratings.allSatisfy { $0 == .internal } ? .internal : .unknown),
        limitedBy: limitedBy),
      totalSeconds: start.flatMap { s in end.map { $0.secondsSince1970 - s.secondsSince1970 } })
    // What the report does not keep is freed beside the caller's next step (for 20,000 fields, freeing
    // them here took a fiftieth of a second on one core while the other waited).
    BackgroundRelease.release((values, fields, placements))
    return report
  }

  /// One hop of the report: its field as read, where it ran, its rating and every note on it.
  static func hop(
    _ offset: Int, _ field: ReceivedField, placement: Placement, step: (step: HopID, note: String?),
    previous: MessageDate?, organisations: Organisations
  ) -> TraceReport.Hop {
    var notes = [step.note, placement.note].compactMap { $0 }
    if !organisations.usesPublicSuffixList, placement.kind == .crossing || placement.kind == .inside {
      notes.append(
        "Organisations by the last labels of names: no Public Suffix List here (apt-get install publicsuffix)."
      )
    }
    let rating = rate(field, placement: placement, step: step.step, notes: &notes)
    var delay: Int?
    var skew = false
    if let date = field.date, let previous {
      let seconds = date.secondsSince1970 - previous.secondsSince1970
      delay = seconds
      if seconds < 0 {
        skew = true
        notes.append(
          "This timestamp is \(-seconds) s earlier than the one before it: the servers' clocks disagree.")
      }
    }
    notes += field.problems.map { "Unparsed part: \($0)." }
    return TraceReport.Hop(
      index: offset + 1, step: step.step,
      from: field.from.map { TraceReport.Endpoint(helo: $0.helo, host: $0.host, address: $0.address) },
      by: field.by, with: field.with, id: field.id, for: field.forAddress,
      tls: field.tls.map { TraceReport.TLS(version: $0.version, cipher: $0.cipher, verified: $0.verified) },
      rating: rating, timestamp: field.date?.iso8601, delaySeconds: delay, clockSkew: skew,
      raw: field.raw, parsed: field.parsed, notes: notes, fromOrganisation: placement.from,
      byOrganisation: placement.by, crossesOrganisations: placement.kind == .crossing)
  }

  // MARK: - Where each hop runs

  /// Where a hop ran, by who runs its two ends.
  struct Placement: Equatable {
    enum Kind: Equatable {
      /// Not the shape of a Received field.
      case unparsed
      /// LMTP: the hand-over to the message store.
      case lmtp
      /// Fetched with POP3 or IMAP (fetchmail, getmail).
      case retrieval
      /// No network client: handed over inside one server (a program, webmail, an API).
      case handIn
      /// The client connected from a private or loopback address.
      case privateClient
      /// Both ends run by one organisation or provider.
      case inside
      /// From one organisation to another: over the internet.
      case crossing
    }
    var kind: Kind
    var from: String?
    var by: String?
    var note: String?
    /// Into a provider's inbound (MX) servers: a relay even as the oldest record.
    var intoInbound = false
  }

  static func place(_ field: ReceivedField, _ organisations: Organisations) -> Placement {
    guard field.parsed else { return Placement(kind: .unparsed) }
    let type = field.transmission
    // Each end's name normalised once for its several lookups.
    let byName = Organisations.name(field.by)
    let byOwner = organisations.owner(ofName: byName)
    if type?.base == .lmtp {
      return Placement(
        kind: .lmtp, by: byOwner?.description,
        note: "LMTP: the hand-over to the mailbox (MDA → message store).")
    }
    if let with = field.with, with.hasPrefixIgnoringCase("pop3") || with.hasPrefixIgnoringCase("imap") {
      return Placement(
        kind: .retrieval, by: byOwner?.description,
        note: "Fetched from a mailbox with \(with.split(separator: " ").first ?? "") (fetchmail or getmail): "
          + "the recipient's own retrieval from the message store.")
    }
    guard let from = field.from, !field.isLocal else {
      let place = byOwner.map { "inside \($0)" } ?? "inside one server"
      return Placement(
        kind: .handIn, from: "this server", by: byOwner?.description,
        note: "No sending host: handed over \(place) (a program, webmail or an API on the server); how the "
          + "sender reached it is not recorded.")
    }
    if let address = from.address, isPrivate(address) {
      return Placement(
        kind: .privateClient, from: "private network", by: byOwner?.description,
        note: "The connecting address \(address) is private: a hop inside one network"
          + (from.helo.map { " (whatever the client called itself: \($0))" } ?? "") + ".")
    }
    // The name the receiving server found for the client (reverse DNS) counts; the client's own HELO
    // name counts only between two servers of one provider, where no outsider connects.
    let fromName = Organisations.name(from.host)
    var fromOwner = organisations.owner(ofName: fromName)
    var heloNote: String?
    if fromOwner == nil, let helo = organisations.owner(of: from.helo), case .provider = helo,
      helo == byOwner,
      organisations.inboundFamily(ofName: byName) == nil
    {
      fromOwner = helo
      heloNote = " (the sender named by its HELO, which only the provider's own servers reach)"
    } else if fromOwner == nil, from.address == nil, let named = organisations.owner(of: from.helo) {
      // Early mail recorded only the client's name (`from etlpom.etl.go.jp by etlpost.etl.go.jp`):
      // with no address at all, that name is the only record there is.
      fromOwner = named
      heloNote = " (the sender known only by the name it gave: no address was recorded)"
    }
    if let family = organisations.inboundFamily(ofName: byName),
      organisations.inboundFamily(ofName: from.host == nil ? Organisations.name(from.helo) : fromName) == nil
    {
      return Placement(
        kind: .crossing, from: fromOwner?.description, by: byOwner?.description,
        note:
          "Into \(family.name)'s inbound servers: mail from another organisation, even when it comes from "
          + "a customer of the same provider.", intoInbound: true)
    }
    if let fromOwner, fromOwner == byOwner {
      return Placement(
        kind: .inside, from: fromOwner.description, by: byOwner?.description,
        note: "Both ends are in \(fromOwner): a hop inside one organisation"
          + (heloNote ?? "") + ".")
    }
    let sender =
      fromOwner?.description
      ?? "a host the receiving server recorded no name for"
      + (from.address.map { " (\($0))" } ?? "") + (from.helo.map { ", calling itself \($0)" } ?? "")
    return Placement(
      kind: .crossing, from: fromOwner?.description, by: byOwner?.description,
      note:
        "From \(sender) to \(byOwner?.description ?? field.by ?? "an unnamed server"): the message passed "
        + "between organisations here.")
  }

  // MARK: - Steps

  /// The steps, from where the organisation changes: one submission at most (the first hand-in or
  /// authenticated client before any crossing), a relay at each crossing, and the hops inside an
  /// organisation named by where they lie — before the first crossing the sender's (outbound), after
  /// the last the recipient's (delivery), in between an intermediary's (relay).
  static func steps(_ fields: [ReceivedField], _ placements: [Placement]) -> [(step: HopID, note: String?)] {
    var steps: [(step: HopID, note: String?)?] = Array(repeating: nil, count: fields.count)
    var submitted = false
    var relays: [Int] = []
    // A submission that already crossed into another organisation: the hops after it are inside the
    // organisation that received it.
    var crossingSubmission: Int?
    // By index: a field is a dozen strings, and a copy of each per hop showed in 20,000-hop traces.
    for index in fields.indices {
      let placement = placements[index]
      switch placement.kind {
      case .lmtp:
        steps[index] = (.delivery, nil)
      case .retrieval:
        steps[index] = (.retrieval, nil)
      case .unparsed:
        // Unread, it cannot claim the submission: an authenticated hop after it still can.
        if index == 0 { steps[index] = (.submission, nil) }
      case .crossing:
        // The oldest record, when it already crosses between organisations, is the sender's program
        // handing the message in (a client at home or on an ISP's network, authenticated or not): had a
        // server of the sender's own passed it on, that server would have written the first record.
        // Into a provider's inbound MX it is a relay: those servers only receive from other servers.
        if !submitted && relays.isEmpty
          && (fields[index].authenticated || (index == 0 && !placement.intoInbound))
        {
          submitted = true
          crossingSubmission = index
          steps[index] = (.submission, submissionNote(fields[index]))
        } else {
          relays.append(index)
          steps[index] = (
            .relay,
            fields[index].authenticated
              ? "The client authenticated, but after the message had been submitted: a smarthost or forwarder "
                + "relaying with a password, still between organisations." : nil
          )
        }
      case .handIn, .privateClient, .inside:
        if !submitted && relays.isEmpty && (index == 0 || fields[index].authenticated) {
          submitted = true
          steps[index] = (.submission, submissionNote(fields[index]))
        }
      }
    }
    return steps.enumerated().map { index, decided in
      if let decided { return decided }
      let reinjected =
        fields[index].authenticated && relays.contains { $0 < index }
        ? " The client authenticated after the message had arrived: a re-injection (a content filter "
          + "handing it back), not a second submission." : ""
      if let last = [relays.last, crossingSubmission].compactMap({ $0 }).max(), index > last {
        return (.delivery, "Inside the receiving side, after the message arrived." + reinjected)
      }
      guard let first = relays.first, index > first else {
        return (.outbound, "Inside the sending side, before the message left it." + reinjected)
      }
      return (
        .relay,
        "Inside an intermediary between two crossings (a forwarder, gateway or filtering service)."
          + reinjected
      )
    }
  }

  static func submissionNote(_ field: ReceivedField) -> String {
    if field.authenticated {
      return "The client authenticated (\(field.with ?? "AUTH")): a submission by the sender's mail program."
    }
    if let base = field.transmission?.base, base == .http || base == .mapi {
      return
        "Submitted through \(field.with ?? base.rawValue) (webmail, an API or Outlook talking to its server)."
    }
    return "The first hop: where the message entered the mail system."
  }

  // MARK: - Ratings

  static func rate(_ field: ReceivedField, placement: Placement, step: HopID, notes: inout [String]) -> Rating
  {
    switch placement.kind {
    case .unparsed:
      notes.append("This field does not have the shape of a Received field; it is kept as written.")
      return .unknown
    case .privateClient
    where step == .submission && !isLoopback(field.from?.address) && field.transmission?.base != .mapi
      && field.transmission?.base != .http,
      .inside where step == .submission && field.from?.address != nil && field.transmission?.base == .smtp:
      // A client that reached its server across a network — a LAN, Wi-Fi, or an ISP's own network
      // (whose customers' names are in the ISP's domain) — exposed whatever its field says it did.
      notes.append("A submission across a network: rated by what its field records.")
    case .lmtp, .handIn, .privateClient, .inside:
      return .internal
    case .retrieval:
      if field.tls == nil && !(field.transmission?.tls ?? false) {
        notes.append("The fetching program does not record whether it used TLS: not enough evidence.")
        return .unknown
      }
    case .crossing:
      if field.transmission?.base == .mapi {
        notes.append("MAPI: Outlook talking to Exchange; its encryption is not recorded here.")
        return .internal
      }
    }
    return rateByTLS(field, notes: &notes)
  }

  /// A hop between organisations, by what its field records of TLS.
  static func rateByTLS(_ field: ReceivedField, notes: inout [String]) -> Rating {
    let type = field.transmission
    let tlsRecorded = (type?.tls ?? false) || field.tls != nil
    if let version = field.tls?.version, let number = ReceivedParser.versionNumber(version) {
      if let verified = field.tls?.verified {
        notes.append(
          "\"\(verified)\" is the receiving MTA's note about a client certificate; it says nothing about "
            + "whether the sender checked the receiver's certificate.")
      }
      if number >= (1, 2) {
        notes.append(
          "\(version) recorded: this hop crossed the network encrypted. A trace cannot show whether TLS was "
            + "required or whether the server's certificate was checked.")
        return .secure
      }
      notes.append("\(version) recorded: encrypted, but with a protocol version deprecated by RFC 8996.")
      return .weak
    }
    if tlsRecorded {
      notes.append(
        "TLS recorded (\(field.with ?? "cipher noted")) without its version: encrypted in transit; "
          + "the version cannot be judged.")
      return .secure
    }
    guard let with = field.with, type?.base != .unknown else {
      notes.append("No protocol recorded: not enough evidence to say whether this hop was encrypted.")
      return .unknown
    }
    if type?.base == .http {
      // APIs and web mail write `HTTP` whether or not the request came over HTTPS.
      notes.append("\(with): a web or API hand-in; the field does not say whether it was HTTPS.")
      return .unknown
    }
    notes.append("\(with) without TLS: this hop crossed the network in cleartext.")
    return .insecure
  }

  // MARK: - Helpers

  /// Every field parsed; a long trace on every core.
  static func parseAll(_ values: [String]) -> [ReceivedField] {
    ParallelMap.map(values) { ReceivedParser.parse($0) }
  }

  /// 127.0.0.0/8 and ::1: the same machine.
  static func isLoopback(_ address: String?) -> Bool {
    guard let address else { return false }
    return address == "::1" || address.hasPrefix("127.") || address.lowercased() == "::ffff:127.0.0.1"
  }

  /// Loopback, private and link-local addresses (RFC 1918, RFC 6598, RFC 4193, RFC 4291).
  static func isPrivate(_ address: String?) -> Bool {
    guard let address else { return false }
    if address.utf8.contains(58) {
      let address = address.lowercased()
      return address == "::1" || address.hasPrefix("fc") || address.hasPrefix("fd")
        || address.hasPrefix("fe80")
    }
    // Four decimal parts, read from the bytes (this runs for every hop of a trace); the first two decide.
    var leading = (0, 0)
    var value = 0
    var part = 0
    var digits = 0
    for byte in address.utf8 {
      if byte == 46 {
        guard digits > 0, part < 3 else { return false }
        if part == 0 { leading.0 = value } else if part == 1 { leading.1 = value }
        part += 1
        (value, digits) = (0, 0)
      } else if byte >= 48 && byte <= 57, digits < 3 {
        value = value * 10 + Int(byte - 48)
        digits += 1
      } else {
        return false
      }
    }
    guard part == 3, digits > 0 else { return false }
    switch leading {
    case (10, _), (127, _), (192, 168), (169, 254): return true
    case (172, 16...31), (100, 64...127): return true
    default: return false
    }
  }

  static func message(_ header: HeaderSection, date: MessageDate?, organisations: Organisations)
    -> TraceReport.Message
  {
    func decoded(_ name: String) -> String? {
      header.first(name).map { TextDecoding.decodeEncodedWords($0.value) }
    }
    let from = decoded("From")
    return TraceReport.Message(
      from: from, to: decoded("To"), subject: decoded("Subject"), date: date?.iso8601,
      messageId: header.first("Message-ID")?.value, returnPath: header.first("Return-Path")?.value,
      senderDomain: senderDomain(from, organisations))
  }

  /// The organisational domain of the address in a From field (`Name <user@mail.example.org>`).
  static func senderDomain(_ from: String?, _ organisations: Organisations) -> String? {
    guard let from, let at = from.lastIndex(of: "@") else { return nil }
    let domain = from[from.index(after: at)...].prefix { $0 != ">" && $0 != " " && $0 != ")" && $0 != "," }
    return organisations.organisationalDomain(String(domain))
  }

  /// Authentication-Results (RFC 8601) summarised: `method=result` pairs per authserv-id.
  static func authentication(_ header: HeaderSection) -> TraceReport.Authentication {
    var results: [TraceReport.AuthenticationResult] = []
    for field in header.all("Authentication-Results") {
      let parts = field.value.split(separator: ";").map { String($0).trimmingCharacters(in: " \t") }
      guard let authserv = parts.first?.split(separator: " ").first.map(String.init) else { continue }
      for part in parts.dropFirst() {
        // Comments such as "(p=reject dis=none)" are dropped; the words carry the result.
        let words = ReceivedParser.tokenize(part).compactMap { if case .word(let w) = $0 { w } else { nil } }
        guard let first = words.first, let equals = first.firstIndex(of: "=") else { continue }
        let method = String(first[..<equals])
        let result = String(first[first.index(after: equals)...])
        let detail = words.dropFirst().joined(separator: " ")
        results.append(
          TraceReport.AuthenticationResult(
            authservId: authserv, method: method, result: result, detail: detail.isEmpty ? nil : detail))
      }
    }
    let tlsRequired = header.first("TLS-Required")?.value.lowercased().hasPrefix("no") ?? false
    return TraceReport.Authentication(
      results: results, arcSets: header.all("ARC-Seal").count, tlsRequiredNo: tlsRequired)
  }
}
