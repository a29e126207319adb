/// A protocol on a port, as a client would configure it: SMTP on 25, submissions on 465, IMAPS on 993.
public struct MailProtocol: Sendable, Equatable, Identifiable {
  public var id: String
  /// How people write it in a hop table, e.g. `SMTP`, `submission`, `IMAPS`.
  public var name: String
  /// The registered port; `nil` where there is none (LMTP runs over a local socket or a private port).
  public var port: Int?
  /// True when TLS starts before the first protocol byte (RFC 8314 "implicit TLS").
  public var implicitTLS: Bool
  /// The command that upgrades the connection to TLS (`STARTTLS`, `STLS`), if the protocol has one.
  public var upgradeCommand: String?
  public var summary: String
  public var rfcs: [Int]

  public init(
    id: String, name: String, port: Int?, implicitTLS: Bool, upgradeCommand: String?, summary: String,
    rfcs: [Int]
  ) {
    self.id = id
    self.name = name
    self.port = port
    self.implicitTLS = implicitTLS
    self.upgradeCommand = upgradeCommand
    self.summary = summary
    self.rfcs = rfcs
  }

  /// `SMTP 25`, `LMTP`: the protocol as it appears in a hop table.
  public var nameWithPort: String { port.map { "\(name) \($0)" } ?? name }
}

extension MailProtocol {
  /// The protocols mailflow itself names when it builds journeys from measurements (the probe's
  /// services, a trace's SMTP, submission and LMTP). An edited knowledge base must keep them.
  public enum Known: String, Sendable, CaseIterable {
    case smtp, submission, submissions, imap, imaps, pop3, pop3s, lmtp
  }
}
