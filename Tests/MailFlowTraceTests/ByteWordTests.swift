import Testing

@testable import MailFlowTrace

/// The scanners that read eight bytes at a time must answer as a byte-by-byte reading does, whatever
/// the alignment and whatever bytes sit beside the ones they look for.
@Suite("Word-at-a-time scans")
struct ByteWordTests {
  static func randomBytes(_ alphabet: [UInt8], count: ClosedRange<Int>) -> [UInt8] {
    (0..<Int.random(in: count)).map { _ in Bool.random() ? 0x61 : alphabet.randomElement()! }
  }

  @Test func wordQuestionsAgreeWithEachByte() {
    let alphabet: [UInt8] = [
      0x00, 0x01, 0x09, 0x1F, 0x20, 0x21, 0x28, 0x29, 0x3B, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xC2, 0xFF,
    ]
    for _ in 0..<5000 {
      let bytes = (0..<8).map { _ in alphabet.randomElement()! }
      let word = bytes.withUnsafeBufferPointer { ByteWord.load($0, at: 0) }
      for byte in alphabet {
        #expect(ByteWord.contains(word, byte) == bytes.contains(byte), "\(bytes) \(byte)")
      }
      for limit: UInt8 in [0x01, 0x20, 0x21, 0x80] {
        #expect(
          ByteWord.containsByte(below: limit, word) == bytes.contains { $0 < limit }, "\(bytes) \(limit)")
      }
    }
  }

  /// Control characters: C0 but tab, DEL, and C1 (0xC2 then 0x80–0x9F), including a C1 pair split
  /// across two words.
  @Test func controlScanAgreesWithAByteByByteReading() {
    let alphabet: [UInt8] = [0x09, 0x0A, 0x1F, 0x20, 0x7E, 0x7F, 0xC2, 0x80, 0x9F, 0xA0, 0xC3]
    func expected(_ bytes: [UInt8]) -> Bool {
      bytes.indices.contains { i in
        let byte = bytes[i]
        return (byte < 0x20 && byte != 9) || byte == 0x7F
          || (i > 0 && bytes[i - 1] == 0xC2 && byte >= 0x80 && byte <= 0x9F)
      }
    }
    for _ in 0..<5000 {
      let bytes = Self.randomBytes(alphabet, count: 0...40)
      #expect(bytes.withUnsafeBufferPointer(TextDecoding.containsControl) == expected(bytes), "\(bytes)")
    }
    for split in 1..<16 {
      var bytes = [UInt8](repeating: 0x61, count: 24)
      (bytes[split - 1], bytes[split]) = (0xC2, 0x85)
      #expect(bytes.withUnsafeBufferPointer(TextDecoding.containsControl), "pair at \(split - 1)")
    }
  }

  /// The date follows the last `;` outside comments: the word-at-a-time scan finds the same one.
  @Test func dateSplitAgreesWithAByteByByteReading() {
    let alphabet = Array("();; ".utf8)
    for _ in 0..<3000 {
      let bytes = Self.randomBytes(alphabet, count: 0...40)
      var depth = 0
      var last: Int?
      for (offset, byte) in bytes.enumerated() {
        switch byte {
        case 40: depth += 1
        case 41: depth = max(0, depth - 1)
        case 59 where depth == 0: last = offset
        default: break
        }
      }
      let split = ReceivedParser.splitDate(ByteScanner(bytes))
      if let last {
        #expect(split.clausesEnd == last, "\(String(decoding: bytes, as: UTF8.self))")
      } else {
        #expect(split.clausesEnd == bytes.count || split.date != nil)
      }
    }
  }

  /// Dots are trimmed from a host name's ends on its bytes when it is ASCII; otherwise by characters,
  /// where a dot and a combining mark after it are one character and stay.
  @Test func hostNamesLoseTheirEndDots() {
    func trimmed(_ text: String) -> String { ReceivedParser.trimmingDots(Array(text.utf8)[...]) }
    #expect(trimmed("mail.example.org.") == "mail.example.org")
    #expect(trimmed("..mail.example.org..") == "mail.example.org")
    #expect(trimmed("...") == "")
    #expect(trimmed("") == "")
    #expect(trimmed(".\u{301}mail.example.org.") == ".\u{301}mail.example.org")
    #expect(trimmed("caf\u{E9}.example.") == "caf\u{E9}.example")
  }
}
