/// A trust-anchor file as `--trust-anchor` takes it: DS or DNSKEY records in zone-file format, checked
/// before libunbound sees it. unbound reads such files only at the first lookup and, given garbage,
/// lets every lookup fail with noise on stderr; a user must instead get one line naming the problem.
public enum TrustAnchorFile {
  public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { line > 0 ? "line \(line): \(message)" : message }
  }

  /// The number of DS and DNSKEY records in `text`, or the first problem.
  public static func check(_ text: String) throws(Problem) -> Int {
    var count = 0
    var pending: (line: Int, tokens: [Substring])?
    var depth = 0
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let number = index + 1
      // Comments start at `;` (no record data here quotes one).
      let line = rawLine.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      if depth == 0 && line.trimmingPrefix(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).hasPrefix("$") {
        continue  // $TTL, $ORIGIN
      }
      for character in line {
        if character == "(" { depth += 1 }
        if character == ")" { depth -= 1 }
        guard depth >= 0 else { throw Problem(line: number, message: "')' without '('") }
      }
      let tokens = line.split(whereSeparator: { " \t\r()".contains($0) })
      if pending == nil {
        if tokens.isEmpty { continue }
        pending = (number, tokens)
      } else {
        pending!.tokens += tokens
      }
      if depth == 0, let record = pending {
        try checkRecord(record.tokens, line: record.line)
        count += 1
        pending = nil
      }
    }
    if depth != 0 { throw Problem(line: pending?.line ?? 0, message: "'(' never closed") }
    guard count > 0 else { throw Problem(line: 0, message: "no DS or DNSKEY record") }
    return count
  }

  private static func checkRecord(_ tokens: [Substring], line: Int) throws(Problem) {
    // owner [TTL] [class] type rdata…, TTL and class in either order.
    guard let typeIndex = tokens.prefix(4).firstIndex(where: { ["DS", "DNSKEY"].contains($0.uppercased()) })
    else {
      throw Problem(
        line: line, message: "not a DS or DNSKEY record ('\(tokens.prefix(4).joined(separator: " "))')")
    }
    let between = tokens[1..<typeIndex]
    guard typeIndex >= 1,
      between.allSatisfy({ $0.uppercased() == "IN" || $0.allSatisfy(\.isASCIIDigit) })
    else { throw Problem(line: line, message: "an owner name, then TTL or class, must come before the type") }
    let rdata = Array(tokens[(typeIndex + 1)...])
    let isDS = tokens[typeIndex].uppercased() == "DS"
    guard rdata.count >= 4, rdata.prefix(3).allSatisfy({ $0.allSatisfy(\.isASCIIDigit) && $0.count <= 5 })
    else {
      throw Problem(
        line: line,
        message: isDS
          ? "a DS record needs key tag, algorithm, digest type and digest"
          : "a DNSKEY record needs flags, protocol, algorithm and key")
    }
    let data = rdata.dropFirst(3).joined()
    let valid =
      isDS
      ? data.allSatisfy(\.isHexDigit) && data.count % 2 == 0
      : data.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }
    guard valid else {
      throw Problem(line: line, message: isDS ? "the digest is not hexadecimal" : "the key is not base64")
    }
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
