/// Eight bytes read as one word, and the questions the scanners ask of all eight at once (the classic
/// "has a zero byte" trick): a header of 20,000 fields is 3 MB, and its values are read several times
/// before anything can go to other cores. Each answer is exact for "some byte", not for which.
enum ByteWord {
  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highs: UInt64 = 0x8080_8080_8080_8080

  /// The eight bytes at `index` (which must leave eight in `bytes`), in memory order.
  static func load(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
    UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
  }

  /// Whether some byte of `word` equals `byte`: it is a zero byte after the XOR, and `(v - 1s) & ~v`
  /// has a high bit set exactly when some byte of v is zero.
  static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
    let v = word ^ (ones &* UInt64(byte))
    return (v &- ones) & ~v & highs != 0
  }

  /// Whether some byte of `word` is below `limit` (at most 0x80): subtracting borrows into the high bit
  /// of such a byte, and `~v` keeps bytes of 0x80 and above out.
  static func containsByte(below limit: UInt8, _ word: UInt64) -> Bool {
    (word &- ones &* UInt64(limit)) & ~word & highs != 0
  }
}
