import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A tmux session on a private server socket, for driving the real binary in a real terminal.
public final class TmuxSession {
  public let socket = "mailflow-test-\(UUID().uuidString.prefix(8))"
  public let name = "t"

  /// Starts `command` (a shell command line) in a detached session of the given size.
  public init(width: Int, height: Int, command: String, environment: [String: String] = [:]) throws {
    var arguments = ["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height)]
    for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
      arguments += ["-e", "\(key)=\(value)"]
    }
    arguments.append(command)
    try run(arguments, captureOutput: false)
  }

  deinit { _ = try? run(["kill-server"], captureOutput: false) }

  /// Runs a tmux command with posix_spawn and waitpid. Foundation's `Process` is not used here: the
  /// tmux server that `new-session` forks keeps a descriptor of Process's exit monitoring open, so
  /// `waitUntilExit` would wait for the server to end.
  @discardableResult
  public func run(_ arguments: [String], captureOutput: Bool = true) throws -> String {
    try spawn(["tmux", "-L", socket, "-f", "/dev/null"] + arguments, captureOutput: captureOutput)
  }

  /// Keys in tmux's notation (`Right`, `Tab`, `q`, `C-c`).
  public func send(_ keys: String...) throws {
    try run(["send-keys", "-t", name] + keys)
  }

  public func capture() throws -> String {
    try run(["capture-pane", "-p", "-t", name])
  }

  /// The screen with its attributes as escape sequences (reverse video is `\e[7m`).
  public func captureWithAttributes() throws -> String {
    try run(["capture-pane", "-p", "-e", "-t", name])
  }

  public func resize(width: Int, height: Int) throws {
    try run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
  }

  /// Waits until the screen contains `text`, returning the last capture either way.
  @discardableResult
  public func waitFor(_ text: String, seconds: Double = 10) throws -> (found: Bool, screen: String) {
    let deadline = Date().addingTimeInterval(seconds)
    var screen = ""
    while Date() < deadline {
      screen = try capture()
      if screen.contains(text) { return (true, screen) }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return (false, screen)
  }

  /// The process ids of the children of the pane's shell.
  public func childProcessIDs() throws -> [Int32] {
    let shell = try run(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
    return children.split(separator: " ").compactMap { Int32($0) }
  }
}

/// Runs a program found on PATH, waits for it, and returns its standard output (empty when not
/// captured). Standard input and error go to /dev/null.
public func spawn(_ arguments: [String], captureOutput: Bool) throws -> String {
  var fds: [Int32] = [-1, -1]
  if captureOutput { guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) } }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  if captureOutput {
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  }
  var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
  defer { for pointer in argv { free(pointer) } }
  // Children inherit the calling thread's signal mask, and test threads block signals: start tmux
  // (and so the programs in its panes) with none blocked and default handlers.
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var none = sigset_t()
  sigemptyset(&none)
  var all = sigset_t()
  sigfillset(&all)
  posix_spawnattr_setsigmask(&attributes, &none)
  posix_spawnattr_setsigdefault(&attributes, &all)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
  var pid: pid_t = 0
  let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
  if captureOutput { close(fds[1]) }
  guard status == 0 else {
    if captureOutput { close(fds[0]) }
    throw POSIXError(POSIXErrorCode(rawValue: status) ?? .ENOENT)
  }
  var output = Data()
  if captureOutput {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(fds[0], &buffer, buffer.count)
      if count <= 0 { break }
      output.append(contentsOf: buffer[0..<count])
    }
    close(fds[0])
  }
  var exitStatus: Int32 = 0
  while waitpid(pid, &exitStatus, 0) == -1 && errno == EINTR {}
  return String(decoding: output, as: UTF8.self)
}
