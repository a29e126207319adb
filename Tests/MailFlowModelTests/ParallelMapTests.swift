import Foundation
import Testing

@testable import MailFlowModel

/// `ParallelMap.map` is `map`: every element once, in order, whatever the count and the chunk size —
/// including the counts that do not divide into chunks (440 elements taken one at a time, the last
/// batch of a 3,000-message mbox, once started a chunk past the end and trapped).
@Suite("Parallel map")
struct ParallelMapTests {
  @Test(arguments: [1, 3, 7, 256])
  func equalsMapForEveryCount(minimumChunk: Int) {
    for count in [0, 1, 2, 3, 63, 64, 65, 127, 440, 511, 512, 513, 1000, 4099] {
      let values = Array(0..<count)
      let mapped = ParallelMap.map(values, minimumChunk: minimumChunk, sequentialBelow: 2) { $0 * 2 + 1 }
      #expect(mapped == values.map { $0 * 2 + 1 }, "count \(count), chunks of at least \(minimumChunk)")
    }
  }

  /// Results are made in their place in the array: each object made once, kept by the array, and freed
  /// with it — none lost, none made twice, none left behind.
  @Test func objectsAreMadeOnceAndFreedWithTheArray() {
    let counter = Counter()
    do {
      let mapped = ParallelMap.map(Array(0..<5000), minimumChunk: 7) { Tracked(String($0), counter) }
      #expect(counter.value == 5000)
      #expect(mapped.map(\.text) == (0..<5000).map(String.init))
    }
    #expect(counter.value == 0)
  }

  /// A value handed to `BackgroundRelease` is freed, every object of it, soon: handed over, not kept.
  @Test func aReleasedValueIsFreed() async throws {
    let counter = Counter()
    do {
      let objects = (0..<2000).map { Tracked(String($0), counter) }
      #expect(counter.value == 2000)
      BackgroundRelease.release(objects)
    }
    for _ in 0..<500 where counter.value > 0 { try await Task.sleep(for: .milliseconds(10)) }
    #expect(counter.value == 0)
  }

  final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add(_ step: Int) { lock.withLock { count += step } }
  }

  final class Tracked: Sendable {
    let text: String
    let counter: Counter
    init(_ text: String, _ counter: Counter) {
      self.text = text
      self.counter = counter
      counter.add(1)
    }
    deinit { counter.add(-1) }
  }
}
