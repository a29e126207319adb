import MailFlowModel

/// A certificate's public key and the algorithm its issuer signed it with, read from the DER itself
/// (so a report can judge them without a certificate library) — the facts the NCSC levels rate.
public struct CertificateKey: Sendable, Equatable, Codable {
  public enum Algorithm: String, Sendable, Equatable, Codable {
    case rsa, ecdsa, ed25519, ed448, dsa, other
  }

  public var algorithm: Algorithm
  /// RSA and DSA: the modulus (or prime) in bits; ECDSA: the curve's size; EdDSA: the key's.
  @NullEncodable public var bits: Int?
  /// ECDSA: the named curve (`P-256`, `P-384`, `P-521`), or its OID when not one of those.
  @NullEncodable public var curve: String?
  /// The issuer's signature: `sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `ed25519`, … or an OID.
  public var signature: String

  public init(algorithm: Algorithm, bits: Int?, curve: String?, signature: String) {
    self.algorithm = algorithm
    self.bits = bits
    self.curve = curve
    self.signature = signature
  }

  /// Reads a DER certificate (RFC 5280 §4.1); `nil` when it is not one.
  public init?(certificateDER der: [UInt8]) {
    var outer = DERReader(der)
    guard let certificate = outer.read(tag: 0x30) else { return nil }
    var fields = DERReader(certificate)
    guard let tbs = fields.read(tag: 0x30), let signatureAlgorithm = fields.read(tag: 0x30) else {
      return nil
    }
    var tbsFields = DERReader(tbs)
    if tbsFields.peekTag == 0xA0 { _ = tbsFields.readAny() }  // [0] version
    // serialNumber, signature, issuer, validity, subject — then subjectPublicKeyInfo.
    for tag: UInt8 in [0x02, 0x30, 0x30, 0x30, 0x30] where tbsFields.read(tag: tag) == nil { return nil }
    guard let spki = tbsFields.read(tag: 0x30) else { return nil }
    var algorithmReader = DERReader(signatureAlgorithm)
    guard let signatureOID = algorithmReader.read(tag: 0x06) else { return nil }
    guard let key = Self.publicKey(spki) else { return nil }
    self.init(
      algorithm: key.algorithm, bits: key.bits, curve: key.curve,
      signature: Self.signatureNames[signatureOID] ?? Self.dotted(signatureOID))
  }

  /// Algorithm, size and curve of a SubjectPublicKeyInfo.
  static func publicKey(_ spki: [UInt8]) -> (algorithm: Algorithm, bits: Int?, curve: String?)? {
    var reader = DERReader(spki)
    guard let identifier = reader.read(tag: 0x30), let bitString = reader.read(tag: 0x03),
      bitString.first == 0
    else { return nil }
    var identifierReader = DERReader(identifier)
    guard let oid = identifierReader.read(tag: 0x06) else { return nil }
    let key = Array(bitString.dropFirst())
    switch oid {
    case [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]:
      return (.rsa, DKIMKey.rsaModulusBits(key, wrapped: false), nil)
    case [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]:
      let curveOID = identifierReader.read(tag: 0x06) ?? []
      let curve = curves[curveOID]
      // An uncompressed point is 04 || X || Y: the field size from its length when the curve is unknown.
      let bits = curve?.bits ?? (key.first == 4 && key.count > 1 ? (key.count - 1) / 2 * 8 : nil)
      return (.ecdsa, bits, curve?.name ?? (curveOID.isEmpty ? nil : dotted(curveOID)))
    case [0x2B, 0x65, 0x70]: return (.ed25519, 256, nil)
    case [0x2B, 0x65, 0x71]: return (.ed448, 456, nil)
    case [0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01]:
      // DSA: the size of p, in the parameters.
      var parameters = DERReader(identifierReader.read(tag: 0x30) ?? [])
      let prime = Array((parameters.read(tag: 0x02) ?? []).drop { $0 == 0 })
      let bits = prime.first.map { top in (prime.count - 1) * 8 + 8 - top.leadingZeroBitCount }
      return (.dsa, bits, nil)
    default: return (.other, nil, nil)
    }
  }

  static let curves: [[UInt8]: (name: String, bits: Int)] = [
    [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]: ("P-256", 256),
    [0x2B, 0x81, 0x04, 0x00, 0x22]: ("P-384", 384),
    [0x2B, 0x81, 0x04, 0x00, 0x23]: ("P-521", 521),
  ]

  static let signatureNames: [[UInt8]: String] = [
    [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04]: "md5WithRSAEncryption",
    [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05]: "sha1WithRSAEncryption",
    [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A]: "rsassaPss",
    [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B]: "sha256WithRSAEncryption",
    [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C]: "sha384WithRSAEncryption",
    [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D]: "sha512WithRSAEncryption",
    [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01]: "ecdsa-with-SHA1",
    [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]: "ecdsa-with-SHA256",
    [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03]: "ecdsa-with-SHA384",
    [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04]: "ecdsa-with-SHA512",
    [0x2B, 0x65, 0x70]: "ed25519",
    [0x2B, 0x65, 0x71]: "ed448",
    [0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x03]: "dsa-with-SHA1",
  ]

  /// An OID in dotted form, for algorithms without a name here (bounded by the DER it came from).
  static func dotted(_ oid: [UInt8]) -> String {
    guard let first = oid.first else { return "?" }
    var parts = [first < 80 ? Int(first) / 40 : 2, first < 80 ? Int(first) % 40 : Int(first) - 80]
    var value = 0
    for byte in oid.dropFirst().prefix(64) {
      value = (value << 7) | Int(byte & 0x7F)
      if byte & 0x80 == 0 {
        parts.append(value)
        value = 0
      }
      if value > 1 << 40 { return "?" }
    }
    return parts.map(String.init).joined(separator: ".")
  }

  /// The words a user reads: `RSA 2048 bits`, `ECDSA P-256`, `Ed25519`.
  public var words: String {
    switch algorithm {
    case .rsa: "RSA" + (bits.map { " \($0) bits" } ?? "")
    case .dsa: "DSA" + (bits.map { " \($0) bits" } ?? "")
    case .ecdsa: "ECDSA " + (curve ?? bits.map { "\($0) bits" } ?? "")
    case .ed25519: "Ed25519"
    case .ed448: "Ed448"
    case .other: "an unknown key type"
    }
  }

  /// NCSC: RSA ≥ 3072 good, 2048 sufficient (to be phased out as computers grow stronger), less
  /// insufficient; ECDSA on P-256/384/521 and EdDSA good; DSA and unknown algorithms insufficient.
  public var keyLevel: HygieneLevel {
    switch algorithm {
    case .rsa:
      guard let bits else { return .insufficient }
      return bits >= 3072 ? .good : bits >= 2048 ? .sufficient : .insufficient
    case .ecdsa:
      return curve.map { ["P-256", "P-384", "P-521"].contains($0) } == true ? .good : .insufficient
    case .ed25519, .ed448: return .good
    case .dsa, .other: return .insufficient
    }
  }

  /// The issuer's signature: SHA-2 and EdDSA good; SHA-1 and MD5 insufficient (collisions are
  /// practical); an unknown algorithm phase-out (it may be fine, this table cannot say).
  public var signatureLevel: HygieneLevel {
    let name = signature.lowercased()
    if name.contains("md5") || name.contains("sha1") { return .insufficient }
    if name.contains("sha256") || name.contains("sha384") || name.contains("sha512") || name.hasPrefix("ed")
      || name == "rsassapss"
    {
      return .good
    }
    return .phaseOut
  }
}
