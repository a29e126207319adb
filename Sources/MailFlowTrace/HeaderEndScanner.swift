/// Finds the empty line that ends a header section in input that arrives in pieces, remembering where
/// it stopped, so a reader can stop reading at the body without scanning anything twice. Accepts CRLF,
/// LF and lone CR line endings.
public struct HeaderEndScanner: Sendable {
  private var consumed = 0
  private var lineLength = 0
  private var afterCR = false
  /// An empty line ended by CR: the header ends after it, or after the LF if one follows.
  private var endAfterCR = false

  public init() {}

  /// Feeds the next piece; returns the absolute offset just past the empty line once it is found.
  public mutating func feed(_ bytes: ArraySlice<UInt8>) -> Int? {
    bytes.withUnsafeBufferPointer { scan($0) }
  }

  private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if !endAfterCR && byte != 0x0A && byte != 0x0D {
        // The rest of a line up to its ending, in one step: most bytes of a header are not line ends.
        let end = LineEnd.next(in: bytes, from: index + 1)
        lineLength += end - index
        consumed += end - index
        afterCR = false
        index = end
        continue
      }
      let position = consumed
      consumed += 1
      index += 1
      if endAfterCR { return byte == 0x0A ? position + 1 : position }
      if byte == 0x0D {
        if lineLength == 0 { endAfterCR = true }  // CRLF CR…, or CR CR: an empty line
        lineLength = 0
        afterCR = true
      } else if afterCR {
        afterCR = false  // the LF of a CRLF
      } else if lineLength == 0 {
        return position + 1
      } else {
        lineLength = 0
      }
    }
    return nil
  }

  /// At the end of input: the offset past a final empty line ended by a lone CR, if that is how it ended.
  public func finish() -> Int? { endAfterCR ? consumed : nil }
}
