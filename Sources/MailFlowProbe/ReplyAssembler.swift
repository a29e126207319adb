import MailFlowReport

/// Turns a server's lines into whole replies for one line-based mail protocol (SMTP replies, IMAP
/// responses up to their tagged completion, POP3 status lines and multi-line answers), saying exactly what
/// is wrong with a line that does not belong to the protocol.
protocol ReplyAssembler: Sendable {
  associatedtype Reply: Sendable
  associatedtype Failure: Error & CustomStringConvertible

  /// Feeds one line (without CRLF); returns the reply when its last line arrives.
  mutating func feed(_ line: String) throws(Failure) -> Reply?
}

extension SMTPReplyParser: ReplyAssembler {}
