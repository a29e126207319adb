/// Small string-distance helpers for "did you mean" suggestions.
public enum EditDistance {
  /// Damerau–Levenshtein distance (with adjacent transpositions), for short strings such as ids.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[a.count][b.count]
  }

  public static func isWithinOne(_ a: String, _ b: String) -> Bool {
    abs(a.count - b.count) <= 1 && distance(a, b) <= 1
  }

  /// The candidate closest to `word`, if it is close enough to be a plausible typo.
  public static func suggestion<S: Sequence>(for word: String, among candidates: S) -> String?
  where S.Element == String {
    guard word.count <= 64 else { return nil }  // typos are short; a long string is not worth the table
    let limit = max(1, word.count / 3)
    return
      candidates
      .map { ($0, distance(word.lowercased(), $0.lowercased())) }
      .filter { $0.1 <= limit }
      .min { $0.1 < $1.1 }?.0
  }
}
