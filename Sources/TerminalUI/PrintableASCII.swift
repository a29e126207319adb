/// Whether text is printable ASCII (bytes 0x20–0x7E), the common case the terminal functions take a
/// shortcut for: one column per byte, nothing to escape. Read over the contiguous UTF-8 where the
/// string has it (every native string), eight bytes at a time: every cell of every line passes here,
/// and a trace's rows and raw fields are a hundred bytes or more.
enum PrintableASCII {
  static func check(_ text: some StringProtocol) -> Bool {
    if let answer = text.utf8.withContiguousStorageIfAvailable(check) { return answer }
    return text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
  }

  static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { run(in: bytes, from: 0) == bytes.count }

  /// The index of the first byte at or after `start` that is not printable ASCII (`bytes.count` when
  /// there is none): text that is mostly ASCII skips its ASCII runs a word at a time.
  static func run(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var index = start
    let count = bytes.count
    if let base = bytes.baseAddress {
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      while index + 8 <= count {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        // Some byte is 0x80 or above (its high bit), below 0x20 (`(v - 0x20s) & ~v` borrows into its high
        // bit) or 0x7F (zero after the XOR): exact for "some byte", which is all that is asked here.
        let del = word ^ (ones &* 0x7F)
        if (word | (word &- ones &* 0x20) & ~word | (del &- ones) & ~del) & highs != 0 { break }
        index += 8
      }
    }
    while index < count, bytes[index] >= 0x20, bytes[index] < 0x7F { index += 1 }
    return index
  }
}
