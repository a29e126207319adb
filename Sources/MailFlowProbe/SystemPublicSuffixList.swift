import MailFlowModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension PublicSuffixList {
  /// The system's list (Debian's `publicsuffix` package), read once and only when a DMARC lookup needs
  /// an organisational domain; `nil` when it is missing, not a regular file, too large or holds no
  /// rules (the DMARC check then takes the last two labels and says so).
  public static let system: PublicSuffixList? = {
    // open with O_NONBLOCK, then fstat: a FIFO put in its place cannot block, and never more than the
    // limit is read, even if the file grows meanwhile.
    let descriptor = open(systemPath, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maximumBytes
    else { return nil }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while bytes.count <= maximumBytes {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      bytes += chunk[..<count]
    }
    guard bytes.count <= maximumBytes, let text = String(validating: bytes, as: UTF8.self) else { return nil }
    return try? PublicSuffixList(text)
  }()
}
