/// A record's tag that is wrong, and why (DKIM and DMARC records name their mistakes the same way).
public struct TagSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public var tag: String
  public var reason: String
  public var description: String { "\(tag): \(reason)" }
}

/// `name=value; name=value`, as DKIM (RFC 6376 §3.2) and DMARC (RFC 7489 §6.4) records write their tags:
/// names lowercased, values without the spaces and tabs around them, a trailing `;` allowed.
enum TagList {
  static func parse(_ text: String) throws(TagSyntaxError) -> [(name: String, value: String)] {
    var tags: [(name: String, value: String)] = []
    for part in text.split(separator: ";") {
      let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = pair[0].trimmingCharacters(in: " \t").lowercased()
      if name.isEmpty && pair.count == 1 { continue }  // a trailing ';'
      guard pair.count == 2 else { throw TagSyntaxError(tag: name, reason: "needs a value (name=value)") }
      tags.append((name, pair[1].trimmingCharacters(in: " \t")))
    }
    return tags
  }
}

extension String {
  /// Without any space or tab (DKIM keys may be folded anywhere; `v = DMARC1` is `v=DMARC1`).
  func removingSpaces() -> String { String(filter { $0 != " " && $0 != "\t" }) }
}
