#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few path and file-system steps the commands need, on POSIX calls: the binary links
/// FoundationEssentials only (no NSString, FileHandle or ICU), which keeps it smaller and its start
/// faster.
enum FilePath {
  /// `directory/name`, with exactly one slash between them.
  static func join(_ directory: String, _ name: String) -> String {
    guard !directory.isEmpty else { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// The last component of a path (`/a/b/c.eml` → `c.eml`), trailing slashes ignored.
  static func lastComponent(_ path: String) -> String {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
  }

  enum Kind { case missing, directory, other }

  /// What is at `path` (following links), without opening it.
  static func kind(_ path: String) -> Kind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    return info.st_mode & S_IFMT == S_IFDIR ? .directory : .other
  }

  /// Fills `buffer` with what one read gives (retrying an interrupted read); 0 at the end.
  static func readSome(_ descriptor: Int32, into buffer: inout [UInt8], name: String) throws(CLIError) -> Int
  {
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count >= 0 { return count }
      if errno != EINTR { throw CLIError("cannot read \(name): \(String(cString: strerror(errno)))") }
    }
  }

  /// Every piece of a descriptor's input, in order, until its end (or until `body` returns false).
  static func readChunks(
    _ descriptor: Int32, name: String, size: Int = 1_048_576,
    _ body: (ArraySlice<UInt8>) throws(CLIError) -> Bool
  ) throws(CLIError) {
    var chunk = [UInt8](repeating: 0, count: size)
    while true {
      let count = try readSome(descriptor, into: &chunk, name: name)
      guard count > 0, try body(chunk[..<count]) else { return }
    }
  }

  /// Every line of a file (its bytes without the newline, at most `limit` of them, and the offset where
  /// it begins), read as a stream; empty lines are skipped.
  static func readLines(_ path: String, limit: Int, _ body: ([UInt8], Int) -> Void) throws(CLIError) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw CLIError("cannot read '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var line: [UInt8] = []
    var start = 0
    var consumed = 0
    try readChunks(descriptor, name: "'\(path)'") { chunk in
      for byte in chunk {
        consumed += 1
        if byte == 0x0A {
          if !line.isEmpty { body(line, start) }
          line.removeAll(keepingCapacity: true)
          start = consumed
        } else if line.count < limit {
          line.append(byte)
        }
      }
      return true
    }
    if !line.isEmpty { body(line, start) }
  }

  /// Everything from a descriptor (standard input), at most `limit` bytes.
  static func readAll(_ descriptor: Int32, name: String, limit: Int) throws(CLIError) -> [UInt8] {
    var bytes: [UInt8] = []
    try readChunks(descriptor, name: name, size: 65_536) { chunk throws(CLIError) in
      bytes += chunk
      if bytes.count > limit { throw CLIError("\(name) is larger than \(limit / 1_048_576) MiB") }
      return true
    }
    return bytes
  }

  /// Writes text to standard error whole (retrying short writes).
  static func writeStandardError(_ text: String) { writeAll(Array(text.utf8), to: STDERR_FILENO) }

  /// Writes bytes to standard output whole, after what `print` buffered.
  static func writeStandardOutput(_ bytes: [UInt8]) {
    fflush(nil)
    writeAll(bytes, to: STDOUT_FILENO)
  }

  /// Writes bytes whole (retrying short writes); stops when the descriptor takes no more (a closed pipe).
  static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    var bytes = bytes[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      if written <= 0 { return }
      bytes = bytes.dropFirst(written)
    }
  }
}
