import MailFlowReport

/// One IMAP response as a probe needs it (RFC 9051 §7, RFC 3501): the untagged lines and the status that
/// completes them — the server greeting (untagged `OK`, `PREAUTH` or `BYE`) or a tagged `OK`/`NO`/`BAD`.
public struct IMAPResponse: Sendable, Equatable {
  /// Untagged data lines, without the leading `* `.
  public var untagged: [String]
  /// The completing line's tag; `nil` for the greeting.
  public var tag: String?
  /// `OK`, `NO`, `BAD`, `PREAUTH` or `BYE`, upper-cased.
  public var status: String
  public var text: String

  /// The capabilities announced in this response, upper-cased: from `* CAPABILITY …` lines or from a
  /// `[CAPABILITY …]` response code on the status line (as many greetings carry).
  public var capabilities: [String]? {
    for line in untagged {
      let words = line.split(separator: " ").map { $0.uppercased() }
      if words.first == "CAPABILITY" { return Array(words.dropFirst()) }
    }
    guard text.uppercased().hasPrefix("[CAPABILITY "), let close = text.firstIndex(of: "]") else {
      return nil
    }
    return text[text.index(text.startIndex, offsetBy: 12)..<close].split(separator: " ").map {
      $0.uppercased()
    }
  }
}

/// Gathers IMAP lines into responses: the first line is the greeting; after that, untagged lines until
/// the tagged completion.
public struct IMAPResponseAssembler: Sendable {
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
  }

  private var awaitingGreeting = true
  /// CAPABILITY answers in one line; a server that never completes must not fill memory.
  public static let maximumUntagged = 1000
  private var untagged: [String] = []

  public init() {}

  public mutating func feed(_ line: String) throws(Failure) -> IMAPResponse? {
    if line.hasPrefix("* ") {
      let rest = String(line.dropFirst(2))
      if awaitingGreeting {
        awaitingGreeting = false
        let (status, text) = Self.split(rest)
        guard ["OK", "PREAUTH", "BYE"].contains(status) else {
          throw Failure(description: "not an IMAP greeting: \"\(line.prefix(80))\"")
        }
        return IMAPResponse(untagged: [], tag: nil, status: status, text: text)
      }
      guard untagged.count < Self.maximumUntagged else {
        throw Failure(description: "more than \(Self.maximumUntagged) untagged lines without a completion")
      }
      untagged.append(rest)
      return nil
    }
    guard !awaitingGreeting else {
      throw Failure(description: "not an IMAP greeting: \"\(line.prefix(80))\"")
    }
    if line.hasPrefix("+") {
      throw Failure(description: "unexpected continuation request: \"\(line.prefix(80))\"")
    }
    let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
    let (status, text) = Self.split(parts.count > 1 ? parts[1] : "")
    guard parts.count == 2, ["OK", "NO", "BAD"].contains(status),
      parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") })
    else { throw Failure(description: "not an IMAP response line: \"\(line.prefix(80))\"") }
    defer { untagged = [] }
    return IMAPResponse(untagged: untagged, tag: parts[0], status: status, text: text)
  }

  private static func split(_ text: String) -> (String, String) {
    let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
    return ((parts.first ?? "").uppercased(), parts.count > 1 ? parts[1] : "")
  }
}

extension IMAPResponseAssembler: ReplyAssembler {}
