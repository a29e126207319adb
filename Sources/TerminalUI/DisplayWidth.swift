/// Terminal column widths of text, so tables and panes line up when they hold ✔, ✘✘, box drawing,
/// accented or East Asian characters.
public enum DisplayWidth {
  /// Columns a character takes in a terminal: 0 for controls and combining marks, 2 for wide (East
  /// Asian, most emoji), 1 otherwise. A grapheme cluster takes the width of its first scalar.
  public static func of(_ character: Character) -> Int {
    guard let scalar = character.unicodeScalars.first else { return 0 }
    return of(scalar)
  }

  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
    if value < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if value == 0x200B { return 0 }
    return wideRanges.contains { $0.contains(value) } ? 2 : 1
  }

  /// `of` for a `String`, a concrete entry point: a generic public function called from another module
  /// runs unspecialized, through protocol witnesses, several times slower (every cell of every line).
  public static func of(_ text: String) -> Int { width(of: text) }

  public static func of(_ text: some StringProtocol) -> Int { width(of: text) }

  private static func width(of text: some StringProtocol) -> Int {
    // Most text is printable ASCII: one column per byte, no grapheme breaking needed.
    if PrintableASCII.check(text) { return text.utf8.count }
    // Latin, Greek, arrows and the like (no control, no combining mark, nothing wide): one column per
    // scalar, without grapheme breaking — read from the UTF-8 bytes where the string has them.
    let simple =
      text.utf8.withContiguousStorageIfAvailable(simpleWidth)
      ?? Array(text.utf8).withUnsafeBufferPointer(simpleWidth)
    return simple ?? text.reduce(0) { $0 + of($1) }
  }

  /// Whether a scalar is one column wide without grapheme breaking: printable ASCII, Latin and Greek
  /// letters, arrows and operators (→), box drawing (─) and the rating marks (✔ ✘ ⊘).
  private static func isSimple(_ value: UInt32) -> Bool {
    (0x20..<0x7F).contains(value) || (0xA0..<0x300).contains(value) || (0x2190..<0x2300).contains(value)
      || (0x2500..<0x25A0).contains(value) || value == 0x2714 || value == 0x2718
  }

  /// The number of scalars when every one `isSimple`, else `nil`, decoded from well-formed UTF-8 (a
  /// string's own bytes): a table row has an arrow in it, and iterating its scalars cost more than
  /// the rest of measuring the row.
  private static func simpleWidth(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var scalars = 0
    var index = 0
    let count = bytes.count
    while index < count {
      // Printable ASCII is one column a byte; its runs are skipped a word at a time.
      let ascii = PrintableASCII.run(in: bytes, from: index)
      scalars += ascii - index
      index = ascii
      guard index < count else { break }
      let lead = bytes[index]
      // Four-byte scalars (U+10000 and up: emoji, rare scripts) are never simple.
      guard lead < 0xF0 else { return nil }
      let length = lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
      var value = UInt32(lead) & (length == 3 ? 0x0F : length == 2 ? 0x1F : 0xFF)
      guard index + length <= count else { return nil }
      for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
      guard isSimple(value) else { return nil }
      scalars += 1
      index += length
    }
    return scalars
  }

  /// East Asian Wide and Fullwidth blocks, and the emoji blocks that terminals draw two columns wide.
  private static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
    0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
    0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
    0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
    0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
    0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
    0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
    0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
    0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
    0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
    0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]
}
