/// The protocol a Received field records after `with`: RFC 3848 and the IANA mail transmission types
/// (SMTP, ESMTP, ESMTPA, ESMTPS, ESMTPSA, LMTP…, UTF8SMTP…), and the common non-standard ones.
/// "A" means the client authenticated (a submission), "S" that TLS was in use.
public struct TransmissionType: Sendable, Equatable {
  public enum Base: String, Sendable {
    case smtp, lmtp, http, local, mapi, unknown
  }

  public var base: Base
  public var tls: Bool
  public var authenticated: Bool

  public init(base: Base, tls: Bool, authenticated: Bool) {
    self.base = base
    self.tls = tls
    self.authenticated = authenticated
  }

  public static func parse(_ text: String) -> TransmissionType {
    // The first word, uppercased (ASCII: the names are; anything else stays and matches nothing).
    let word = String(
      decoding: text.utf8.prefix { $0 != 32 }.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
    if text.hasPrefixIgnoringCase("microsoft smtp server") {
      return TransmissionType(base: .smtp, tls: false, authenticated: false)
    }
    switch word {
    case "HTTP": return TransmissionType(base: .http, tls: false, authenticated: false)
    case "HTTPS": return TransmissionType(base: .http, tls: true, authenticated: false)
    case "LOCAL": return TransmissionType(base: .local, tls: false, authenticated: false)
    case "MAPI": return TransmissionType(base: .mapi, tls: false, authenticated: false)
    case "SMTPS": return TransmissionType(base: .smtp, tls: true, authenticated: false)
    case "SMTPSA": return TransmissionType(base: .smtp, tls: true, authenticated: true)
    // IceWarp: "with ASMTP" (authenticated SMTP).
    case "ASMTP": return TransmissionType(base: .smtp, tls: false, authenticated: true)
    default: break
    }
    var rest = Substring(word)
    if rest.hasPrefix("UTF8") { rest = rest.dropFirst(4) }
    if rest.hasPrefix("E") { rest = rest.dropFirst() }
    let base: Base
    if rest.hasPrefix("SMTP") {
      base = .smtp
    } else if rest.hasPrefix("LMTP") {
      base = .lmtp
    } else {
      return TransmissionType(base: .unknown, tls: false, authenticated: false)
    }
    let flags = rest.dropFirst(4)
    guard flags.allSatisfy({ $0 == "S" || $0 == "A" }), flags.count <= 2 else {
      return TransmissionType(base: .unknown, tls: false, authenticated: false)
    }
    return TransmissionType(base: base, tls: flags.contains("S"), authenticated: flags.contains("A"))
  }
}
