import MailFlowTrace

#if canImport(Glibc)
  import Glibc
#endif

/// Reads messages' header sections from a message file, an mbox, a Maildir (or, with `recursive`, a
/// tree of Maildir++ folders) or standard input, one at a time and headers only: bodies are skipped
/// without being held, whatever the mailbox's size.
enum MailboxReader {
  /// A message as read: where it is, and its header bytes or why it could not be read.
  struct Item {
    var file: String
    var offset: Int?
    var header: [UInt8]
    var skipped: String?
  }

  static let chunkSize = 1_048_576

  /// Calls `each` for every message, in order.
  static func read(_ path: String, recursive: Bool, each: (Item) throws(CLIError) -> Void) throws(CLIError) {
    if path != "-" && FilePath.kind(path) == .directory {
      try maildir(path, recursive: recursive, each: each)
      return
    }
    let descriptor: Int32
    if path == "-" {
      descriptor = STDIN_FILENO
    } else {
      descriptor = open(path, O_RDONLY | O_NONBLOCK)
      guard descriptor >= 0 else {
        throw CLIError("cannot read '\(path)': \(String(cString: strerror(errno)))")
      }
      var info = stat()
      guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
        close(descriptor)
        throw CLIError("'\(path)' is not a regular file")
      }
      _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    }
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    let name = path == "-" ? "standard input" : path
    // The first bytes decide: an mbox begins with a `From ` line; anything else is one message.
    // A pipe may deliver fewer bytes than asked: read until there are five, or the input ends.
    var first: [UInt8] = []
    var piece = [UInt8](repeating: 0, count: chunkSize)
    while first.count < 5 {
      let count = try FilePath.readSome(descriptor, into: &piece, name: name)
      if count == 0 { break }
      first += piece[..<count]
    }
    guard first.starts(with: Array("From ".utf8)) else {
      let (header, _) = try HeaderFileReader.read(descriptor: descriptor, name: name, initial: first)
      try each(Item(file: name, offset: nil, header: header, skipped: nil))
      return
    }
    var splitter = MboxSplitter()
    for message in splitter.feed(first) {
      try each(Item(file: name, offset: message.offset, header: message.header, skipped: message.skipped))
    }
    try FilePath.readChunks(descriptor, name: name, size: chunkSize) { chunk throws(CLIError) in
      let messages = chunk.withUnsafeBufferPointer { splitter.feed($0) }
      for message in messages {
        try each(Item(file: name, offset: message.offset, header: message.header, skipped: message.skipped))
      }
      return true
    }
    for message in splitter.finish() {
      try each(Item(file: name, offset: message.offset, header: message.header, skipped: message.skipped))
    }
  }

  /// A Maildir: the messages in `new/` and `cur/` (`tmp/` holds deliveries in progress); with
  /// `recursive`, also every Maildir++ folder (`.Sent`, `.Archive.2026`) below it. Files in name order.
  static func maildir(_ path: String, recursive: Bool, each: (Item) throws(CLIError) -> Void) throws(CLIError)
  {
    var folders = [path]
    if recursive {
      folders += entries(path).filter { $0.hasPrefix(".") && $0 != "." && $0 != ".." }.sorted()
        .map { FilePath.join(path, $0) }.filter { FilePath.kind($0) == .directory }
    }
    var found = false
    for folder in folders {
      for sub in ["new", "cur"] {
        let directory = FilePath.join(folder, sub)
        guard FilePath.kind(directory) == .directory else { continue }
        found = true
        for name in entries(directory).sorted() where !name.hasPrefix(".") {
          let file = FilePath.join(directory, name)
          let item: Item
          do {
            let (header, _) = try HeaderFileReader.read(path: file, requireRegularFile: true)
            item = Item(file: file, offset: nil, header: header, skipped: nil)
          } catch {
            // One unreadable file (a FIFO, no permission) is counted and never stops the run.
            item = Item(file: file, offset: nil, header: [], skipped: "unreadable file")
          }
          try each(item)
        }
      }
    }
    guard found else {
      throw CLIError("'\(path)' is a folder but not a Maildir (no cur/ or new/ in it)")
    }
  }

  /// The names in a directory (none when it cannot be read).
  static func entries(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }
}

extension MailboxReader {
  /// The header section of the message at `offset` of an mbox (or of a whole message file): for the
  /// explorer, which keeps only where each message is.
  static func header(file: String, offset: Int?) throws(CLIError) -> [UInt8] {
    guard let offset else { return try HeaderFileReader.read(path: file, requireRegularFile: true).header }
    let descriptor = open(file, O_RDONLY)
    guard descriptor >= 0 else {
      throw CLIError("cannot read '\(file)': \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    guard lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else {
      throw CLIError("cannot read '\(file)' at \(offset): \(String(cString: strerror(errno)))")
    }
    return try HeaderFileReader.read(descriptor: descriptor, name: file).header
  }
}
