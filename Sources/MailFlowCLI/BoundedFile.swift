#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// Files read whole (CA bundles, trust anchors, knowledge-base files, reports) are read only if they
/// are regular files of a bounded size: a directory, `/dev/zero` or a FIFO must give one clear line at
/// once, never a spinning core, a blocked open or gigabytes of memory.
enum BoundedFile {
  /// The bytes of `path`, or a one-line error that names `what` it should have been.
  /// - Parameter limit: the largest size accepted, in bytes.
  static func read(_ path: String, what: String, limit: Int) throws(CLIError) -> Data {
    var info = stat()
    // stat, not open: opening a FIFO nobody writes to would block.
    guard stat(path, &info) == 0 else {
      throw CLIError("cannot read \(what) '\(path)': \(String(cString: strerror(errno)))")
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw CLIError("cannot read \(what) '\(path)': it is a folder")
    default: throw CLIError("cannot read \(what) '\(path)': not a regular file")
    }
    guard Int(info.st_size) <= limit else {
      throw CLIError(
        "\(what) '\(path)' is \(describe(Int(info.st_size))), more than one can be (at most \(describe(limit)))"
      )
    }
    let descriptor = open(path, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else {
      throw CLIError("cannot read \(what) '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    // The file may have grown since stat: never read more than the limit.
    var bytes: [UInt8] = []
    try FilePath.readChunks(descriptor, name: "\(what) '\(path)'", size: 65_536) { chunk in
      bytes += chunk
      return bytes.count <= limit
    }
    let data = Data(bytes)
    guard data.count <= limit else {
      throw CLIError("\(what) '\(path)' is more than one can be (at most \(describe(limit)))")
    }
    return data
  }

  /// The first bytes of a regular file (fewer when it is shorter), for a quick look at what it is.
  static func prefix(_ path: String, bytes count: Int) throws(CLIError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else {
      throw CLIError("cannot read '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: count)
    let read = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, count) }
    return read > 0 ? Array(bytes[..<read]) : []
  }

  /// `8 MiB`, `8.6 MiB`, `64 KiB`, `12 bytes`: whole numbers where exact, so a limit reads cleanly.
  static func describe(_ bytes: Int) -> String {
    func amount(_ unit: Int, _ name: String) -> String {
      if bytes % unit == 0 { return "\(bytes / unit) \(name)" }
      let tenths = (bytes * 10 + unit / 2) / unit
      return "\(tenths / 10).\(tenths % 10) \(name)"
    }
    return bytes >= 1_048_576
      ? amount(1_048_576, "MiB") : bytes >= 1024 ? amount(1024, "KiB") : "\(bytes) bytes"
  }
}
