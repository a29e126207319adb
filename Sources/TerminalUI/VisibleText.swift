/// Text made terminal-safe (`TerminalSafe.visible`) and measured once, for tables that draw the same
/// cells many times or join cells into rows: a trace's table has a row per Received field, and
/// checking each row again when it became a span cost more than making it. The type is the proof:
/// a `VisibleText` is only made by `init` (which shows controls visibly) or by joining others and
/// spaces, so a span made of one is not checked again.
public struct VisibleText: Sendable, Equatable {
  public let string: String
  /// Columns on a terminal.
  public let width: Int

  /// - Parameter ascii: give non-ASCII characters their plain stand-ins (`ASCIIFallback`), for
  ///   terminals without UTF-8; measured after, as shown.
  public init(_ text: String, ascii: Bool = false) {
    if PrintableASCII.check(text) {
      self.init(safe: text, width: text.utf8.count)
      return
    }
    let visible = TerminalSafe.visible(text)
    let shown = ascii ? ASCIIFallback.string(visible) : visible
    self.init(safe: shown, width: DisplayWidth.of(shown))
  }

  @usableFromInline init(safe string: String, width: Int) {
    self.string = string
    self.width = width
  }

  public static let empty = VisibleText("")

  /// Builds a row from visible cells and padding in one byte buffer, to be cut into pieces where the
  /// row changes style (a table row is drawn as the text before its rating, the rating, and the rest).
  /// Inlinable, like its parts: a row is a few dozen calls, made 20,000 times for a long trace, from
  /// another module.
  public struct Builder {
    /// A place in what is being built: its offset in bytes and in columns.
    public struct Mark: Sendable {
      @usableFromInline let offset: Int
      @usableFromInline let width: Int

      @usableFromInline init(offset: Int, width: Int) {
        self.offset = offset
        self.width = width
      }
    }

    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var width = 0

    @inlinable public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    @inlinable public var mark: Mark { Mark(offset: bytes.count, width: width) }

    @inlinable public mutating func append(_ text: VisibleText) {
      bytes.append(contentsOf: text.string.utf8)
      width += text.width
    }

    @inlinable public mutating func appendSpaces(_ count: Int) {
      guard count > 0 else { return }
      bytes.append(contentsOf: repeatElement(0x20, count: count))
      width += count
    }

    /// Drops the spaces the text ends in; marks past the new end stand for the end.
    @inlinable public mutating func dropTrailingSpaces() {
      while bytes.last == 0x20 {
        bytes.removeLast()
        width -= 1
      }
    }

    /// The text between two marks (visible text and spaces joined are visible text: no scalar is made or
    /// split where two meet).
    @inlinable public func text(from start: Mark, to end: Mark) -> VisibleText {
      // Only spaces, one column each, were dropped past the end.
      func clamped(_ mark: Mark) -> Mark {
        mark.offset <= bytes.count
          ? mark : Mark(offset: bytes.count, width: mark.width - (mark.offset - bytes.count))
      }
      let (start, end) = (clamped(start), clamped(end))
      guard start.offset < end.offset else { return .empty }
      let piece = bytes[start.offset..<end.offset].withUnsafeBufferPointer {
        String(decoding: $0, as: UTF8.self)
      }
      return VisibleText(safe: piece, width: end.width - start.width)
    }
  }
}
