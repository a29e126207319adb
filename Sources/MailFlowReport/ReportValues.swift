import MailFlowModel

/// The small vocabularies a probe report is written in, shared by the probe engine, the commands and the
/// explorer (which reads reports without linking the network code).

/// A DNS lookup's DNSSEC status.
public enum DNSStatus: String, Sendable, Equatable, Codable {
  /// Data, validated by DNSSEC from a trust anchor.
  case secure
  /// Data from a zone without a chain of trust (unsigned).
  case insecure
  /// Signatures that do not validate: the data must not be used.
  case bogus
  case nxdomain
  /// The name exists but has no records of this type.
  case nodata
  case servfail
  /// No answer within the lookup's own deadline.
  case timeout
  /// The resolver could not even ask (bad configuration, library error).
  case error
}

/// What DANE (RFC 7672, RFC 6698) says about one endpoint.
public enum DANEStatus: String, Sendable, Equatable, Codable {
  /// At least one usable record matched.
  case valid
  /// Usable records exist and none matched: a DANE client would not go on.
  case mismatch
  /// Records exist but none can be used for this service.
  case unusable
  /// No TLSA records (DANE does not apply).
  case none
  /// The TLSA records (or the host's addresses) are not DNSSEC-signed, so DANE does not apply.
  case insecure
  /// DNSSEC validation failed: a DANE client would not go on.
  case bogus
  /// The TLSA lookup for a DNSSEC-secure host failed (SERVFAIL, no answer): DANE clients defer.
  case lookupFailed
}

/// The mail services a probe talks to: the relay's SMTP on port 25, and the services a mail user's
/// program uses (RFC 8314, RFC 6186) — submission and retrieval with IMAP or POP3, each with implicit
/// TLS or with STARTTLS on its own port. One definition for the probe, the report, the CLI and the
/// explorer.
public enum Service: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
  case smtp, submissions, submission, imaps, imap, pop3s, pop3

  /// TLS from the first byte (465, 993, 995): nothing crosses before it.
  public var implicitTLS: Bool { self == .submissions || self == .imaps || self == .pop3s }

  /// SMTP in either role (relay or submission): EHLO keywords, AUTH.
  public var isSMTP: Bool { self == .smtp || self == .submission || self == .submissions }

  public var defaultPort: Int {
    switch self {
    case .smtp: 25
    case .submissions: 465
    case .submission: 587
    case .imaps: 993
    case .imap: 143
    case .pop3s: 995
    case .pop3: 110
    }
  }

  /// The SRV owner label (RFC 6186, RFC 8314 §5.1).
  public var srvLabel: String { "_\(rawValue)._tcp" }

  /// The hop the service serves.
  public var hop: HopID {
    switch self {
    case .smtp: .relay
    case .submissions, .submission: .submission
    case .imaps, .imap, .pop3s, .pop3: .retrieval
    }
  }
}

/// How a server was found: the relay's MX (or the implicit MX of a domain without one), the mail
/// user's SRV records (RFC 6186, RFC 8314), an autoconfig file, a guess from the common names, or the
/// command line.
public enum DiscoverySource: String, Sendable, Equatable, Codable, CaseIterable {
  case mx, implicitMX, srv, autoconfig, guess, commandLine

  /// The words of version-1 reports and of the text output.
  public var text: String {
    switch self {
    case .mx: "MX"
    case .implicitMX: "implicit MX (no MX records)"
    case .srv: "SRV"
    case .autoconfig: "autoconfig"
    case .guess: "guess"
    case .commandLine: "command line"
    }
  }

  /// A source as version 1 wrote it (`SRV _imaps._tcp`, `implicit MX (no MX records)`), or `nil`.
  public init?(legacyText: String) {
    let text = legacyText.trimmingCharacters(in: " ")
    if text.hasPrefix("SRV") {
      self = .srv
    } else if text.hasPrefix("implicit MX") {
      self = .implicitMX
    } else if let match = Self.allCases.first(where: { $0.text == text }) {
      self = match
    } else {
      return nil
    }
  }
}

/// An MTA-STS policy's mode (RFC 8461 §5).
public enum MTASTSMode: String, Sendable, Equatable, Codable {
  case enforce, testing, none
}

/// A server an autoconfig document names.
public struct AutoconfigServer: Sendable, Equatable, Codable {
  /// `imap`, `pop3` or `smtp`.
  public var type: String
  public var host: String
  public var port: Int
  /// `SSL` (implicit TLS), `STARTTLS` or `plain`.
  public var socketType: String

  public init(type: String, host: String, port: Int, socketType: String) {
    self.type = type
    self.host = host
    self.port = port
    self.socketType = socketType
  }
}

/// One line of a probe's protocol transcript: the journeys' `TranscriptLine`, one definition.
public typealias ProbeTranscriptLine = TranscriptLine
