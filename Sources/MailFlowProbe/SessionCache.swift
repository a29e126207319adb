/// Dialogue results by server, shared by the probes of a scan: an MX (or a provider's submission, IMAP
/// or POP3 server) that serves a thousand domains is asked once per address, port and name (the SNI),
/// and every domain that points to it gets the same evidence; what depends on the domain — DANE with
/// its TLSA records, MTA-STS, names — is still judged per domain from that evidence. Bounded: the
/// oldest entries go first.
public actor SessionCache {
  public static let maximumEntries = 10_000

  private var sessions: [String: Task<SMTPSessionResult, Never>] = [:]
  private var mailboxSessions: [String: Task<MailboxSessionResult, Never>] = [:]
  private var order: [String] = []
  /// Dialogues not made because an earlier domain's could be reused.
  public private(set) var hits = 0

  public init() {}

  /// An IMAP or POP3 server's dialogue, made once (a provider's mail servers serve many domains).
  func mailbox(
    _ kind: MailboxSessionResult.Kind, host: String, address: String, port: Int, implicitTLS: Bool,
    probe: @escaping @Sendable () async -> MailboxSessionResult
  ) async -> MailboxSessionResult {
    let key = "\(kind)|\(address)|\(port)|\(host.lowercased().withoutTrailingDot)|\(implicitTLS)"
    if let task = mailboxSessions[key] {
      hits += 1
      return await task.value
    }
    let task = Task { await probe() }
    mailboxSessions[key] = task
    order.append("m:" + key)
    trim()
    let result = await task.value
    if result.capabilities == nil, mailboxSessions[key] == task { forget("m:" + key) }
    return result
  }

  /// Drops an entry that is not to be reused, and its place in the order (or a later dialogue with the
  /// same server would be dropped early in its stead).
  private func forget(_ entry: String) {
    guard let index = order.lastIndex(of: entry) else { return }
    order.remove(at: index)
    drop(entry)
  }

  private func drop(_ entry: String) {
    if entry.hasPrefix("m:") {
      mailboxSessions[String(entry.dropFirst(2))] = nil
    } else {
      sessions[entry] = nil
    }
  }

  /// Drops the oldest entries beyond the bound.
  private func trim() {
    while order.count > Self.maximumEntries {
      drop(order.removeFirst())
    }
  }

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
    trim()
    let result = await task.value
    // A dialogue that did not get as far as EHLO (a timeout, a reset, a busy server) is not kept: the
    // next domain that uses this server asks again rather than inherit a passing failure.
    if result.ehlo == nil, sessions[key] == task { forget(key) }
    return result
  }
}
