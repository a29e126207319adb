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
    var text = text
    return text.withUTF8(parse)
  }

  /// The first word, compared with ASCII letters folded, on its bytes (this runs for every hop).
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TransmissionType {
    if bytes.hasPrefixIgnoringCase("microsoft smtp server") {
      return TransmissionType(base: .smtp, tls: false, authenticated: false)
    }
    var word = bytes.prefix { $0 != 32 }
    func named(_ name: String) -> Bool {
      word.count == name.utf8.count && word.hasPrefixIgnoringCase(name)
    }
    if named("http") { return TransmissionType(base: .http, tls: false, authenticated: false) }
    if named("https") { return TransmissionType(base: .http, tls: true, authenticated: false) }
    if named("local") { return TransmissionType(base: .local, tls: false, authenticated: false) }
    if named("mapi") { return TransmissionType(base: .mapi, tls: false, authenticated: false) }
    if named("smtps") { return TransmissionType(base: .smtp, tls: true, authenticated: false) }
    if named("smtpsa") { return TransmissionType(base: .smtp, tls: true, authenticated: true) }
    // IceWarp: "with ASMTP" (authenticated SMTP).
    if named("asmtp") { return TransmissionType(base: .smtp, tls: false, authenticated: true) }
    if word.hasPrefixIgnoringCase("utf8") { word = word.dropFirst(4) }
    if word.hasPrefixIgnoringCase("e") { word = word.dropFirst() }
    let base: Base
    if word.hasPrefixIgnoringCase("smtp") {
      base = .smtp
    } else if word.hasPrefixIgnoringCase("lmtp") {
      base = .lmtp
    } else {
      return TransmissionType(base: .unknown, tls: false, authenticated: false)
    }
    let flags = word.dropFirst(4)
    guard flags.count <= 2, flags.allSatisfy({ $0 | 0x20 == 115 || $0 | 0x20 == 97 }) else {
      return TransmissionType(base: .unknown, tls: false, authenticated: false)
    }
    return TransmissionType(
      base: base, tls: flags.contains { $0 | 0x20 == 115 }, authenticated: flags.contains { $0 | 0x20 == 97 })
  }
}
