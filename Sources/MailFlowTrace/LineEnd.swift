/// Where the next line ending (CR or LF) is, read eight bytes at a time: a header of 20,000 fields is
/// about 3 MB, read once to find where it ends and once to split it, before anything can go to other
/// cores.
enum LineEnd {
  /// The index of the first CR or LF at or after `start`, or `bytes.count` when there is none.
  static func next(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var index = max(0, start)
    let count = bytes.count
    while index + 8 <= count {
      let word = ByteWord.load(bytes, at: index)
      if ByteWord.contains(word, 0x0A) || ByteWord.contains(word, 0x0D) { break }
      index += 8
    }
    while index < count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
    return index
  }
}
