import MailFlowModel

/// The record data the probe uses, decoded from wire format (RFC 1035 §3.3, RFC 2782, RFC 3596,
/// RFC 6698). Names are returned in presentation form with a trailing dot (`mx.example.net.`, the root
/// as `.`).
public enum DNSRecord: Sendable, Equatable, Hashable {
  case a(String)
  case aaaa(String)
  case cname(String)
  case ns(String)
  case mx(preference: UInt16, exchange: String)
  case txt([String])
  case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
  case tlsa(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8])

  public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(RecordType)
    case badName(RecordType)
    case wrongLength(RecordType, Int)
    case unsupported(RecordType)

    public var description: String {
      switch self {
      case .truncated(let type): "\(type.name) record data is truncated"
      case .badName(let type): "\(type.name) record holds a malformed name"
      case .wrongLength(let type, let length):
        "\(type.name) record data has the wrong length (\(length) bytes)"
      case .unsupported(let type): "\(type.name) records are not decoded"
      }
    }
  }

  public static func parse(_ type: RecordType, _ rdata: [UInt8]) throws(ParseError) -> DNSRecord {
    var reader = Reader(bytes: rdata, type: type)
    let record: DNSRecord
    switch type {
    case .a:
      guard rdata.count == 4 else { throw .wrongLength(type, rdata.count) }
      return .a(rdata.map { String($0) }.joined(separator: "."))
    case .aaaa:
      guard rdata.count == 16 else { throw .wrongLength(type, rdata.count) }
      return .aaaa(IPv6.format(rdata))
    case .cname: record = .cname(try reader.name())
    case .ns: record = .ns(try reader.name())
    case .mx: record = .mx(preference: try reader.uint16(), exchange: try reader.name())
    case .srv:
      record = .srv(
        priority: try reader.uint16(), weight: try reader.uint16(), port: try reader.uint16(),
        target: try reader.name())
    case .txt:
      var strings: [String] = []
      while !reader.atEnd {
        let length = Int(try reader.uint8())
        strings.append(VisibleUTF8.decode(try reader.bytes(length)))
      }
      return .txt(strings)
    case .tlsa:
      let usage = try reader.uint8()
      let selector = try reader.uint8()
      let matching = try reader.uint8()
      return .tlsa(usage: usage, selector: selector, matchingType: matching, data: reader.rest())
    case .ds, .dnskey:
      throw .unsupported(type)
    }
    guard reader.atEnd else { throw .wrongLength(type, rdata.count) }
    return record
  }

  /// Presentation form, as `dig` shows it.
  public var text: String {
    switch self {
    case .a(let address), .aaaa(let address): address
    case .cname(let name), .ns(let name): name
    case .mx(let preference, let exchange): "\(preference) \(exchange)"
    case .txt(let strings): strings.map { "\"\($0)\"" }.joined(separator: " ")
    case .srv(let priority, let weight, let port, let target): "\(priority) \(weight) \(port) \(target)"
    case .tlsa(let usage, let selector, let matching, let data):
      "\(usage) \(selector) \(matching) " + data.map { String(format2: $0) }.joined()
    }
  }

  struct Reader {
    let bytes: [UInt8]
    let type: RecordType
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func uint8() throws(ParseError) -> UInt8 {
      guard index < bytes.count else { throw .truncated(type) }
      defer { index += 1 }
      return bytes[index]
    }

    mutating func uint16() throws(ParseError) -> UInt16 {
      UInt16(try uint8()) << 8 | UInt16(try uint8())
    }

    mutating func bytes(_ count: Int) throws(ParseError) -> [UInt8] {
      guard count <= bytes.count - index else { throw .truncated(type) }
      defer { index += count }
      return Array(bytes[index..<index + count])
    }

    mutating func rest() -> [UInt8] {
      defer { index = bytes.count }
      return Array(bytes[index...])
    }

    /// An uncompressed domain name (libunbound hands out uncompressed rdata).
    mutating func name() throws(ParseError) -> String {
      var labels: [String] = []
      var total = 0
      while true {
        let length = Int(try uint8())
        if length == 0 { break }
        guard length <= 63 else { throw .badName(type) }  // compression pointers are not expected here
        total += length + 1
        guard total <= 255 else { throw .badName(type) }
        labels.append(Self.presentation(try bytes(length)))
      }
      return labels.isEmpty ? "." : labels.joined(separator: ".") + "."
    }

    /// A label as text: letters, digits, '-' and '_' as they are; anything else escaped as \DDD.
    static func presentation(_ label: [UInt8]) -> String {
      var text = ""
      for byte in label {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
          UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "*"):
          text.unicodeScalars.append(Unicode.Scalar(byte))
        default:
          let digits = String(byte)
          text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
        }
      }
      return text
    }
  }
}

extension String {
  /// Two lower-case hex digits.
  init(format2 byte: UInt8) {
    let hex = String(byte, radix: 16)
    self = hex.count == 1 ? "0" + hex : hex
  }
}

/// IPv6 text form per RFC 5952: lower case, the longest run of two or more zero groups as `::`.
enum IPv6 {
  static func format(_ bytes: [UInt8]) -> String {
    let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    var bestStart = -1
    var bestLength = 1
    var index = 0
    while index < 8 {
      if groups[index] == 0 {
        var end = index
        while end < 8 && groups[end] == 0 { end += 1 }
        if end - index > bestLength {
          bestStart = index
          bestLength = end - index
        }
        index = end
      } else {
        index += 1
      }
    }
    let text = groups.map { String($0, radix: 16) }
    guard bestStart >= 0 else { return text.joined(separator: ":") }
    let head = text[..<bestStart].joined(separator: ":")
    let tail = text[(bestStart + bestLength)...].joined(separator: ":")
    return head + "::" + tail
  }
}
