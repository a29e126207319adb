/// One Received trace field (RFC 5321 §4.4, RFC 5322 §3.6.7), taken apart. Fields that do not follow
/// the grammar are kept with `parsed == false` and whatever could be read, never dropped.
public struct ReceivedField: Sendable, Equatable {
  /// The sending side as the receiving server recorded it.
  public struct Sender: Sendable, Equatable {
    /// The name the client gave in HELO/EHLO.
    public var helo: String?
    /// The name the server found by reverse DNS, when it recorded one.
    public var host: String?
    /// The client's IP address.
    public var address: String?

    public init(helo: String? = nil, host: String? = nil, address: String? = nil) {
      self.helo = helo
      self.host = host
      self.address = address
    }
  }

  /// TLS details as the receiving MTA wrote them.
  public struct TLSDetails: Sendable, Equatable {
    /// Normalised, e.g. `TLSv1.3`; `nil` when only the fact of TLS was recorded.
    public var version: String?
    public var cipher: String?
    /// A client-certificate annotation (`verify=NO`, `No client certificate requested`), which says
    /// nothing about whether the sender checked the receiver.
    public var verified: String?

    public init(version: String? = nil, cipher: String? = nil, verified: String? = nil) {
      self.version = version
      self.cipher = cipher
      self.verified = verified
    }
  }

  public var from: Sender?
  public var by: String?
  /// Software named next to `by`, e.g. `Postfix`, `Exim 4.96`.
  public var software: String?
  public var via: String?
  /// The protocol after `with`; its transmission type is read once, when it is set.
  public var with: String? { didSet { transmission = with.map(TransmissionType.parse) } }
  public var id: String?
  public var forAddress: String?
  public var date: MessageDate?
  public var tls: TLSDetails?
  /// The client authenticated (an A in the protocol, or an "Authenticated sender" note).
  public var authenticated: Bool
  /// Handling inside one server with no network connection (`with local`, qmail's "invoked by uid").
  public var isLocal: Bool
  public var raw: String
  /// False when the field did not have the shape of a Received field; what was read is kept.
  public var parsed: Bool
  /// What was missing or odd, in words.
  public var problems: [String]

  public private(set) var transmission: TransmissionType?

  public init(
    from: Sender? = nil, by: String? = nil, software: String? = nil, via: String? = nil, with: String? = nil,
    id: String? = nil, forAddress: String? = nil, date: MessageDate? = nil, tls: TLSDetails? = nil,
    authenticated: Bool = false, isLocal: Bool = false, raw: String, parsed: Bool, problems: [String] = []
  ) {
    self.from = from
    self.by = by
    self.software = software
    self.via = via
    self.with = with
    self.transmission = with.map(TransmissionType.parse)
    self.id = id
    self.forAddress = forAddress
    self.date = date
    self.tls = tls
    self.authenticated = authenticated
    self.isLocal = isLocal
    self.raw = raw
    self.parsed = parsed
    self.problems = problems
  }
}
