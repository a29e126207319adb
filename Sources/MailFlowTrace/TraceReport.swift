import MailFlowModel

/// What a message's trace fields say about its journey: each hop oldest first, mapped to a pipeline
/// step and rated by what happened to this message there. Encodes as the documented `trace --json`.
public struct TraceReport: Sendable, Equatable, Codable {
  public static let schemaVersion = 1

  public struct Message: Sendable, Equatable, Codable {
    @NullEncodable public var from: String?
    @NullEncodable public var to: String?
    @NullEncodable public var subject: String?
    /// ISO 8601 (UTC) when the Date field could be read.
    @NullEncodable public var date: String?
    @NullEncodable public var messageId: String?
    @NullEncodable public var returnPath: String?
    /// The organisational domain of the From address (`mail.example.co.uk` → `example.co.uk`).
    @NullEncodable public var senderDomain: String? = nil
  }

  public struct Endpoint: Sendable, Equatable, Codable {
    @NullEncodable public var helo: String?
    @NullEncodable public var host: String?
    @NullEncodable public var address: String?
  }

  public struct TLS: Sendable, Equatable, Codable {
    @NullEncodable public var version: String?
    @NullEncodable public var cipher: String?
    /// The MTA's client-certificate note, verbatim (e.g. `verify=NO`); not the sender's check.
    @NullEncodable public var verified: String?
  }

  public struct Hop: Sendable, Equatable, Codable {
    /// 1 for the oldest (bottom-most) Received field.
    public var index: Int
    /// Pipeline step: `submission`, `outbound`, `relay` or `delivery`.
    public var step: HopID
    @NullEncodable public var from: Endpoint?
    @NullEncodable public var by: String?
    @NullEncodable public var with: String?
    @NullEncodable public var id: String?
    @NullEncodable public var `for`: String?
    @NullEncodable public var tls: TLS?
    public var rating: Rating
    @NullEncodable public var timestamp: String?
    /// Seconds since the previous hop (or, for the first, since the Date field); negative means the
    /// clocks disagree.
    @NullEncodable public var delaySeconds: Int?
    public var clockSkew: Bool
    public var raw: String
    public var parsed: Bool
    /// Why the hop got its step and rating, and what the annotations mean.
    public var notes: [String]
    /// Who runs the sending end (its provider or organisational domain; `private network`, `this
    /// server`), as the organisation model saw it.
    @NullEncodable public var fromOrganisation: String? = nil
    /// Who runs the receiving end.
    @NullEncodable public var byOrganisation: String? = nil
    /// The message passed here from one organisation to another (over the internet).
    public var crossesOrganisations: Bool = false
  }

  public struct AuthenticationResult: Sendable, Equatable, Codable {
    public var authservId: String
    public var method: String
    public var result: String
    @NullEncodable public var detail: String?
  }

  public struct Authentication: Sendable, Equatable, Codable {
    public var results: [AuthenticationResult]
    /// Number of ARC sets (ARC-Seal fields) present.
    public var arcSets: Int
    /// `TLS-Required: No` (RFC 8689): the sender asked for delivery even without TLS.
    public var tlsRequiredNo: Bool
  }

  public struct Overall: Sendable, Equatable, Codable {
    public var rating: Rating
    /// Index of the weakest rated hop.
    @NullEncodable public var limitedBy: Int?
  }

  public var schemaVersion = TraceReport.schemaVersion
  public var message: Message
  public var hops: [Hop]
  public var authentication: Authentication
  public var overall: Overall
  /// From the Date field (or the first hop) to the last hop.
  @NullEncodable public var totalSeconds: Int?
}
