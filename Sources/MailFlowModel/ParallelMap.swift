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
    // Each element is made in its place in the result: no array per chunk to copy from and free (for
    // 20,000 hops of a dozen strings each, those copies were a tenth of a trace).
    return [Result](unsafeUninitializedCapacity: values.count) { buffer, initialized in
      let output = Output(base: buffer.baseAddress!)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        for index in chunk * size..<min(values.count, (chunk + 1) * size) {
          (output.base + index).initialize(to: transform(values[index]))
        }
      }
      initialized = values.count
    }
  }
}

/// The result's storage, shared by the chunks: each writes only its own elements, each once, and the
/// result is read only after all have finished (`concurrentPerform` returns then).
private struct Output<Result>: @unchecked Sendable {
  let base: UnsafeMutablePointer<Result>
}
