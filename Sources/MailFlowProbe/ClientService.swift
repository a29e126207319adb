import MailFlowReport

/// The services a mail user's program connects to (RFC 8314, RFC 6186): submission of outgoing mail and
/// retrieval with IMAP or POP3, each with implicit TLS or with STARTTLS on its own port.
public enum ClientService: String, Sendable, CaseIterable, Codable {
  case submissions, submission, imaps, imap, pop3s, pop3

  public var implicitTLS: Bool { self == .submissions || self == .imaps || self == .pop3s }

  public var defaultPort: Int {
    switch self {
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

  public var hop: ClientHop { self == .submissions || self == .submission ? .submission : .retrieval }

  /// `nil` for SMTP submission.
  var mailbox: MailboxSessionResult.Kind? {
    switch self {
    case .submissions, .submission: nil
    case .imaps, .imap: .imap
    case .pop3s, .pop3: .pop3
    }
  }

  /// The protocol family as autoconfig names it (`smtp`, `imap`, `pop3`).
  var family: String { mailbox?.rawValue ?? "smtp" }

  /// The service a family and TLS mode make (autoconfig `socketType`, `--imap HOST:993`).
  static func of(family: String, implicitTLS: Bool) -> ClientService? {
    switch (family, implicitTLS) {
    case ("smtp", true): .submissions
    case ("smtp", false): .submission
    case ("imap", true): .imaps
    case ("imap", false): .imap
    case ("pop3", true): .pop3s
    case ("pop3", false): .pop3
    default: nil
    }
  }
}

/// The two hops a mail user's own program takes.
public enum ClientHop: String, Sendable {
  case submission, retrieval

  public var id: HopID { self == .submission ? .submission : .retrieval }

  public var services: [ClientService] {
    switch self {
    case .submission: [.submissions, .submission]
    case .retrieval: [.imaps, .imap, .pop3s, .pop3]
    }
  }

  /// The common host names mail programs try when nothing is published, in order, with the services
  /// each is tried for; the first name that exists is used.
  var guesses: [(prefix: String, services: [ClientService])] {
    switch self {
    case .submission: [("smtp", [.submissions, .submission]), ("mail", [.submissions, .submission])]
    case .retrieval:
      [("imap", [.imaps, .imap]), ("pop", [.pop3s, .pop3]), ("mail", [.imaps, .imap, .pop3s, .pop3])]
    }
  }
}
