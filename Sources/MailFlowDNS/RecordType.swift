/// The DNS record types the probe asks for.
public enum RecordType: UInt16, Sendable, CaseIterable, Codable {
  case a = 1
  case ns = 2
  case cname = 5
  case mx = 15
  case txt = 16
  case aaaa = 28
  case srv = 33
  case ds = 43
  case dnskey = 48
  case tlsa = 52

  public var name: String {
    switch self {
    case .a: "A"
    case .ns: "NS"
    case .cname: "CNAME"
    case .mx: "MX"
    case .txt: "TXT"
    case .aaaa: "AAAA"
    case .srv: "SRV"
    case .ds: "DS"
    case .dnskey: "DNSKEY"
    case .tlsa: "TLSA"
    }
  }
}
