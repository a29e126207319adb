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

  /// Everything from a descriptor (standard input), at most `limit` bytes.
  static func readAll(_ descriptor: Int32, name: String, limit: Int) throws(CLIError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw CLIError("cannot read \(name): \(String(cString: strerror(errno)))")
      }
      if count == 0 { return bytes }
      bytes += chunk[..<count]
      if bytes.count > limit { throw CLIError("\(name) is larger than \(limit / 1_048_576) MiB") }
    }
  }

  /// Writes text to standard error whole (retrying short writes).
  static func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
      if written <= 0 { return }
      bytes = bytes.dropFirst(written)
    }
  }
}
