import CUnbound
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// DNS with DNSSEC validation done here, by libunbound, not trusted from an upstream resolver.
///
/// One unbound context serves all lookups; it is not thread-safe, so every call into it happens on one
/// serial queue, and answers come back through `ub_fd` readiness on that queue. Each lookup has its
/// own deadline: an unreachable upstream makes unbound wait ~17 s before SERVFAIL.
public final class DNSResolver: @unchecked Sendable {
  public struct Configuration: Sendable {
    /// Forward to these resolvers; empty means the system's (/etc/resolv.conf), unless `recursive`.
    public var forwarders: [ResolverAddress] = []
    /// Resolve from the root servers ourselves instead of forwarding.
    public var recursive = false
    /// Extra trust anchors: files of DS or DNSKEY records in zone-file format.
    public var trustAnchorFiles: [String] = []
    /// Whether the root trust anchor is used (off when the given anchors replace it).
    public var useRootAnchor = true
    public var rootAnchorFile = "/usr/share/dns/root.key"
    /// An unbound configuration file to load (the hermetic tests' auth-zones).
    public var configFile: String?
    /// Deadline of each lookup.
    public var timeout: Duration = .seconds(5)

    public init() {}
  }

  public enum SetupError: Error, Sendable, Equatable, CustomStringConvertible {
    case failed(String)
    public var description: String {
      switch self {
      case .failed(let text): text
      }
    }
  }

  private let context: OpaquePointer
  private let queue = DispatchQueue(label: "mailflow.dns")
  private let readSource: DispatchSourceRead
  private let timeout: Duration
  /// Who answers our lookups, for the reason a silent resolver gives.
  private let upstream: String
  /// Whether any lookup has been answered (queue only).
  private var answeredOnce = false
  /// Lookups that reached their deadline while nothing had been answered (queue only).
  private var unansweredTimeouts = 0
  /// Set when several lookups (`silentAfter`) reached their deadline before the resolver had answered
  /// anything at all: it is not there, and every later lookup fails at once with this reason instead of
  /// each waiting out its own deadline. One slow lookup (a large DNSKEY answer lost on the way, a zone
  /// with dead servers) is not enough (queue only).
  private var silence: String?
  static let silentAfter = 3
  /// Lookups unbound has and that have not ended, by their serial (queue only).
  private var inFlight: [UInt64: PendingLookup] = [:]
  private var nextSerial: UInt64 = 0
  /// Every started lookup's deadline, in the order they were started — which is the order of their
  /// deadlines, since every lookup gets the same time. One timer, armed for the first, serves them all:
  /// a timer per lookup would hold each lookup and its closure for the whole deadline even when the
  /// answer came in a millisecond, and a scan starting thousands of lookups a second would carry tens of
  /// thousands of them. The timer is armed exactly while a deadline is pending (queue only).
  private var deadlines: [(at: DispatchTime, serial: UInt64)] = []
  private var firstDeadline = 0
  private let deadlineTimer: DispatchSourceTimer

  public init(_ configuration: Configuration) throws(SetupError) {
    guard let context = ub_ctx_create() else { throw .failed("cannot create the DNS resolver") }
    self.context = context
    timeout = configuration.timeout
    upstream =
      !configuration.forwarders.isEmpty
      ? "the resolver " + configuration.forwarders.map(\.description).joined(separator: ", ")
      : configuration.recursive ? "the root servers" : "the system's resolver (/etc/resolv.conf)"
    func check(_ status: Int32, _ what: String) throws(SetupError) {
      if status != 0 { throw .failed("\(what): \(String(cString: ub_strerror(status)))") }
    }
    // unbound reads anchor and config files only at its first lookup; say now which one is unreadable.
    let files =
      configuration.trustAnchorFiles + (configuration.useRootAnchor ? [configuration.rootAnchorFile] : [])
      + (configuration.configFile.map { [$0] } ?? [])
    if let unreadable = files.first(where: { access($0, R_OK) != 0 }) {
      ub_ctx_delete(context)
      throw .failed("cannot read '\(unreadable)': \(String(cString: strerror(errno)))")
    }
    do {
      if let file = configuration.configFile {
        try check(ub_ctx_config(context, file), "cannot load \(file)")
      }
      if configuration.forwarders.isEmpty {
        if configuration.configFile == nil && !configuration.recursive {
          try check(ub_ctx_resolvconf(context, nil), "cannot read /etc/resolv.conf")
        }
      } else {
        try check(ub_ctx_set_option(context, "do-not-query-localhost:", "no"), "resolver option")
        for forwarder in configuration.forwarders {
          try check(ub_ctx_set_fwd(context, forwarder.description), "cannot forward to \(forwarder.address)")
        }
      }
      if configuration.useRootAnchor {
        try check(
          ub_ctx_add_ta_file(context, configuration.rootAnchorFile),
          "cannot read the root trust anchor \(configuration.rootAnchorFile)")
      }
      for file in configuration.trustAnchorFiles {
        try check(ub_ctx_add_ta_file(context, file), "cannot read trust anchor \(file)")
      }
      try check(ub_ctx_async(context, 1), "cannot start the resolver thread")
    } catch {
      ub_ctx_delete(context)
      throw error
    }
    readSource = DispatchSource.makeReadSource(fileDescriptor: ub_fd(context), queue: queue)
    readSource.setEventHandler { [context] in _ = ub_process(context) }
    // The context is freed on the queue after the last event handler has run; deinit may itself run on
    // the queue (when a lookup's block drops the last reference), so it must not wait for the queue.
    readSource.setCancelHandler { [context] in ub_ctx_delete(context) }
    readSource.resume()
    deadlineTimer = DispatchSource.makeTimerSource(queue: queue)
    // Weak: a lookup's caller keeps the resolver alive while it waits.
    deadlineTimer.setEventHandler { [weak self] in self?.expireDue() }
    deadlineTimer.resume()
  }

  deinit {
    deadlineTimer.cancel()
    readSource.cancel()
  }

  /// Looks up `name` (a fully qualified name; a trailing dot is added when missing) and never throws:
  /// every failure is a status in the answer.
  public func query(_ name: String, _ type: RecordType) async -> DNSAnswer {
    let qname = name.hasSuffix(".") ? name : name + "."
    let pending = PendingLookup(name: qname, type: type)
    // A cancelled task (a probe the user cancelled) stops waiting at once: the lookup is cancelled in
    // unbound and answered `timeout` with the reason, instead of holding the probe to its deadline.
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        queue.async { [self] in
          pending.wait(continuation)
          guard !pending.isFinished else { return }  // cancelled before it started
          if let silence {
            pending.finish(DNSAnswer(name: qname, type: type, status: .timeout, reason: silence))
            return
          }
          start(pending)
        }
      }
    } onCancel: {
      queue.async { [self] in
        guard !pending.isFinished else { return }
        abandon(pending)
        pending.finish(DNSAnswer(name: qname, type: type, status: .timeout, reason: "cancelled"))
      }
    }
  }

  /// Sends the lookup and arms its deadline (queue only).
  private func start(_ pending: PendingLookup) {
    let (qname, type) = (pending.name, pending.type)
    pending.resolver = self
    let box = Unmanaged.passRetained(pending)
    var id: Int32 = 0
    let status = ub_resolve_async(
      context, qname, Int32(type.rawValue), 1, box.toOpaque(),
      { pointer, error, result in
        let pending = Unmanaged<PendingLookup>.fromOpaque(pointer!).takeRetainedValue()
        if let resolver = pending.resolver {
          if result != nil { resolver.answeredOnce = true }
          if let serial = pending.serial { resolver.inFlight[serial] = nil }
        }
        pending.finish(
          DNSResolver.answer(name: pending.name, type: pending.type, error: error, result: result))
        if let result { ub_resolve_free(result) }
      }, &id)
    if status != 0 {
      box.release()
      pending.finish(
        DNSAnswer(name: qname, type: type, status: .error, reason: String(cString: ub_strerror(status))))
      return
    }
    // The callback may already have run (an answer from the cache): then nothing is left to cancel.
    guard !pending.isFinished else { return }
    pending.lookupID = id
    pending.box = box
    let serial = nextSerial
    nextSerial += 1
    pending.serial = serial
    inFlight[serial] = pending
    let idle = firstDeadline == deadlines.count
    deadlines.append((.now() + timeout.dispatchInterval, serial))
    if idle { armDeadlineTimer() }
  }

  /// Stops a lookup in unbound and lets it go. A cancelled lookup's callback never runs, so the retained
  /// box is released here (queue only).
  private func abandon(_ pending: PendingLookup) {
    if let id = pending.lookupID, ub_cancel(context, id) == 0 { pending.box?.release() }
    if let serial = pending.serial { inFlight[serial] = nil }
  }

  /// How many lookups the resolver still holds (for tests: an answered lookup is let go at once).
  func lookupsHeld() async -> Int {
    await withCheckedContinuation { continuation in
      queue.async { [self] in continuation.resume(returning: inFlight.count) }
    }
  }

  /// Ends the lookups whose deadline has come and arms the timer for the next (queue only).
  private func expireDue() {
    let now = DispatchTime.now()
    while firstDeadline < deadlines.count && deadlines[firstDeadline].at <= now {
      let serial = deadlines[firstDeadline].serial
      firstDeadline += 1
      if let pending = inFlight[serial] { expire(pending) }
    }
    if firstDeadline == deadlines.count {
      deadlines.removeAll(keepingCapacity: deadlines.count < 4096)
      firstDeadline = 0
    } else if firstDeadline >= 1024 && firstDeadline * 2 >= deadlines.count {
      deadlines.removeFirst(firstDeadline)
      firstDeadline = 0
    }
    if firstDeadline < deadlines.count { armDeadlineTimer() }
  }

  private func armDeadlineTimer() {
    deadlineTimer.schedule(deadline: deadlines[firstDeadline].at, leeway: .milliseconds(5))
  }

  /// A lookup still pending at its deadline: stop waiting (queue only).
  private func expire(_ pending: PendingLookup) {
    guard !pending.isFinished else { return }
    abandon(pending)
    // Nothing answered yet: true of this lookup; after a few, of the resolver.
    var reason: String?
    if !answeredOnce {
      reason = "\(upstream) did not answer within \(timeout)"
      unansweredTimeouts += 1
      if unansweredTimeouts >= Self.silentAfter { silence = reason }
    }
    pending.finish(DNSAnswer(name: pending.name, type: pending.type, status: .timeout, reason: reason))
  }

  /// Gives a resolver judged silent another chance (a new probe in the explorer, after the network came
  /// back): lookups go out again.
  public func forgetSilence() {
    queue.async { [self] in
      silence = nil
      unansweredTimeouts = 0
    }
  }

  /// Whether forwarders strip DNSSEC: with the root trust anchor loaded, the root's DNSKEY set must come
  /// back secure; insecure or bogus means they drop signatures, and resolving ourselves is better.
  public static func forwardersStripDNSSEC(_ rootKeys: DNSAnswer) -> Bool {
    rootKeys.status == .insecure || rootKeys.status == .bogus
  }

  /// Turns an unbound result into an answer. Bogus is checked first: a bogus answer still has data.
  static func answer(name: String, type: RecordType, error: Int32, result: UnsafeMutablePointer<ub_result>?)
    -> DNSAnswer
  {
    guard error == 0, let result = result?.pointee else {
      return DNSAnswer(name: name, type: type, status: .error, reason: String(cString: ub_strerror(error)))
    }
    let canonical = result.canonname.map { String(cString: $0) }.map { $0.hasSuffix(".") ? $0 : $0 + "." }
    var answer = DNSAnswer(
      name: name, type: type, status: .insecure, authenticated: result.secure != 0,
      canonicalName: canonical == name ? nil : canonical, ttl: Int(result.ttl))
    if result.bogus != 0 {
      answer.status = .bogus
      answer.reason = result.why_bogus.map { String(cString: $0) } ?? "DNSSEC validation failed"
      return answer
    }
    switch result.rcode {
    case 0 where result.havedata != 0:
      answer.status = result.secure != 0 ? .secure : .insecure
    case 0: answer.status = .nodata
    case 3: answer.status = .nxdomain
    case 2:
      answer.status = .servfail
      return answer
    default:
      answer.status = .servfail
      answer.reason = "rcode \(result.rcode)"
      return answer
    }
    var index = 0
    while let data = result.data?[index] {
      let length = Int(result.len[index])
      let bytes = Array(UnsafeRawBufferPointer(start: data, count: length))
      do {
        answer.records.append(try DNSRecord.parse(type, bytes))
      } catch {
        answer.undecodable.append(error.description)
      }
      index += 1
    }
    return answer
  }
}

/// A lookup in flight: resumes its continuation exactly once, whether the answer, the deadline or a
/// cancellation comes first (only ever touched on the resolver queue).
private final class PendingLookup: @unchecked Sendable {
  let name: String
  let type: RecordType
  /// Told that an answer arrived (weak: a lookup must not keep its resolver alive).
  weak var resolver: DNSResolver?
  /// Set once unbound has the lookup: what cancelling it needs.
  var lookupID: Int32?
  var box: Unmanaged<PendingLookup>?
  /// The resolver's own number for it, by which its deadline finds it.
  var serial: UInt64?
  private var continuation: CheckedContinuation<DNSAnswer, Never>?
  /// An answer that came before anyone waited (a cancellation before the start).
  private var early: DNSAnswer?
  private(set) var isFinished = false

  init(name: String, type: RecordType) {
    self.name = name
    self.type = type
  }

  func wait(_ continuation: CheckedContinuation<DNSAnswer, Never>) {
    if let early {
      continuation.resume(returning: early)
    } else {
      self.continuation = continuation
    }
  }

  func finish(_ answer: DNSAnswer) {
    guard !isFinished else { return }
    isFinished = true
    if let continuation {
      continuation.resume(returning: answer)
      self.continuation = nil
    } else {
      early = answer
    }
  }
}

extension Duration {
  var dispatchInterval: DispatchTimeInterval {
    let (seconds, attoseconds) = components
    return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
  }
}
