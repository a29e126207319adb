/// Just enough DER to walk a public key or a certificate: tag, length, contents. Bounded by its input:
/// lengths are checked against what is left, and nothing recurses.
struct DERReader {
  var bytes: [UInt8]
  var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var peekTag: UInt8? { offset < bytes.count ? bytes[offset] : nil }

  mutating func read(tag: UInt8) -> [UInt8]? {
    guard peekTag == tag else { return nil }
    return readAny()
  }

  /// The next element's contents, whatever its tag (short tags only: certificates use no others).
  mutating func readAny() -> [UInt8]? {
    guard offset + 2 <= bytes.count, bytes[offset] & 0x1F != 0x1F else { return nil }
    var length = Int(bytes[offset + 1])
    var start = offset + 2
    if length & 0x80 != 0 {
      let count = length & 0x7F
      guard (1...4).contains(count), start + count <= bytes.count else { return nil }
      length = bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) }
      start += count
    }
    guard length >= 0, start + length <= bytes.count else { return nil }
    offset = start + length
    return Array(bytes[start..<start + length])
  }
}
