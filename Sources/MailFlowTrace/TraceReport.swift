import MailFlowModel

/// What a message's trace fields say about its journey: each hop oldest first, mapped to a pipeline
/// step and rated by what happened to this message there. Encodes as the documented `trace --json`.
public struct TraceReport: Sendable, Equatable, Encodable {
  public static let schemaVersion = 1

  public struct Message: Sendable, Equatable, Encodable {
    public var from: String?
    public var to: String?
    public var subject: String?
    /// ISO 8601 (UTC) when the Date field could be read.
    public var date: String?
    public var messageId: String?
    public var returnPath: String?
  }

  public struct Endpoint: Sendable, Equatable, Encodable {
    public var helo: String?
    public var host: String?
    public var address: String?
  }

  public struct TLS: Sendable, Equatable, Encodable {
    public var version: String?
    public var cipher: String?
    /// The MTA's client-certificate note, verbatim (e.g. `verify=NO`); not the sender's check.
    public var verified: String?
  }

  public struct Hop: Sendable, Equatable, Encodable {
    /// 1 for the oldest (bottom-most) Received field.
    public var index: Int
    /// Pipeline step: `submission`, `outbound`, `relay` or `delivery`.
    public var step: String
    public var from: Endpoint?
    public var by: String?
    public var with: String?
    public var id: String?
    public var `for`: String?
    public var tls: TLS?
    public var rating: Rating
    public var timestamp: String?
    /// Seconds since the previous hop (or, for the first, since the Date field); negative means the
    /// clocks disagree.
    public var delaySeconds: Int?
    public var clockSkew: Bool
    public var raw: String
    public var parsed: Bool
    /// Why the hop got its step and rating, and what the annotations mean.
    public var notes: [String]
  }

  public struct AuthenticationResult: Sendable, Equatable, Encodable {
    public var authservId: String
    public var method: String
    public var result: String
    public var detail: String?
  }

  public struct Authentication: Sendable, Equatable, Encodable {
    public var results: [AuthenticationResult]
    /// Number of ARC sets (ARC-Seal fields) present.
    public var arcSets: Int
    /// `TLS-Required: No` (RFC 8689): the sender asked for delivery even without TLS.
    public var tlsRequiredNo: Bool
  }

  public struct Overall: Sendable, Equatable, Encodable {
    public var rating: Rating
    /// Index of the weakest rated hop.
    public var limitedBy: Int?
  }

  public var schemaVersion = TraceReport.schemaVersion
  public var message: Message
  public var hops: [Hop]
  public var authentication: Authentication
  public var overall: Overall
  /// From the Date field (or the first hop) to the last hop.
  public var totalSeconds: Int?
}

extension TraceReport.Hop {
  enum CodingKeys: String, CodingKey {
    case index, step, from, by, with, id, `for`, tls, rating, timestamp, delaySeconds, clockSkew, raw, parsed,
      notes
  }

  /// Every key present, `null` when unknown, so scripts can rely on the shape.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(index, forKey: .index)
    try c.encode(step, forKey: .step)
    try c.encode(from, forKey: .from)
    try c.encode(by, forKey: .by)
    try c.encode(with, forKey: .with)
    try c.encode(id, forKey: .id)
    try c.encode(`for`, forKey: .for)
    try c.encode(tls, forKey: .tls)
    try c.encode(rating, forKey: .rating)
    try c.encode(timestamp, forKey: .timestamp)
    try c.encode(delaySeconds, forKey: .delaySeconds)
    try c.encode(clockSkew, forKey: .clockSkew)
    try c.encode(raw, forKey: .raw)
    try c.encode(parsed, forKey: .parsed)
    try c.encode(notes, forKey: .notes)
  }
}

// Every key is written, `null` when unknown (synthesized encoding would leave keys out), so that scripts
// can rely on the documented shape.

extension TraceReport {
  enum CodingKeys: String, CodingKey {
    case schemaVersion, message, hops, authentication, overall, totalSeconds
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(schemaVersion, forKey: .schemaVersion)
    try c.encode(message, forKey: .message)
    try c.encode(hops, forKey: .hops)
    try c.encode(authentication, forKey: .authentication)
    try c.encode(overall, forKey: .overall)
    try c.encode(totalSeconds, forKey: .totalSeconds)
  }
}

extension TraceReport.Message {
  enum CodingKeys: String, CodingKey { case from, to, subject, date, messageId, returnPath }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(from, forKey: .from)
    try c.encode(to, forKey: .to)
    try c.encode(subject, forKey: .subject)
    try c.encode(date, forKey: .date)
    try c.encode(messageId, forKey: .messageId)
    try c.encode(returnPath, forKey: .returnPath)
  }
}

extension TraceReport.Endpoint {
  enum CodingKeys: String, CodingKey { case helo, host, address }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(helo, forKey: .helo)
    try c.encode(host, forKey: .host)
    try c.encode(address, forKey: .address)
  }
}

extension TraceReport.TLS {
  enum CodingKeys: String, CodingKey { case version, cipher, verified }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(version, forKey: .version)
    try c.encode(cipher, forKey: .cipher)
    try c.encode(verified, forKey: .verified)
  }
}

extension TraceReport.AuthenticationResult {
  enum CodingKeys: String, CodingKey { case authservId, method, result, detail }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(authservId, forKey: .authservId)
    try c.encode(method, forKey: .method)
    try c.encode(result, forKey: .result)
    try c.encode(detail, forKey: .detail)
  }
}

extension TraceReport.Overall {
  enum CodingKeys: String, CodingKey { case rating, limitedBy }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(rating, forKey: .rating)
    try c.encode(limitedBy, forKey: .limitedBy)
  }
}
