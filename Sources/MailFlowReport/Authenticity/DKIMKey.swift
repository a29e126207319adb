import MailFlowModel

/// A DKIM public key record (RFC 6376 §3.6.1, RFC 8463 for Ed25519): its type, size and flags, or what
/// is wrong with it.
public struct DKIMKey: Sendable, Equatable {
  public enum KeyType: String, Sendable, Equatable, Codable {
    case rsa
    case ed25519
  }

  public typealias SyntaxError = TagSyntaxError

  public var type: KeyType
  /// RSA: the modulus in bits; Ed25519: 256.
  public var bits: Int?
  /// `p=` empty: the key was revoked (§3.6.1).
  public var revoked: Bool
  /// `t=y`: the domain is testing DKIM; verifiers may treat failures as unsigned.
  public var testing: Bool

  public init(_ text: String) throws(SyntaxError) {
    // The last of a repeated tag counts; values lose every space (a key may be folded anywhere).
    let tags = Dictionary(
      try TagList.parse(text).map { ($0.name, $0.value.removingSpaces()) }, uniquingKeysWith: { _, b in b })
    if let version = tags["v"], version != "DKIM1" {
      throw SyntaxError(tag: "v", reason: "'\(version)' is not DKIM1")
    }
    let typeText = (tags["k"] ?? "rsa").lowercased()
    guard let type = KeyType(rawValue: typeText) else {
      throw SyntaxError(tag: "k", reason: "'\(typeText)' is not rsa or ed25519")
    }
    self.type = type
    guard let key = tags["p"] else { throw SyntaxError(tag: "p", reason: "missing (the public key)") }
    testing = (tags["t"] ?? "").split(separator: ":").contains("y")
    revoked = key.isEmpty
    guard !revoked else {
      bits = nil
      return
    }
    guard let der = Base64.decode(key) else { throw SyntaxError(tag: "p", reason: "not base64") }
    switch type {
    case .ed25519:
      guard der.count == 32 else {
        throw SyntaxError(tag: "p", reason: "an Ed25519 key is 32 bytes, this one \(der.count)")
      }
      bits = 256
    case .rsa:
      guard let modulus = Self.rsaModulusBits(der) else {
        throw SyntaxError(tag: "p", reason: "not an RSA public key (SubjectPublicKeyInfo or RSAPublicKey)")
      }
      bits = modulus
    }
  }

  /// How strong the key is: RSA under 1024 bits is broken (RFC 8301 says verifiers must reject it),
  /// under 2048 weak, Ed25519 and RSA 2048+ secure; a revoked key protects nothing.
  public var rating: Rating {
    if revoked { return .none }
    switch (type, bits ?? 0) {
    case (.ed25519, _): return .secure
    case (.rsa, ..<1024): return .broken
    case (.rsa, ..<2048): return .weak
    case (.rsa, _): return .secure
    }
  }

  /// The modulus size of a DER RSA key, wrapped in a SubjectPublicKeyInfo (what DKIM publishes) or
  /// bare (RSAPublicKey, which some publish).
  static func rsaModulusBits(_ der: [UInt8], wrapped: Bool = true) -> Int? {
    var reader = DERReader(der)
    guard let outer = reader.read(tag: 0x30) else { return nil }
    var inner = DERReader(outer)
    if let first = inner.peekTag, first == 0x30 {
      // SubjectPublicKeyInfo: AlgorithmIdentifier (rsaEncryption), then a BIT STRING holding the
      // RSAPublicKey — unwrapped once only, so no crafted nesting can recurse.
      guard wrapped, let algorithm = inner.read(tag: 0x30), algorithm.starts(with: rsaEncryption) else {
        return nil
      }
      guard let bits = inner.read(tag: 0x03), bits.first == 0 else { return nil }
      return rsaModulusBits(Array(bits.dropFirst()), wrapped: false)
    }
    guard let modulus = inner.read(tag: 0x02) else { return nil }
    let significant = modulus.drop { $0 == 0 }
    guard let top = significant.first else { return nil }
    return (significant.count - 1) * 8 + (8 - top.leadingZeroBitCount)
  }
}

/// The DER of the rsaEncryption OID (1.2.840.113549.1.1.1), as an AlgorithmIdentifier begins.
let rsaEncryption: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]

/// Standard base64 (RFC 4648 §4), padding optional; `nil` for anything else.
enum Base64 {
  static func decode(_ text: String) -> [UInt8]? {
    var values: [UInt8] = []
    for scalar in text.unicodeScalars where scalar != "=" {
      let value: UInt8
      switch scalar {
      case "A"..."Z": value = UInt8(scalar.value - 65)
      case "a"..."z": value = UInt8(scalar.value - 97 + 26)
      case "0"..."9": value = UInt8(scalar.value - 48 + 52)
      case "+": value = 62
      case "/": value = 63
      default: return nil
      }
      values.append(value)
    }
    guard values.count % 4 != 1 else { return nil }
    var out: [UInt8] = []
    var index = 0
    while index < values.count {
      let chunk = Array(values[index..<min(index + 4, values.count)])
      let a = chunk[0]
      let b = chunk.count > 1 ? chunk[1] : 0
      let c = chunk.count > 2 ? chunk[2] : 0
      let d = chunk.count > 3 ? chunk[3] : 0
      out.append(a << 2 | b >> 4)
      if chunk.count > 2 { out.append((b & 0x0F) << 4 | c >> 2) }
      if chunk.count > 3 { out.append((c & 0x03) << 6 | d) }
      index += 4
    }
    return out
  }
}
