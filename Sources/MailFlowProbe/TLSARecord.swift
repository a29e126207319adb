import MailFlowReport

/// A TLSA record (RFC 6698 §2): which certificate or key a TLS server must present.
public struct TLSARecord: Sendable, Equatable, Hashable, Codable {
  /// 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE.
  public var usage: UInt8
  /// 0 the whole certificate, 1 its SubjectPublicKeyInfo.
  public var selector: UInt8
  /// 0 exact, 1 SHA-256, 2 SHA-512.
  public var matchingType: UInt8
  public var data: [UInt8]

  public init(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8]) {
    self.usage = usage
    self.selector = selector
    self.matchingType = matchingType
    self.data = data
  }

  /// `3 1 1 8f3c…`, as in a zone file.
  public var text: String {
    "\(usage) \(selector) \(matchingType) "
      + data.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
  }

  /// Why a record cannot be used by an SMTP client (RFC 7672 §3.1), or `nil` when it can.
  public var unusableReason: String? {
    switch usage {
    case 0, 1:
      return "PKIX-\(usage == 0 ? "TA" : "EE") (usage \(usage)) is not used for SMTP (RFC 7672 §3.1.3)"
    case 2, 3: break
    default: return "unknown certificate usage \(usage)"
    }
    guard selector <= 1 else { return "unknown selector \(selector)" }
    switch matchingType {
    case 0: return nil
    case 1: return data.count == 32 ? nil : "SHA-256 data of \(data.count) bytes (expected 32)"
    case 2: return data.count == 64 ? nil : "SHA-512 data of \(data.count) bytes (expected 64)"
    default: return "unknown matching type \(matchingType)"
    }
  }
}
