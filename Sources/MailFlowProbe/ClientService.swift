import MailFlowModel
import MailFlowReport

/// The services a mail user's program connects to: `Service` (MailFlowReport), minus the relay's SMTP.
public typealias ClientService = Service

extension Service {
  /// The client hop this service belongs to (`nil` for the relay's SMTP).
  public var clientHop: ClientHop? {
    switch self {
    case .smtp: nil
    case .submissions, .submission: .submission
    case .imaps, .imap, .pop3s, .pop3: .retrieval
    }
  }

  /// `nil` for SMTP submission.
  var mailbox: MailboxSessionResult.Kind? {
    switch self {
    case .smtp, .submissions, .submission: nil
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
