/// Text from outside (server replies, certificates, DNS data, headers, files, arguments) made safe to
/// show on a terminal. A banner holding `ESC ] 0;… BEL` would retitle the user's terminal, `ESC [ 2 J`
/// clear it, a C1 byte (U+009B) start a CSI on many terminals and U+202E reverse what follows; a
/// newline inside a value would forge a line of output. Every such character is written as a visible
/// escape instead, so the reader sees exactly what was sent and the terminal obeys none of it.
///
/// Applied where text enters a styled line (`StyledLine.Span`) and where a buffer or a stream takes raw
/// text, so every front end (CLI text, errors, the explorer) shares this one rule.
public enum TerminalSafe {
  /// `text` with every unsafe character replaced by its visible escape: C0 controls and DEL as `\x1B`,
  /// C1 controls, bidirectional overrides, isolates and marks, zero-width characters, the line and
  /// paragraph separators and tag characters as `\u{202E}`. A tab becomes one space: it is whitespace,
  /// but it would move the cursor. A backslash is left as it is, so a server that sends the text
  /// `\x1B` looks like one that sent the byte; the JSON output tells them apart.
  /// Concrete for a `String`, generic for the rest: a generic public function called from another
  /// module runs unspecialized, through protocol witnesses, several times slower.
  public static func visible(_ text: String) -> String { shown(text) }

  public static func visible(_ text: some StringProtocol) -> String { shown(text) }

  private static func shown(_ text: some StringProtocol) -> String {
    // The common case, nothing unsafe, is returned untouched without scalar iteration (the byte scan
    // skips printable ASCII a word at a time).
    let unsafe = text.utf8.withContiguousStorageIfAvailable(containsUnsafe)
    guard unsafe ?? text.unicodeScalars.contains(where: isUnsafe) else { return String(text) }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      guard isUnsafe(scalar) else {
        out.append(scalar)
        continue
      }
      out.append(contentsOf: escape(scalar).unicodeScalars)
    }
    return String(out)
  }

  /// Whether well-formed UTF-8 holds a scalar `isUnsafe` refuses, read from the encoded bytes (arrows,
  /// box drawing and accented names are common in what is drawn, and decoding each scalar cost more
  /// than the rest of a frame's text handling).
  static func containsUnsafe(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    while index < count {
      // Printable ASCII runs are skipped a word at a time; an ASCII byte that ends one is a control.
      index = PrintableASCII.run(in: bytes, from: index)
      guard index < count else { break }
      let byte = bytes[index]
      if byte < 0x80 { return true }
      func next(_ offset: Int) -> UInt8 { index + offset < count ? bytes[index + offset] : 0 }
      switch byte {
      case 0xC2 where (0x80...0x9F).contains(next(1)): return true  // C1 controls
      case 0xD8 where next(1) == 0x9C: return true  // U+061C
      case 0xE2:
        let (second, third) = (next(1), next(2))
        // U+200B–200F, U+2028–202E, U+2060–2064, U+2066–2069.
        if second == 0x80 && ((0x8B...0x8F).contains(third) || (0xA8...0xAE).contains(third)) { return true }
        if second == 0x81 && ((0xA0...0xA4).contains(third) || (0xA6...0xA9).contains(third)) { return true }
      case 0xEF where next(1) == 0xBB && next(2) == 0xBF: return true  // U+FEFF
      case 0xF3 where next(1) == 0xA0 && (next(2) == 0x80 || next(2) == 0x81): return true  // U+E0000–E007F
      default: break
      }
      // The length of this sequence, from its lead byte (a stray continuation byte counts as one).
      index += byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
    }
    return false
  }

  /// Whether `scalar` must not reach a terminal as it is.
  public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x20 || (0x7F...0x9F).contains(value) { return true }
    if value < 0x61C { return false }
    // Bidi marks, overrides and isolates; zero-width characters and word joiners that hide text; line
    // and paragraph separators; the byte-order mark; tag characters.
    return value == 0x61C || (0x200B...0x200F).contains(value) || (0x2028...0x202E).contains(value)
      || (0x2060...0x2064).contains(value) || (0x2066...0x2069).contains(value) || value == 0xFEFF
      || (0xE0000...0xE007F).contains(value)
  }

  /// The visible form of one unsafe scalar.
  static func escape(_ scalar: Unicode.Scalar) -> String {
    let value = scalar.value
    if value == 0x09 { return " " }
    let hex = String(value, radix: 16, uppercase: true)
    if value < 0x20 || value == 0x7F { return "\\x" + (hex.count == 1 ? "0" + hex : hex) }
    return "\\u{" + hex + "}"
  }
}
