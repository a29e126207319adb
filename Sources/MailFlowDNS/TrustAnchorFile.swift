/// A trust-anchor file as `--trust-anchor` takes it: DS or DNSKEY records in zone-file format, checked
/// before libunbound sees it. unbound reads such files only at the first lookup and, given garbage,
/// lets every lookup fail with noise on stderr; a user must instead get one line naming the problem.
/// What unbound's reader accepts is accepted here (other record types are skipped, as it skips them);
/// what it refuses (`$INCLUDE`, lines that are not records) is refused here.
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
      let trimmed = line.trimmingPrefix(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
      if depth == 0 && trimmed.hasPrefix("$") {
        let directive = trimmed.prefix { !" \t\r".contains($0) }.uppercased()
        guard directive == "$TTL" || directive == "$ORIGIN" else {
          throw Problem(line: number, message: "\(directive) is not allowed in a trust-anchor file")
        }
        continue
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
        if try checkRecord(record.tokens, line: record.line) { count += 1 }
        pending = nil
      }
    }
    if depth != 0 { throw Problem(line: pending?.line ?? 0, message: "'(' never closed") }
    guard count > 0 else { throw Problem(line: 0, message: "no DS or DNSKEY record") }
    return count
  }

  /// Whether the record is a DS or DNSKEY (checked); `false` for another record type (skipped).
  private static func checkRecord(_ tokens: [Substring], line: Int) throws(Problem) -> Bool {
    // owner [TTL] [class] type rdata…, TTL and class in either order.
    var index = 1
    while index < tokens.count, index <= 2, isTTL(tokens[index]) || isClass(tokens[index]) { index += 1 }
    guard tokens.count > index + 1, isType(tokens[index]) else {
      throw Problem(
        line: line,
        message: "not a DS or DNSKEY record ('\(tokens.prefix(4).joined(separator: " ").prefix(40))')")
    }
    let type = tokens[index].uppercased()
    guard type == "DS" || type == "DNSKEY" else { return false }
    let rdata = Array(tokens[(index + 1)...])
    let isDS = type == "DS"
    // Key tag or flags, then protocol or algorithm (numbers, or algorithm mnemonics), then the data.
    guard rdata.count >= 4,
      rdata.prefix(3).allSatisfy({ $0.count <= 20 && $0.allSatisfy(isASCIIAlphanumeric) })
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
      ? data.allSatisfy { $0.isASCII && $0.isHexDigit } && data.count % 2 == 0
      : data.allSatisfy { isASCIIAlphanumeric($0) || "+/=".contains($0) }
    guard valid else {
      throw Problem(line: line, message: isDS ? "the digest is not hexadecimal" : "the key is not base64")
    }
    return true
  }

  private static func isASCIIAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

  /// `3600`, or with units as zone files allow (`1h`, `2d12h`).
  private static func isTTL(_ token: Substring) -> Bool {
    guard let first = token.first, first.isASCII, first.isNumber else { return false }
    return token.allSatisfy { $0.isASCII && ($0.isNumber || "smhdwSMHDW".contains($0)) }
  }

  private static func isClass(_ token: Substring) -> Bool {
    ["IN", "CH", "HS", "CS"].contains(token.uppercased())
  }

  /// A record type's mnemonic (`DS`, `RRSIG`, `TYPE65`): letters first, then letters and digits.
  private static func isType(_ token: Substring) -> Bool {
    guard let first = token.first, first.isASCII, first.isLetter, token.count <= 12 else { return false }
    let type = token.uppercased()
    guard token.allSatisfy(isASCIIAlphanumeric) else { return false }
    return knownTypes.contains(type) || (type.hasPrefix("TYPE") && type.dropFirst(4).allSatisfy(\.isNumber))
  }

  private static let knownTypes: Set<String> = [
    "DS", "DNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "SOA", "NS", "A", "AAAA", "TXT", "CNAME", "MX",
    "CDS",
    "CDNSKEY", "DLV", "KEY", "SIG",
  ]

}
