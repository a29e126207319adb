/// A resolver to forward to, as given on the command line: `ADDR[@PORT]` (IPv4 or IPv6 literal).
public struct ResolverAddress: Sendable, Equatable, CustomStringConvertible {
  public var address: String
  public var port: Int

  public init(address: String, port: Int = 53) {
    self.address = address
    self.port = port
  }

  public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
      switch self {
      case .invalid(let text):
        "'\(text)' is not a resolver address: expected an IPv4 or IPv6 address with an optional @PORT, e.g. 127.0.0.1@5353"
      }
    }
  }

  public static func parse(_ text: String) throws(ParseError) -> ResolverAddress {
    let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
    let address = String(parts[0])
    var port = 53
    if parts.count == 2 {
      guard let value = Int(parts[1]), (1...65_535).contains(value) else { throw .invalid(text) }
      port = value
    }
    guard isIPv4(address) || isIPv6(address) else { throw .invalid(text) }
    return ResolverAddress(address: address, port: port)
  }

  static func isIPv4(_ text: String) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4
      && parts.allSatisfy { part in
        !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII)
          && Int(part).map { (0...255).contains($0) } ?? false
      }
  }

  static func isIPv6(_ text: String) -> Bool {
    guard text.contains(":"), text.count <= 45, !text.contains(":::") else { return false }
    let doubleColons = text.ranges(of: "::").count
    guard doubleColons <= 1 else { return false }
    let groups = text.split(separator: ":", omittingEmptySubsequences: true)
    let lastIsIPv4 = groups.last.map { isIPv4(String($0)) } ?? false
    let hexGroups = lastIsIPv4 ? groups.dropLast() : groups[...]
    let count = hexGroups.count + (lastIsIPv4 ? 2 : 0)
    guard hexGroups.allSatisfy({ $0.count <= 4 && $0.allSatisfy { $0.isHexDigit } }) else { return false }
    return doubleColons == 1 ? count < 8 : count == 8
  }

  /// The form libunbound takes.
  public var description: String { "\(address)@\(port)" }
}
