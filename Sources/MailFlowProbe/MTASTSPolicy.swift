import MailFlowModel
import MailFlowReport

/// MTA-STS (RFC 8461): the `_mta-sts` TXT record and the policy file, parsed strictly enough to say
/// what is wrong with a broken one. The relay hop's second route to ✔.
public enum MTASTS {
  public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case noRecord
    case multipleRecords(Int)
    case badRecord(String)
    case badPolicy(String)

    public var description: String {
      switch self {
      case .noRecord: "no _mta-sts TXT record starting with v=STSv1"
      case .multipleRecords(let count):
        "\(count) _mta-sts TXT records start with v=STSv1; RFC 8461 §3.1 says to treat that as no policy"
      case .badRecord(let why): "the _mta-sts record is invalid: \(why)"
      case .badPolicy(let why): "the policy is invalid: \(why)"
      }
    }
  }

  /// The TXT record: `v=STSv1; id=20261129T000000;`.
  public struct Record: Sendable, Equatable {
    public var id: String
  }

  public struct Policy: Sendable, Equatable {
    public typealias Mode = MTASTSMode

    public var mode: Mode
    public var mx: [String]
    public var maxAge: Int

    /// Whether an MX host name matches one of the policy's patterns (§4.1): exact, or a wildcard that
    /// stands for exactly one left-most label; case and trailing dots do not matter.
    public func allows(_ host: String) -> Bool {
      let name = Self.normalized(host)
      return mx.contains { pattern in
        let pattern = Self.normalized(pattern)
        if pattern.hasPrefix("*.") {
          guard let dot = name.firstIndex(of: ".") else { return false }
          return name[name.index(after: dot)...] == pattern.dropFirst(2) && dot != name.startIndex
        }
        return pattern == name
      }
    }

    static func normalized(_ name: String) -> String {
      var name = name.lowercased()
      while name.hasSuffix(".") { name.removeLast() }
      return name
    }
  }

  /// RFC 8461 §3.1: records that do not begin with `v=STSv1;` are discarded.
  public static func isSTSRecord(_ text: String) -> Bool { text.hasPrefix("v=STSv1;") }

  /// The one valid STS record among a domain's `_mta-sts` TXT strings (each already joined).
  public static func record(from texts: [String]) throws(ParseError) -> Record {
    let candidates = texts.filter(isSTSRecord)
    guard !candidates.isEmpty else { throw .noRecord }
    guard candidates.count == 1 else { throw .multipleRecords(candidates.count) }
    var id: String?
    for (index, field) in candidates[0].split(separator: ";").enumerated() {
      let parts = field.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: " \t") }
      guard parts.count == 2 else {
        if parts.first?.isEmpty ?? true { continue }
        throw .badRecord("'\(field)' is not key=value")
      }
      if index == 0 && (parts[0] != "v" || parts[1] != "STSv1") {
        throw .badRecord("v=STSv1 must come first")
      }
      if parts[0] == "id" {
        guard (1...32).contains(parts[1].count),
          parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { throw .badRecord("id must be 1 to 32 letters and digits, got '\(parts[1])'") }
        id = parts[1]
      }
    }
    guard let id else { throw .badRecord("no id") }
    return Record(id: id)
  }

  /// The policy file served at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (§3.2).
  public static func policy(from text: String) throws(ParseError) -> Policy {
    var version: String?
    var mode: Policy.Mode?
    var mx: [String] = []
    var maxAge: Int?
    for rawLine in text.split(
      omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    {
      let line = String(rawLine)
      guard let colon = line.firstIndex(of: ":") else {
        throw .badPolicy("'\(line.prefix(60))' is not key: value")
      }
      let key = line[..<colon].trimmingCharacters(in: " \t")
      let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
      switch key {
      case "version": version = value
      case "mode":
        guard let parsed = Policy.Mode(rawValue: value) else {
          throw .badPolicy("mode must be enforce, testing or none, got '\(value)'")
        }
        mode = parsed
      case "mx": mx.append(value)
      case "max_age":
        guard let seconds = Int(value), (0...31_557_600).contains(seconds) else {
          throw .badPolicy("max_age must be 0 to 31557600 seconds, got '\(value)'")
        }
        maxAge = seconds
      default: continue  // unknown keys are ignored (§3.2)
      }
    }
    guard version == "STSv1" else { throw .badPolicy("version must be STSv1") }
    guard let mode else { throw .badPolicy("no mode") }
    guard let maxAge else { throw .badPolicy("no max_age") }
    guard mode == .none || !mx.isEmpty else {
      throw .badPolicy("no mx pattern (required unless mode is none)")
    }
    return Policy(mode: mode, mx: mx, maxAge: maxAge)
  }
}

/// TLS-RPT (RFC 8460): the `_smtp._tls` TXT record, shown as information.
public struct TLSRPTRecord: Sendable, Equatable {
  /// Where reports go: `mailto:` and `https:` URIs.
  public var rua: [String]

  public static func parse(_ text: String) -> TLSRPTRecord? {
    let fields = text.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
    guard fields.first == "v=TLSRPTv1" else { return nil }
    for field in fields.dropFirst() where field.hasPrefix("rua=") {
      let uris = field.dropFirst(4).split(separator: ",").map { $0.trimmingCharacters(in: " \t") }
      let valid = uris.filter { $0.hasPrefix("mailto:") || $0.hasPrefix("https:") }
      return valid.isEmpty ? nil : TLSRPTRecord(rua: valid)
    }
    return nil
  }
}
