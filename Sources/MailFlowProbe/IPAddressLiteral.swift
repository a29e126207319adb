#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A host given as an IP address (`--imap 192.0.2.1`, `[2001:db8::1]`) rather than a name: such a
/// host gets no SNI (RFC 6066 §3 allows only host names there) and is matched against a certificate's
/// IP-address subjectAltNames, never its DNS names.
enum IPAddressLiteral {
  /// The address's network-order bytes (4 or 16), or `nil` for a host name.
  static func bytes(_ text: String) -> [UInt8]? {
    var literal = text.withoutTrailingDot
    if literal.hasPrefix("[") && literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
    var v4 = in_addr()
    if inet_pton(AF_INET, literal, &v4) == 1 {
      return withUnsafeBytes(of: &v4) { Array($0) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, literal, &v6) == 1 {
      return withUnsafeBytes(of: &v6) { Array($0) }
    }
    return nil
  }
}
