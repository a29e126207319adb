import NIOCore

/// Politeness towards each server address, for scans of many domains: at most `perAddress`
/// connections open to one address at a time, and at least `interval` between two connections to it.
/// Off (no limit) unless configured: a single probe's connections are already few.
actor AddressPoliteness {
  static let shared = AddressPoliteness()

  private var perAddress: Int?
  private var interval: Duration = .zero
  private var open: [String: Int] = [:]
  private var lastStart: [String: ContinuousClock.Instant] = [:]
  private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
  private let clock = ContinuousClock()

  /// `scan --per-ip N --interval MS`.
  func configure(perAddress: Int?, interval: Duration) {
    self.perAddress = perAddress.map { max(1, $0) }
    self.interval = interval
  }

  /// Waits until a connection to `address` may start.
  func acquire(_ address: String) async {
    guard let perAddress else { return }
    if (open[address] ?? 0) < perAddress {
      open[address, default: 0] += 1
    } else {
      // The slot is handed over by `release`, in the order of arrival.
      await withCheckedContinuation { waiting[address, default: []].append($0) }
    }
    if let last = lastStart[address] {
      let wait = interval - (clock.now - last)
      if wait > .zero {
        lastStart[address] = clock.now + wait
        try? await Task.sleep(for: wait)
        return
      }
    }
    lastStart[address] = clock.now
  }

  func release(_ address: String) {
    guard perAddress != nil else { return }
    if var queue = waiting[address], !queue.isEmpty {
      // Handed straight to the next waiter: the count stays, nobody overtakes it.
      let next = queue.removeFirst()
      waiting[address] = queue.isEmpty ? nil : queue
      next.resume()
      return
    }
    open[address] = max(0, (open[address] ?? 1) - 1)
    if open[address] == 0 { open[address] = nil }
    // Forget addresses no longer in use, so a scan of millions of domains does not keep them all.
    if open[address] == nil && waiting[address] == nil, let last = lastStart[address],
      clock.now - last > interval
    {
      lastStart[address] = nil
    }
  }
}

extension DomainProbe {
  /// Politeness for scans: at most `perAddress` connections to one server address at a time, at least
  /// `interval` between two to it (`nil`: no limit, as for a single probe).
  public static func configurePoliteness(perAddress: Int?, interval: Duration) async {
    await AddressPoliteness.shared.configure(perAddress: perAddress, interval: interval)
  }
}
