extension StringProtocol {
  /// The text without the given characters at either end, e.g. `trimmingCharacters(in: " \t")`.
  /// Foundation's version takes a CharacterSet; the parsers here name their few characters directly
  /// and need no Foundation.
  public func trimmingCharacters(in set: String) -> String {
    var slice = Substring(self)
    while let first = slice.first, set.contains(first) { slice.removeFirst() }
    while let last = slice.last, set.contains(last) { slice.removeLast() }
    return String(slice)
  }
}

extension String {
  /// `trimmingCharacters(in:)` for a `String`: a concrete entry point, since the generic one, called
  /// from another module, runs unspecialized (several times slower; the trace trims every host name).
  public func trimmingCharacters(in set: String) -> String { Substring(self).trimmingCharacters(in: set) }

  /// A DNS name as people write it: without the root's trailing dot (`mx.example.net.` → `mx.example.net`).
  public var withoutTrailingDot: String { hasSuffix(".") ? String(dropLast()) : self }
}
