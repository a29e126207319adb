import Testing

@testable import TerminalUI

/// The byte scan `visible` uses agrees with the rule stated per scalar (`isUnsafe`) for every scalar,
/// alone and between others, so no unsafe character slips through the fast path.
@Suite("Terminal-safe text")
struct TerminalSafeTests {
  static func scan(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { TerminalSafe.containsUnsafe($0) }
  }

  @Test func theByteScanAgreesWithTheScalarRuleForEveryScalar() {
    var disagreements: [UInt32] = []
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
      let alone = String(Character(scalar))
      let between = "a→" + alone + "é"
      let expected = TerminalSafe.isUnsafe(scalar)
      if Self.scan(alone) != expected || Self.scan(between) != expected { disagreements.append(value) }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(10).map { String($0, radix: 16) })")
  }

  @Test func unsafeTextIsShownVisibly() {
    #expect(TerminalSafe.visible("mx → a\u{202E}b") == "mx → a\\u{202E}b")
    #expect(TerminalSafe.visible("é\u{9B}31m") == "é\\u{9B}31m")
    #expect(TerminalSafe.visible("tag\u{E0041}") == "tag\\u{E0041}")
    #expect(TerminalSafe.visible("box ─ ✔ ok") == "box ─ ✔ ok")
  }
}
