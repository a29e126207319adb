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
    for byte in bytes {
      let position = consumed
      consumed += 1
      if endAfterCR { return byte == 0x0A ? position + 1 : position }
      switch byte {
      case 0x0D:
        if lineLength == 0 { endAfterCR = true }  // CRLF CR…, or CR CR: an empty line
        lineLength = 0
        afterCR = true
      case 0x0A:
        if afterCR {
          afterCR = false  // the LF of a CRLF
        } else if lineLength == 0 {
          return position + 1
        } else {
          lineLength = 0
        }
      default:
        lineLength += 1
        afterCR = false
      }
    }
    return nil
  }

  /// At the end of input: the offset past a final empty line ended by a lone CR, if that is how it ended.
  public func finish() -> Int? { endAfterCR ? consumed : nil }
}
