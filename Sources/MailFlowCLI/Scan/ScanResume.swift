/// What an interrupted scan already wrote, read as a stream (an output of a million reports is read
/// in pieces, not held): the input domains whose lines are whole, and where the whole lines end (a
/// line cut by a kill is dropped, and its domain probed again).
struct ScanResume: Equatable {
  var done: Set<String> = []
  /// Bytes of whole lines at the start of the output; anything after them is a torn line.
  var validLength = 0
  private var consumed = 0
  /// The start of the current line, enough to read its `"input"`.
  private var head: [UInt8] = []

  static let headBytes = 512

  init() {}

  init(_ bytes: [UInt8]) { feed(bytes[...]) }

  mutating func feed(_ bytes: ArraySlice<UInt8>) {
    for byte in bytes {
      consumed += 1
      if byte == 0x0A {
        if let domain = Self.input(of: head[...]) { done.insert(domain) }
        validLength = consumed
        head.removeAll(keepingCapacity: true)
      } else if head.count < Self.headBytes {
        head.append(byte)
      }
    }
  }

  /// The `"input"` of a line as the scan writes it (`{"input":"example.net",…`), without parsing
  /// the whole report.
  static func input(of line: ArraySlice<UInt8>) -> String? {
    let prefix = Array(#"{"input":""#.utf8)
    guard line.starts(with: prefix) else { return nil }
    let rest = line.dropFirst(prefix.count)
    guard let end = rest.firstIndex(of: 0x22) else { return nil }
    return String(decoding: rest[..<end], as: UTF8.self)
  }
}
