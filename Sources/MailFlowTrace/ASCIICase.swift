extension StringProtocol {
  /// Equal to `other` (lowercase ASCII) when ASCII letters are folded, without making a lowercased
  /// copy: the parser compares every word of every field against a few keywords.
  func equalsIgnoringCase(_ other: String) -> Bool { utf8.equalsIgnoringCase(other) }

  /// Starts with `prefix` (lowercase ASCII) when ASCII letters are folded.
  func hasPrefixIgnoringCase(_ prefix: String) -> Bool { utf8.hasPrefixIgnoringCase(prefix) }
}

extension Collection<UInt8> {
  /// Equal to `other` (lowercase ASCII) when ASCII letters are folded.
  func equalsIgnoringCase(_ other: String) -> Bool {
    count == other.utf8.count && hasPrefixIgnoringCase(other)
  }

  /// Starts with `prefix` (lowercase ASCII) when ASCII letters are folded.
  func hasPrefixIgnoringCase(_ prefix: String) -> Bool {
    if let answer = startsWithFoldingCase(prefix.utf8) { return answer }
    var own = makeIterator()
    for expected in prefix.utf8 {
      guard let byte = own.next(), ByteScanner.lower(byte) == ByteScanner.lower(expected) else {
        return false
      }
    }
    return true
  }

  /// Whether these bytes start with `prefix`, ASCII letters folded on both sides, read over contiguous
  /// bytes where both have them (arrays, native strings and their slices: the generic iterator of a
  /// substring's UTF-8 view cost several times the comparison); `nil` where one has none.
  func startsWithFoldingCase(_ prefix: String.UTF8View) -> Bool? {
    let answer = withContiguousStorageIfAvailable { own in
      prefix.withContiguousStorageIfAvailable { expected in
        guard own.count >= expected.count else { return false }
        for index in expected.indices
        where ByteScanner.lower(own[index]) != ByteScanner.lower(expected[index]) {
          return false
        }
        return true
      }
    }
    return answer ?? nil
  }
}
