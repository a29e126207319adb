import Foundation

/// Runs work that takes seconds (tracing thousands of real messages in a debug build) on a thread of its
/// own. A synchronous test runs on Swift's cooperative pool, which has as many threads as cores (two
/// here): two such tests at once starve every test beside them whose fixture servers, probes and
/// deadlines need the pool, and those fail for time they never had.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try work() }) }
    thread.stackSize = 8 << 20  // a debug build's deep frames
    thread.start()
  }
}
