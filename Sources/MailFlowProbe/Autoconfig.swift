import MailFlowReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Mozilla-style autoconfig (the `config-v1.1.xml` documents Thunderbird reads): the incoming (IMAP,
/// POP3) and outgoing (SMTP) servers a provider tells mail programs to use, with how to secure them.
public struct Autoconfig: Sendable, Equatable, Codable {
  public typealias Server = AutoconfigServer

  public var servers: [Server]

  /// The servers of a document, for the mail domain `domain` (which replaces `%EMAILDOMAIN%`).
  /// Servers of other types (Exchange, JMAP…) are left out; a document without any usable server fails.
  public static func parse(_ text: String, domain: String) throws(XMLNode.ParseError) -> Autoconfig {
    let root = try XMLNode.parse(text)
    guard root.name == "clientConfig" else {
      throw XMLNode.ParseError(line: 1, problem: "the root element is <\(root.name)>, not <clientConfig>")
    }
    var servers: [Server] = []
    for provider in root.elements("emailProvider") {
      let nodes = provider.elements("incomingServer") + provider.elements("outgoingServer")
      for node in nodes {
        guard let type = node.attributes["type"]?.lowercased(), ["imap", "pop3", "smtp"].contains(type),
          let host = node.element("hostname")?.text, !host.isEmpty,
          let port = node.element("port").flatMap({ Int($0.text) }), (1...65_535).contains(port)
        else { continue }
        // What Thunderbird accepts; an entry without a known socketType is skipped, not taken as plain.
        let socketType: String
        switch node.element("socketType")?.text.uppercased() {
        case "SSL", "TLS": socketType = "SSL"
        case "STARTTLS": socketType = "STARTTLS"
        case "PLAIN": socketType = "plain"
        default: continue
        }
        let name = host.replacing("%EMAILDOMAIN%", with: domain).lowercased()
        servers.append(Server(type: type, host: name, port: port, socketType: socketType))
      }
    }
    guard !servers.isEmpty else {
      throw XMLNode.ParseError(line: 1, problem: "no IMAP, POP3 or SMTP server with a hostname and port")
    }
    return Autoconfig(servers: servers)
  }
}
