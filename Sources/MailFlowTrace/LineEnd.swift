/// Where the next line ending (CR or LF) is, read eight bytes at a time: a header of 20,000 fields is
/// about 3 MB, read once to find where it ends and once to split it, before anything can go to other
/// cores.
enum LineEnd {
  /// The index of the first CR or LF at or after `start`, or `bytes.count` when there is none.
  static func next(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var index = max(0, start)
    let count = bytes.count
    if let base = bytes.baseAddress {
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      while index + 8 <= count {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        // A byte equal to LF (or CR) is a zero byte after the XOR; `(v - 1s) & ~v & highs` is non-zero
        // exactly when some byte of v is zero.
        let lf = word ^ (ones &* 0x0A)
        let cr = word ^ (ones &* 0x0D)
        if ((lf &- ones) & ~lf | (cr &- ones) & ~cr) & highs != 0 { break }
        index += 8
      }
    }
    while index < count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
    return index
  }
}
