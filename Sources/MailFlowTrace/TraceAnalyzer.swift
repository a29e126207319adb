import Dispatch
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

  public static func analyze(_ header: HeaderSection) throws(Failure) -> TraceReport {
    let receivedFields = header.all("Received")
    guard !receivedFields.isEmpty else { throw .noReceivedFields }
    let fields = parseAll(receivedFields.reversed().map(\.value))
    let messageDate = header.first("Date").flatMap { MessageDate.parse($0.value) }

    var hops: [TraceReport.Hop] = []
    var relaySeen = false
    var previous = messageDate
    for (offset, field) in fields.enumerated() {
      var notes: [String] = []
      let step = classify(field, position: offset, relaySeen: &relaySeen, notes: &notes)
      let rating = rate(field, step: step, notes: &notes)
      var delay: Int?
      var skew = false
      if let date = field.date, let before = previous {
        delay = date.secondsSince1970 - before.secondsSince1970
        if delay! < 0 {
          skew = true
          notes.append(
            "This timestamp is \(-delay!) s earlier than the one before it: the servers' clocks disagree.")
        }
      }
      if field.date != nil { previous = field.date }
      notes += field.problems.map { "Unparsed part: \($0)." }
      hops.append(
        TraceReport.Hop(
          index: offset + 1, step: step,
          from: field.from.map { TraceReport.Endpoint(helo: $0.helo, host: $0.host, address: $0.address) },
          by: field.by, with: field.with, id: field.id, for: field.forAddress,
          tls: field.tls.map {
            TraceReport.TLS(version: $0.version, cipher: $0.cipher, verified: $0.verified)
          },
          rating: rating, timestamp: field.date?.iso8601, delaySeconds: delay, clockSkew: skew,
          raw: field.raw,
          parsed: field.parsed, notes: notes))
    }

    let weakest = Rating.weakest(hops.map(\.rating))
    let limitedBy = weakest.flatMap { w in hops.first { $0.rating == w }?.index }
    let start = messageDate ?? fields.first?.date
    let end = fields.last(where: { $0.date != nil })?.date
    return TraceReport(
      message: message(header, date: messageDate), hops: hops, authentication: authentication(header),
      overall: TraceReport.Overall(
        rating: weakest ?? (hops.allSatisfy { $0.rating == .internal } ? .internal : .unknown),
        limitedBy: limitedBy),
      totalSeconds: start.flatMap { s in end.map { $0.secondsSince1970 - s.secondsSince1970 } })
  }

  // MARK: - Steps

  static func classify(_ field: ReceivedField, position: Int, relaySeen: inout Bool, notes: inout [String])
    -> HopID
  {
    let type = field.transmission
    let internalStep: HopID = relaySeen ? .delivery : .outbound
    if !field.parsed {
      return position == 0 ? .submission : internalStep
    }
    if let type, type.base == .lmtp {
      notes.append("LMTP: the hand-over to the mailbox (MDA → message store).")
      return .delivery
    }
    if field.from == nil || field.isLocal {
      if position == 0 && !relaySeen {
        notes.append(
          "No sending host: the message was handed in locally (a program or webmail on the server).")
        return .submission
      }
      // Before the first relay it is the sending side (MSA → MTA), not the recipient's delivery.
      guard relaySeen else {
        notes.append("Local hand-over inside the sending system, before the message left it.")
        return .outbound
      }
      notes.append("Local hand-over inside the receiving system.")
      return .delivery
    }
    if field.authenticated {
      notes.append(
        "The client authenticated (\(field.with ?? "AUTH")): a submission by the sender's mail program.")
      return .submission
    }
    if position == 0, let base = type?.base, base == .http || base == .mapi {
      notes.append(
        "Submitted through \(field.with ?? base.rawValue) (webmail or Outlook talking to its server).")
      return .submission
    }
    if isPrivate(field.from?.address) {
      notes.append("The sending address \(field.from!.address!) is private: a hop inside one network.")
      return internalStep
    }
    let fromDomain = organizationalDomain(field.from?.host ?? field.from?.helo)
    let byDomain = organizationalDomain(field.by)
    if let fromDomain, fromDomain == byDomain {
      notes.append("Both ends are in \(fromDomain): a hop inside one organisation.")
      return internalStep
    }
    relaySeen = true
    return .relay
  }

  // MARK: - Ratings

  static func rate(_ field: ReceivedField, step: HopID, notes: inout [String]) -> Rating {
    guard field.parsed else {
      notes.append("This field does not have the shape of a Received field; it is kept as written.")
      return .unknown
    }
    let type = field.transmission
    if step == .outbound || step == .delivery || type?.base == .mapi || field.isLocal {
      return .internal
    }
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
    notes.append("\(with) without TLS: this hop crossed the network in cleartext.")
    return .insecure
  }

  // MARK: - Helpers

  /// Every field parsed; a long trace in chunks on every core (each field is parsed on its own, so the
  /// result is the same as in order).
  static func parseAll(_ values: [String]) -> [ReceivedField] {
    guard values.count >= 512 else { return values.map(ReceivedParser.parse) }
    let chunks = min(values.count / 256, 64)
    let size = (values.count + chunks - 1) / chunks
    let results = ParsedChunks(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      let range = chunk * size..<min(values.count, (chunk + 1) * size)
      results.store(chunk, values[range].map(ReceivedParser.parse))
    }
    return results.joined
  }

  /// Loopback, private and link-local addresses (RFC 1918, RFC 6598, RFC 4193, RFC 4291).
  static func isPrivate(_ address: String?) -> Bool {
    guard let address = address?.lowercased() else { return false }
    if address.contains(":") {
      return address == "::1" || address.hasPrefix("fc") || address.hasPrefix("fd")
        || address.hasPrefix("fe80")
    }
    let octets = address.split(separator: ".").compactMap { Int($0) }
    guard octets.count == 4 else { return false }
    switch (octets[0], octets[1]) {
    case (10, _), (127, _), (192, 168), (169, 254): return true
    case (172, 16...31), (100, 64...127): return true
    default: return false
    }
  }

  static let twoLevelSuffixes: Set<String> = [
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.jp", "ne.jp", "or.jp", "com.br",
    "co.nz", "co.za", "com.cn", "com.mx", "co.in", "com.tr", "co.kr",
  ]

  /// The registrable domain of a host name (`mx1.mail.example.org` → `example.org`), by a small list of
  /// two-level public suffixes; `nil` for address literals and single labels.
  static func organizationalDomain(_ host: String?) -> String? {
    guard let host, !host.hasPrefix("["), !ReceivedParser.isIPAddress(host) else { return nil }
    // The last two (or three) labels, lowercased, found by walking back over the bytes.
    // Empty labels ("a..b") count for nothing, as they did when the name was split.
    var bytes: [UInt8] = []
    for byte in host.utf8 where !(byte == 46 && bytes.last == 46) { bytes.append(byte) }
    while bytes.last == 46 { bytes.removeLast() }
    var start = 0
    while start < bytes.count, bytes[start] == 46 { start += 1 }
    var dots: [Int] = []
    var index = bytes.count - 1
    while index >= start, dots.count < 3 {
      if bytes[index] == 46 { dots.append(index) }
      index -= 1
    }
    guard !dots.isEmpty else { return nil }
    func lowered(from: Int) -> String {
      String(decoding: bytes[from...].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
    let lastTwo = lowered(from: dots.count > 1 ? dots[1] + 1 : start)
    if twoLevelSuffixes.contains(lastTwo), dots.count > 1 {
      return lowered(from: dots.count > 2 ? dots[2] + 1 : start)
    }
    return lastTwo
  }

  static func message(_ header: HeaderSection, date: MessageDate?) -> TraceReport.Message {
    func decoded(_ name: String) -> String? {
      header.first(name).map { TextDecoding.decodeEncodedWords($0.value) }
    }
    return TraceReport.Message(
      from: decoded("From"), to: decoded("To"), subject: decoded("Subject"), date: date?.iso8601,
      messageId: header.first("Message-ID")?.value, returnPath: header.first("Return-Path")?.value)
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

/// The chunks of `parseAll`, each written once by its own iteration.
private final class ParsedChunks: @unchecked Sendable {
  private var chunks: [[ReceivedField]]
  private let lock = DispatchQueue(label: "mailflow.trace.chunks")

  init(count: Int) { chunks = Array(repeating: [], count: count) }

  func store(_ index: Int, _ fields: [ReceivedField]) { lock.sync { chunks[index] = fields } }

  var joined: [ReceivedField] { lock.sync { chunks.flatMap { $0 } } }
}
