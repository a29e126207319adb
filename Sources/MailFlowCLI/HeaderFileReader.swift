import MailFlowTrace

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// Reads only the header section of a message file (or stdin): chunk by chunk until the first empty
/// line, so a multi-gigabyte body is never read, let alone held in memory.
enum HeaderFileReader {
  static let chunkSize = 64 * 1024
  /// Header sections larger than this are refused rather than read without end.
  static let maximumHeaderBytes = 16 * 1024 * 1024

  /// The header bytes (up to and including the empty line, or the whole input if it has no body) and
  /// how many bytes were read in all.
  /// - Parameter requireRegularFile: refuse FIFOs, devices and the like without blocking on them (the
  ///   explorer must not hang on a named pipe nobody writes to).
  static func read(path: String, requireRegularFile: Bool = false) throws(CLIError) -> (
    header: [UInt8], bytesRead: Int
  ) {
    let descriptor: Int32
    if path == "-" {
      descriptor = STDIN_FILENO
    } else {
      if FilePath.kind(path) == .directory {
        throw CLIError("'\(path)' is a folder, not a message file")
      }
      descriptor = open(path, O_RDONLY | (requireRegularFile ? O_NONBLOCK : 0))
      guard descriptor >= 0 else {
        throw CLIError("cannot read '\(path)': \(String(cString: strerror(errno)))")
      }
      if requireRegularFile {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
          close(descriptor)
          throw CLIError("'\(path)' is not a regular file")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
      }
    }
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    return try read(descriptor: descriptor, name: path == "-" ? "standard input" : path)
  }

  /// - Parameter initial: bytes already read from the descriptor (a caller that looked at the start).
  static func read(descriptor: Int32, name: String, initial: [UInt8] = []) throws(CLIError) -> (
    header: [UInt8], bytesRead: Int
  ) {
    var bytes: [UInt8] = initial
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    var scanner = HeaderEndScanner()
    if let end = scanner.feed(initial[...]) { return (Array(initial[..<end]), initial.count) }
    while true {
      let count = Glibc.read(descriptor, &chunk, chunkSize)
      if count < 0 {
        if errno == EINTR { continue }
        throw CLIError("cannot read \(name): \(String(cString: strerror(errno)))")
      }
      if count == 0 { return (bytes, bytes.count) }
      bytes.append(contentsOf: chunk[0..<count])
      if let end = scanner.feed(chunk[0..<count]) {
        return (Array(bytes[..<end]), bytes.count)
      }
      if bytes.count > maximumHeaderBytes {
        throw CLIError(
          "\(name): no end of the header section in the first \(maximumHeaderBytes / 1_048_576) MiB")
      }
    }
  }
}
