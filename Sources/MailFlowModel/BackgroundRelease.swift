import Dispatch

/// Lets go of a large value on another thread: freeing what a long trace leaves behind (20,000 parsed
/// fields, a header of 20,000 fields — hundreds of thousands of strings) then overlaps what the caller
/// does next, instead of delaying it on the one thread that is left.
public enum BackgroundRelease {
  /// Hand over the last reference to `value`; it is freed soon, on a thread of the global pool.
  public static func release<Value: Sendable>(_ value: consuming Value) {
    let owned = value
    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(owned) {} }
  }
}
