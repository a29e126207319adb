#if canImport(Glibc)
  import Glibc
  private let fileLimitResource = Int32(RLIMIT_NOFILE.rawValue)
#elseif canImport(Darwin)
  import Darwin
  private let fileLimitResource = RLIMIT_NOFILE
#endif

/// A cap on the probe's open connections, below the process's file-descriptor limit: many MX hosts
/// with many addresses each, or several probes at once, must wait for a slot rather than fail with
/// "too many open files" — which would change a verdict.
actor ConnectionSlots {
  static let shared = ConnectionSlots(limit: defaultLimit())

  let limit: Int
  private var inUse = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) {
    self.limit = max(1, limit)
  }

  /// A quarter of the soft descriptor limit (DNS, the event loops and the terminal need the rest), at
  /// most 256: `ulimit -n 1024` gives 256.
  static func defaultLimit() -> Int {
    var limits = rlimit()
    // RLIM_INFINITY is all ones: `min` takes care of it.
    guard getrlimit(fileLimitResource, &limits) == 0 else { return 256 }
    return Int(max(8, min(256, limits.rlim_cur / 4)))
  }

  func acquire() async {
    if inUse < limit {
      inUse += 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  /// Hands the slot to the next waiter, or frees it.
  func release() {
    if waiting.isEmpty {
      inUse -= 1
    } else {
      waiting.removeFirst().resume()
    }
  }

  var connectionsOpen: Int { inUse }
}
