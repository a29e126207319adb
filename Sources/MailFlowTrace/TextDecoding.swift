import MailFlowModel

/// Turns header bytes into text without losing anything: valid UTF-8 is decoded, every other byte is
/// shown as `\xNN` so the user sees exactly what was there.
public enum TextDecoding {
  public static func visible(_ bytes: some Collection<UInt8>) -> String {
    escapingControls(VisibleUTF8.decode(bytes))
  }

  /// Control characters (C0 but tab, DEL, C1) as `\xNN`: header text must never drive the terminal.
  public static func escapingControls(_ text: String) -> String {
    let found =
      text.utf8.withContiguousStorageIfAvailable(containsControl)
      ?? Array(text.utf8).withUnsafeBufferPointer(containsControl)
    guard found else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars { appendVisible(scalar, to: &out) }
    return String(out)
  }

  /// Read from the bytes (every header value passes here; the generic `utf8` iterator cost several
  /// times this loop): C0 and DEL are single bytes, C1 is 0xC2 0x80…0x9F (0xC2 only ever leads).
  static func containsControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var previous: UInt8 = 0
    var index = 0
    let count = bytes.count
    while index < count {
      // Words without a byte below 0x20, DEL or a C1 lead byte are passed over whole (a tab, allowed,
      // sends its word to the byte loop), unless the word before ended in a lead byte.
      if index + 8 <= count, previous != 0xC2 {
        let word = ByteWord.load(bytes, at: index)
        if !ByteWord.containsByte(below: 0x20, word) && !ByteWord.contains(word, 0x7F)
          && !ByteWord.contains(word, 0xC2)
        {
          index += 8
          previous = 0
          continue
        }
      }
      for byte in bytes[index..<min(count, index + 8)] {
        if (byte < 0x20 && byte != 9) || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
          return true
        }
        previous = byte
      }
      index += 8
    }
    return false
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
  }

  private static func appendVisible(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
    if isControl(scalar) { appendEscape(scalar.value, to: &out) } else { out.append(scalar) }
  }

  private static func appendEscape(_ value: UInt32, to out: inout String.UnicodeScalarView) {
    let hex = String(value, radix: 16, uppercase: true)
    out.append(contentsOf: ("\\x" + (hex.count == 1 ? "0" + hex : hex)).unicodeScalars)
  }

  /// Decodes RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?ISO-8859-1?Q?...?=`) for display. Words in
  /// charsets we cannot decode are left as they are.
  public static func decodeEncodedWords(_ text: String) -> String {
    guard text.contains("=?") else { return text }
    var result = ""
    var rest = Substring(text)
    var previousWasEncoded = false
    while let start = rest.firstRange(of: "=?") {
      let before = rest[..<start.lowerBound]
      let afterStart = rest[start.upperBound...]
      guard let decoded = decodeWord(afterStart) else {
        result += before + "=?"
        rest = afterStart
        previousWasEncoded = false
        continue
      }
      // White space between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
      if !(previousWasEncoded && before.allSatisfy(\.isWhitespace)) { result += before }
      result += decoded.text
      rest = decoded.rest
      previousWasEncoded = true
    }
    return result + rest
  }

  private static func decodeWord(_ text: Substring) -> (text: String, rest: Substring)? {
    let parts = text.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
    guard parts.count == 4, parts[3].hasPrefix("=") else { return nil }
    let charset = parts[0].lowercased().split(separator: "*").first.map(String.init) ?? ""
    let encoding = parts[1].uppercased()
    let payload = parts[2]
    let bytes: [UInt8]?
    switch encoding {
    case "B": bytes = Base64.decode(String(payload))
    case "Q": bytes = quotedPrintableWord(payload)
    default: bytes = nil
    }
    guard let bytes else { return nil }
    let decoded: String
    switch charset {
    case "utf-8", "utf8", "us-ascii": decoded = visible(bytes)
    case "iso-8859-1", "latin1", "iso-8859-15", "windows-1252":
      decoded = escapingControls(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })))
    default: return nil
    }
    return (decoded, parts[3].dropFirst())
  }

  private static func quotedPrintableWord(_ text: Substring) -> [UInt8]? {
    var out: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let byte = utf8.popFirst() {
      switch byte {
      case UInt8(ascii: "_"): out.append(0x20)
      case UInt8(ascii: "="):
        guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
        else {
          return nil
        }
        out.append(value)
        utf8 = utf8.dropFirst(2)
      default: out.append(byte)
      }
    }
    return out
  }
}

/// Base64 decoding (RFC 4648) for encoded words; `nil` on malformed input.
enum Base64 {
  static func decode(_ text: String) -> [UInt8]? {
    var out: [UInt8] = []
    var buffer: UInt32 = 0
    var bits = 0
    for byte in text.utf8 {
      let value: UInt32
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a") + 26)
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0") + 52)
      case UInt8(ascii: "+"): value = 62
      case UInt8(ascii: "/"): value = 63
      case UInt8(ascii: "="): continue
      default: return nil
      }
      buffer = buffer << 6 | value
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
      }
    }
    return out
  }
}
