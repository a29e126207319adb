import Dispatch

/// `map` on every core, for the long pure loops of a trace (thousands of Received fields, hops, lines
/// of output, messages of a mailbox): each element is transformed on its own, so the result is the
/// same as `map`'s, in order.
public enum ParallelMap {
  /// - Parameters:
  ///   - minimumChunk: elements a core takes at once (the cost of handing out a chunk is paid per chunk).
  ///   - sequentialBelow: below this many elements, a plain `map` (threads would cost more than they save).
  public static func map<Element: Sendable, Result: Sendable>(
    _ values: [Element], minimumChunk: Int = 256, sequentialBelow: Int = 512,
    _ transform: @Sendable (Element) -> Result
  ) -> [Result] {
    guard values.count >= max(2, sequentialBelow) else { return values.map(transform) }
    let wanted = min(max(1, values.count / max(1, minimumChunk)), 64)
    let size = (values.count + wanted - 1) / wanted
    // Recounted from the size, so that no chunk starts past the end (440 elements in 64 chunks of 7 would).
    let chunks = (values.count + size - 1) / size
    let results = Slots<[Result]>(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      let lower = chunk * size
      results.store(chunk, values[lower..<min(values.count, lower + size)].map(transform))
    }
    return results.all.flatMap { $0 ?? [] }
  }
}

/// The chunks' results, each slot written once by its own iteration.
private final class Slots<Value: Sendable>: @unchecked Sendable {
  private var slots: [Value?]
  private let lock = DispatchQueue(label: "mailflow.parallel-map")

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func store(_ index: Int, _ value: Value) { lock.sync { slots[index] = value } }

  var all: [Value?] { lock.sync { slots } }
}
