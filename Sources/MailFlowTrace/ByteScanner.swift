import Glibc

/// A field's UTF-8 bytes with the few scanning steps its annotations need: find a literal, take a run
/// of bytes of a class. Replaces regular expressions in the trace parser, which cost most of `trace`'s
/// time (Swift's Regex engine, per field, per pattern); every step is linear in the field.
struct ByteScanner {
  let bytes: [UInt8]

  init(_ text: String) { bytes = Array(text.utf8) }

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var count: Int { bytes.count }

  subscript(index: Int) -> UInt8? { index >= 0 && index < bytes.count ? bytes[index] : nil }

  // Needles are any bytes: literals pass their `utf8` (no array is made per call; the parser scans every
  // field for a dozen of them).

  /// Where `needle` occurs at or after `start`, byte for byte (notes in any case are looked for in a
  /// lowercased copy).
  func find(_ needle: some Collection<UInt8>, from start: Int = 0) -> Int? {
    needle.withContiguousStorageIfAvailable { find($0, from: start) }
      ?? Array(needle).withUnsafeBufferPointer { find($0, from: start) }
  }

  /// `find` over both byte buffers: the C library's memchr finds each candidate first byte (many bytes
  /// per step where a loop reads one), memcmp checks the rest — read through `Collection` one byte at a
  /// time, a dozen scans of each of 20,000 fields cost more than the rest of taking them apart.
  private func find(_ needle: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    let length = needle.count
    let from = max(0, start)
    guard length > 0, from + length <= bytes.count else { return nil }
    return bytes.withUnsafeBufferPointer { haystack -> Int? in
      guard let base = haystack.baseAddress, let needleBase = needle.baseAddress else { return nil }
      var index = from
      let last = haystack.count - length
      while index <= last, let hit = memchr(base + index, Int32(needle[0]), last - index + 1) {
        let position = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
        if length == 1 || memcmp(base + position + 1, needleBase + 1, length - 1) == 0 { return position }
        index = position + 1
      }
      return nil
    }
  }

  /// Every position of `needle`, in order.
  func positions(of needle: some Collection<UInt8>) -> [Int] {
    var found: [Int] = []
    var start = 0
    while let index = find(needle, from: start) {
      found.append(index)
      start = index + 1
    }
    return found
  }

  /// The first answer `body` gives for a position of `needle`, trying them in order (no array of
  /// positions is made: most scans stop at the first).
  func first<Answer>(of needle: some Collection<UInt8>, _ body: (Int) -> Answer?) -> Answer? {
    var start = 0
    while let index = find(needle, from: start) {
      if let answer = body(index) { return answer }
      start = index + 1
    }
    return nil
  }

  func contains(_ needle: some Collection<UInt8>) -> Bool { find(needle) != nil }

  func matches(_ needle: some Collection<UInt8>, at index: Int) -> Bool {
    guard index >= 0, index + needle.count <= bytes.count else { return false }
    var offset = index
    for byte in needle {
      guard bytes[offset] == byte else { return false }
      offset += 1
    }
    return true
  }

  static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

  /// The end of the run of bytes from `start` that satisfy `accept` (`start` when there is none).
  func run(from start: Int, _ accept: (UInt8) -> Bool) -> Int {
    var index = start
    while index < bytes.count, accept(bytes[index]) { index += 1 }
    return index
  }

  func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }

  // Byte classes, ASCII only: the annotations are MTA tokens.
  static func isWord(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == 95 }
  static func isWordOrHyphen(_ byte: UInt8) -> Bool { isWord(byte) || byte == 45 }
  static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
  static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
  static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
  }
  static func isVersionByte(_ byte: UInt8) -> Bool { isDigit(byte) || byte == 46 || byte == 95 }

  /// `TLS` or `SSL`, an optional `v`, then digits, dots or underscores: the end of such a version
  /// name starting at `start`, or `nil`.
  func versionName(at start: Int) -> Int? {
    guard matches("TLS".utf8, at: start) || matches("SSL".utf8, at: start) else { return nil }
    var index = start + 3
    if self[index] == UInt8(ascii: "v") { index += 1 }
    let end = run(from: index, Self.isVersionByte)
    return end > index ? end : nil
  }
}
