import MailFlowReport

/// One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text. Multi-line replies
/// use `250-` on every line but the last, which uses `250 `.
public struct SMTPReply: Sendable, Equatable {
  public var code: Int
  public var lines: [String]

  public init(code: Int, lines: [String]) {
    self.code = code
    self.lines = lines
  }

  public var isPositive: Bool { (200..<400).contains(code) }

  /// EHLO keywords (the text of every line but the first), upper-cased, with their parameters.
  public var extensions: [String: [String]] {
    var result: [String: [String]] = [:]
    for line in lines.dropFirst() {
      let words = line.split(separator: " ").map(String.init)
      guard let keyword = words.first else { continue }
      result[keyword.uppercased()] = Array(words.dropFirst())
    }
    return result
  }
}

/// Assembles replies from lines as they arrive, and says exactly what is wrong with a line that is not
/// SMTP: garbage from a server is evidence for the report, not a reason to crash.
public struct SMTPReplyParser: Sendable {
  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case codeChanged(expected: Int, found: Int)
    case tooManyLines(Int)

    public var description: String {
      switch self {
      case .malformed(let line): "not an SMTP reply line: \"\(line.prefix(80))\""
      case .codeChanged(let expected, let found):
        "reply code changed from \(expected) to \(found) inside a multi-line reply"
      case .tooManyLines(let limit): "a multi-line reply longer than \(limit) lines"
      }
    }
  }

  private var code: Int?
  private var lines: [String] = []
  /// EHLO replies list a dozen lines; a server sending thousands is flooding.
  public static let maximumLines = 1000

  public init() {}

  /// Feeds one line (without CRLF). Returns the reply when its last line arrives.
  public mutating func feed(_ line: String) throws(Failure) -> SMTPReply? {
    let utf8 = Array(line.utf8)
    guard utf8.count >= 3, utf8[0...2].allSatisfy({ (0x30...0x39).contains($0) }),
      let value = Int(String(decoding: utf8[0...2], as: UTF8.self)), (200...599).contains(value)
    else { throw .malformed(line) }
    let separator: UInt8? = utf8.count > 3 ? utf8[3] : nil
    guard separator == nil || separator == 0x20 || separator == 0x2D else { throw .malformed(line) }
    if let code, code != value { throw .codeChanged(expected: code, found: value) }
    code = value
    guard lines.count < Self.maximumLines else { throw .tooManyLines(Self.maximumLines) }
    lines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
    guard separator != 0x2D else { return nil }
    defer {
      code = nil
      lines = []
    }
    return SMTPReply(code: value, lines: lines)
  }
}
