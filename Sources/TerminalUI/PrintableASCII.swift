/// Whether text is printable ASCII (bytes 0x20–0x7E), the common case the terminal functions take a
/// shortcut for: one column per byte, nothing to escape. Read over the contiguous UTF-8 where the
/// string has it (every native string), a byte loop the optimizer vectorizes; generic iteration costs
/// several times more, and this runs for every cell of every line.
enum PrintableASCII {
  static func check(_ text: some StringProtocol) -> Bool {
    if let answer = text.utf8.withContiguousStorageIfAvailable(check) { return answer }
    return text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
  }

  static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var all = true
    for byte in bytes { all = all && byte >= 0x20 && byte < 0x7F }
    return all
  }
}
