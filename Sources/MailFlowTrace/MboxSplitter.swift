/// Splits an mbox (mboxo or mboxrd: messages separated by `From ` lines) fed in chunks into its
/// messages' header sections, keeping only the headers: a body is scanned line by line for the next
/// separator and never held. A `From ` line separates messages only at the start of the input or after
/// an empty line (writers quote body lines as `>From `; an unquoted one inside a paragraph stays body).
/// LF and CRLF line endings. Bounded: a header larger than `maximumHeaderBytes` is skipped with the
/// reason, and of a body line only its first five bytes are ever kept.
public struct MboxSplitter: Sendable {
  /// One message: where its `From ` line starts in the input, its header bytes (postmark included),
  /// and why it cannot be read, when it cannot.
  public struct Message: Sendable, Equatable {
    public var offset: Int
    public var header: [UInt8]
    public var skipped: String?
  }

  public static let maximumHeaderBytes = 1_048_576

  private var consumed = 0
  /// The current line: whole while in a header, its first five bytes in a body.
  private var line: [UInt8] = []
  private var lineStart = 0
  private var lineLength = 0
  private var previousLineEmpty = true
  private var inHeader = false
  private var inMessage = false
  private var header: [UInt8] = []
  private var messageOffset = 0
  private var oversized = false
  private var finished: [Message] = []

  public init() {}

  static let postmark: [UInt8] = Array("From ".utf8)

  /// Feeds the next piece of input; returns the messages it completed.
  public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) -> [Message] {
    finished.removeAll(keepingCapacity: true)
    var index = 0
    while index < bytes.count {
      // Up to the end of this line, or of the piece.
      var end = index
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      let keep = inHeader ? end - index : max(0, min(end - index, 5 - line.count))
      if keep > 0 { line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + keep])) }
      lineLength += end - index
      consumed += end - index
      if end < bytes.count {
        consumed += 1
        endLine()
        index = end + 1
      } else {
        index = end
      }
      if inHeader && line.count > Self.maximumHeaderBytes { overflow() }
    }
    return finished
  }

  public mutating func feed(_ bytes: [UInt8]) -> [Message] {
    bytes.withUnsafeBufferPointer { feed($0) }
  }

  /// At the end of input: the last message (a truncated one with what there was).
  public mutating func finish() -> [Message] {
    finished.removeAll()
    if lineLength > 0 { endLine() }
    if inMessage { complete() }
    return finished
  }

  private mutating func endLine() {
    let empty = lineLength == 0 || (lineLength == 1 && line.first == 0x0D)
    if previousLineEmpty && line.count >= 5 && line.starts(with: Self.postmark) {
      if inMessage { complete() }
      inMessage = true
      inHeader = true
      oversized = false
      messageOffset = lineStart
      header = line + [0x0A]
    } else if inHeader {
      header += line
      header.append(0x0A)
      if header.count > Self.maximumHeaderBytes { overflow() }
      if empty { inHeader = false }
    }
    previousLineEmpty = empty
    line.removeAll(keepingCapacity: true)
    lineLength = 0
    lineStart = consumed
  }

  private mutating func overflow() {
    oversized = true
    inHeader = false
    header = []
    line.removeAll(keepingCapacity: true)
  }

  private mutating func complete() {
    finished.append(
      Message(
        offset: messageOffset, header: oversized ? [] : header,
        skipped: oversized ? "header section larger than \(Self.maximumHeaderBytes / 1_048_576) MiB" : nil))
    header = []
    inMessage = false
    inHeader = false
  }
}
