import MailFlowModel

/// The header section of a message: everything before the first empty line, split into fields.
/// Any line ending (CRLF, LF, CR) is accepted; folded lines are joined; an mbox "From " line before the
/// first field is skipped. Pure: works on bytes the caller has read.
public struct HeaderSection: Sendable, Equatable {
  public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// Bytes, but the first line is empty: whatever follows is a body without a header section.
    case noHeaderSection
    case notAHeader(line: Int, text: String)

    public var description: String {
      switch self {
      case .empty: "the input is empty"
      case .noHeaderSection:
        "not an e-mail message: it begins with an empty line, so it has no header fields"
      case .notAHeader(let line, let text):
        "not an e-mail message: line \(line) is not a header field (\"\(text)\")"
      }
    }
  }

  public var fields: [HeaderField]

  public init(fields: [HeaderField]) { self.fields = fields }

  // Over the array's buffer: each field is looked at where it is (iterating the array copies each one,
  // its name and value retained and released), and a trace asks for a dozen names in a header of up to
  // 20,000 fields, on one core.
  public func all(_ name: String) -> [HeaderField] {
    fields.withUnsafeBufferPointer { $0.filter { $0.is(name) } }
  }
  public func first(_ name: String) -> HeaderField? {
    fields.withUnsafeBufferPointer { $0.first { $0.is(name) } }
  }

  /// Index of the byte after the header section's terminating empty line in `bytes`, or `nil` when
  /// there is none yet.
  public static func endOfHeader(in bytes: [UInt8]) -> Int? {
    var scanner = HeaderEndScanner()
    return scanner.feed(bytes[...]) ?? scanner.finish()
  }

  public static func parse(_ bytes: [UInt8]) throws(ParseError) -> HeaderSection {
    let lines = splitLines(bytes)
    guard !bytes.isEmpty else { throw .empty }
    guard let first = lines.first, !first.isEmpty else { throw .noHeaderSection }
    // The shape is read in order (names, folds, broken lines); the values — decoded, made visible and
    // trimmed, most of the work for a header of thousands of fields — afterwards, on every core.
    var pending: [PendingField] = []
    var number = 0
    for line in lines {
      number += 1
      if line.isEmpty { break }
      if number == 1 && line.starts(with: "From ".utf8) { continue }  // mbox postmark
      if line.first == 0x20 || line.first == 0x09 {
        guard !pending.isEmpty else {
          throw .notAHeader(line: number, text: TextDecoding.visible(line.prefix(60)))
        }
        pending[pending.count - 1].folds.append(line)
        continue
      }
      guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
        line[..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
      else {
        if pending.isEmpty || number <= 2 {
          throw .notAHeader(line: number, text: TextDecoding.visible(line.prefix(60)))
        }
        // A broken line inside the header: keep it visible as a field of its own rather than drop it.
        pending.append(PendingField(name: "", value: line, trimmed: false, line: number))
        continue
      }
      let name = String(decoding: line[..<colon], as: UTF8.self)
      pending.append(PendingField(name: name, value: line[(colon + 1)...], trimmed: true, line: number))
    }
    guard !pending.isEmpty else { throw .empty }
    return HeaderSection(fields: ParallelMap.map(pending) { $0.field })
  }

  /// A field whose place and name are known and whose value is still bytes.
  private struct PendingField: Sendable {
    let name: String
    let value: ArraySlice<UInt8>
    /// False for a broken line, shown whole.
    let trimmed: Bool
    let line: Int
    /// Continuation lines, each joined with one space.
    var folds: [ArraySlice<UInt8>] = []

    var field: HeaderField {
      var text = trimmed ? trimmedValue(value) : TextDecoding.visible(value)
      for fold in folds { text += " " + trimmedValue(fold) }
      return HeaderField(name: name, value: text, line: line)
    }
  }

  /// A value for display without the white space around it. Spaces and tabs are cut from the bytes; a
  /// value that then begins or ends in non-ASCII text is trimmed as Unicode text instead (no-break and
  /// other spaces count there, and a space can carry a combining mark).
  static func trimmedValue(_ bytes: ArraySlice<UInt8>) -> String {
    var start = bytes.startIndex
    var end = bytes.endIndex
    while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    guard start == end || (bytes[start] < 0x80 && bytes[end - 1] < 0x80) else {
      return TextDecoding.visible(bytes).trimmed
    }
    return TextDecoding.visible(bytes[start..<end])
  }

  /// Lines without their endings, for CRLF, LF and lone CR.
  static func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    bytes.withUnsafeBufferPointer { buffer in
      var index = 0
      while true {
        index = LineEnd.next(in: buffer, from: index)
        guard index < buffer.count else { break }
        lines.append(bytes[start..<index])
        index += (buffer[index] == 0x0D && index + 1 < buffer.count && buffer[index + 1] == 0x0A) ? 2 : 1
        start = index
      }
    }
    if start < bytes.count { lines.append(bytes[start..<bytes.count]) }
    return lines
  }
}

extension String {
  var trimmed: String {
    var scalars = Substring(self)
    while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
