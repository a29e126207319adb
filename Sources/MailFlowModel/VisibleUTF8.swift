/// Bytes from outside (a server's reply, a DNS TXT string, a header) as text, without losing any:
/// valid UTF-8 is decoded, and each byte that is not part of a well-formed sequence is written as
/// `\xNN` — where the usual decoding would put an indistinct U+FFFD — so the reader sees what was sent.
public enum VisibleUTF8 {
  public static func decode(_ bytes: some Collection<UInt8>) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    let bytes = Array(bytes)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < bytes.count {
      if let (scalar, length) = scalar(in: bytes, at: i) {
        out.append(scalar)
        i += length
      } else {
        let hex = String(bytes[i], radix: 16, uppercase: true)
        out.append(contentsOf: ("\\x" + (hex.count == 1 ? "0" + hex : hex)).unicodeScalars)
        i += 1
      }
    }
    return String(out)
  }

  /// One well-formed UTF-8 sequence at `index` with its length, or `nil`.
  public static func scalar(in bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
    let lead = bytes[index]
    let (length, initial, minimum): (Int, UInt32, UInt32) =
      switch lead {
      case 0x00...0x7F: (1, UInt32(lead), 0)
      case 0xC2...0xDF: (2, UInt32(lead & 0x1F), 0x80)
      case 0xE0...0xEF: (3, UInt32(lead & 0x0F), 0x800)
      case 0xF0...0xF4: (4, UInt32(lead & 0x07), 0x10000)
      default: (0, 0, 0)
      }
    guard length > 0, index + length <= bytes.count else { return nil }
    var value = initial
    for k in 1..<length {
      let byte = bytes[index + k]
      guard byte & 0xC0 == 0x80 else { return nil }
      value = value << 6 | UInt32(byte & 0x3F)
    }
    guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
    return (scalar, length)
  }
}
