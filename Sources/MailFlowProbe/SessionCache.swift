/// Dialogue results by server, shared by the probes of a scan: an MX that serves a thousand domains
/// (a provider's) is asked once per address, port and name (the SNI), and every domain that points to
/// it gets the same evidence; what depends on the domain — DANE with its TLSA records, MTA-STS, names
/// — is still judged per domain from that evidence. Bounded: the oldest entries go first.
public actor SessionCache {
  public static let maximumEntries = 10_000

  private var sessions: [String: Task<SMTPSessionResult, Never>] = [:]
  private var order: [String] = []
  /// Dialogues not made because an earlier domain's could be reused.
  public private(set) var hits = 0

  public init() {}

  /// The dialogue with a server, made once.
  func smtp(
    host: String, address: String, port: Int, options: SMTPSession.Options,
    probe: @escaping @Sendable () async -> SMTPSessionResult
  ) async -> SMTPSessionResult {
    let key =
      "\(address)|\(port)|\(host.lowercased().withoutTrailingDot)|\(options.implicitTLS)|\(options.offer)"
    if let task = sessions[key] {
      hits += 1
      return await task.value
    }
    let task = Task { await probe() }
    sessions[key] = task
    order.append(key)
    if order.count > Self.maximumEntries { sessions[order.removeFirst()] = nil }
    let result = await task.value
    // A dialogue that did not get as far as EHLO (a timeout, a reset, a busy server) is not kept: the
    // next domain that uses this server asks again rather than inherit a passing failure.
    if result.ehlo == nil { sessions[key] = nil }
    return result
  }
}
