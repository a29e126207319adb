import MailFlowModel
import MailFlowReport

/// One POP3 response (RFC 1939 §3): `+OK` or `-ERR` with text, and for multi-line answers such as CAPA
/// (RFC 2449) the lines up to the terminating `.`, dot-unstuffed.
public struct POP3Response: Sendable, Equatable {
  public var ok: Bool
  public var text: String
  public var lines: [String]
}

/// Gathers POP3 lines into responses. Whether a `+OK` starts a multi-line answer depends on the command,
/// so the session says so before sending one (`multiline`).
public struct POP3ResponseAssembler: Sendable {
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
  }

  /// The next `+OK` opens a multi-line answer.
  public var multiline = false
  private var collecting: POP3Response?
  /// A bound on a multi-line answer: CAPA lists a dozen lines, a hostile server could send millions.
  public static let maximumLines = 1000

  public init() {}

  public mutating func feed(_ line: String) throws(Failure) -> POP3Response? {
    if var response = collecting {
      if line == "." {
        collecting = nil
        multiline = false
        return response
      }
      guard response.lines.count < Self.maximumLines else {
        throw Failure(description: "a multi-line answer longer than \(Self.maximumLines) lines")
      }
      response.lines.append(line.hasPrefix(".") ? String(line.dropFirst()) : line)
      collecting = response
      return nil
    }
    let ok: Bool
    if line == "+OK" || line.hasPrefix("+OK ") {
      ok = true
    } else if line == "-ERR" || line.hasPrefix("-ERR ") {
      ok = false
    } else {
      throw Failure(description: "not a POP3 status line: \"\(line.prefix(80))\"")
    }
    let response = POP3Response(
      ok: ok, text: String(line.dropFirst(ok ? 3 : 4)).trimmingCharacters(in: " "), lines: [])
    if ok && multiline {
      collecting = response
      return nil
    }
    multiline = false
    return response
  }
}

extension POP3ResponseAssembler: ReplyAssembler {}
