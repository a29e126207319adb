import MailFlowModel

/// Takes a Received field apart: the clauses of RFC 5321 (`from`, `by`, `via`, `with`, `id`, `for`, the
/// date after the last `;`) and the comments real MTAs fill with addresses and TLS details — Postfix,
/// Exim, Sendmail, Gmail, Microsoft 365, qmail, OpenSMTPD, Dovecot LMTP.
public enum ReceivedParser {
  enum Token: Equatable {
    case word(String)
    case comment(String)
  }

  static let keywords: Set<String> = ["from", "by", "via", "with", "id", "for"]

  public static func parse(_ raw: String) -> ReceivedField {
    var field = ReceivedField(raw: raw, parsed: true)
    // qmail notes its own processes: "(qmail 12345 invoked from network)", "(qmail 1 invoked by uid 89)".
    if let match = raw.firstMatch(
      of: Patterns.qmail)
    {
      field.isLocal = true
      field.date = MessageDate.parse(String(match.1))
      return field
    }
    let (clausesText, dateText) = splitDate(raw)
    if let dateText {
      field.date = MessageDate.parse(dateText)
      if field.date == nil { field.problems.append("unreadable date \"\(dateText)\"") }
    } else {
      field.problems.append("no date after ';'")
    }

    var clauses: [(keyword: String, tokens: [Token])] = [("", [])]
    for token in tokenize(clausesText) {
      if case .word(let word) = token, keywords.contains(word.lowercased()),
        !clauses.contains(where: { $0.keyword == word.lowercased() })
      {
        clauses.append((word.lowercased(), []))
      } else {
        clauses[clauses.count - 1].tokens.append(token)
      }
    }

    for (keyword, tokens) in clauses {
      let words = tokens.compactMap { if case .word(let w) = $0 { w } else { nil } }
      let comments = tokens.compactMap { if case .comment(let c) = $0 { c } else { nil } }
      switch keyword {
      case "from": field.from = sender(words: words, comments: comments)
      case "by":
        field.by = words.first
        field.software = comments.first { !$0.contains("=") && !$0.lowercased().hasPrefix("using") }
      case "via": field.via = words.first
      case "with":
        // "Microsoft SMTP Server" is three words; Exim's "tls CIPHER" follows its protocol.
        let upTo = words.firstIndex { $0.lowercased() == "tls" } ?? words.count
        field.with = words[..<upTo].joined(separator: " ")
      case "id": field.id = words.first
      case "for": field.forAddress = words.first.map { $0.trimmingCharacters(in: "<>;") }
      default: break
      }
    }

    field.tls = tlsDetails(raw)
    field.isLocal = field.transmission?.base == .local
    let lowered = raw.lowercased()
    field.authenticated =
      (field.transmission?.authenticated ?? false) || lowered.contains("authenticated sender")
      || lowered.contains("(authenticated")
    if field.by == nil && !field.isLocal {
      field.parsed = false
      field.problems.insert("no 'by' clause", at: 0)
    }
    return field
  }

  /// The clauses and the date: the date follows the last ';' outside comments.
  static func splitDate(_ raw: String) -> (String, String?) {
    var depth = 0
    var last: String.Index?
    for index in raw.indices {
      switch raw[index] {
      case "(": depth += 1
      case ")": depth = max(0, depth - 1)
      case ";" where depth == 0: last = index
      default: break
      }
    }
    guard let last else { return (raw, nil) }
    let date = String(raw[raw.index(after: last)...]).trimmingCharacters(in: " \t")
    return (String(raw[..<last]), date.isEmpty ? nil : date)
  }

  static func tokenize(_ text: String) -> [Token] {
    var tokens: [Token] = []
    var word = ""
    var comment = ""
    var depth = 0
    func flush() {
      if !word.isEmpty { tokens.append(.word(word)) }
      word = ""
    }
    for character in text {
      if depth > 0 {
        if character == "(" { depth += 1 }
        if character == ")" { depth -= 1 }
        if depth == 0 {
          tokens.append(.comment(comment.trimmingCharacters(in: " \t")))
          comment = ""
        } else {
          comment.append(character)
        }
      } else if character == "(" {
        flush()
        depth = 1
      } else if character == " " || character == "\t" {
        flush()
      } else {
        word.append(character)
      }
    }
    flush()
    if depth > 0, !comment.isEmpty { tokens.append(.comment(comment)) }  // unclosed: keep what was there
    return tokens
  }

  /// The sender: HELO name first, then reverse name and address from the words and comments in the
  /// forms MTAs use: `(host [addr])`, `([addr])`, `(HELO name) (addr)`, `([addr] helo=name)`.
  static func sender(words: [String], comments: [String]) -> ReceivedField.Sender {
    var sender = ReceivedField.Sender()
    if let first = words.first {
      if let address = bracketed(first) { sender.address = address } else { sender.helo = first }
    }
    for word in words.dropFirst() where sender.address == nil {
      if let address = bracketed(word) { sender.address = address }
    }
    for comment in comments {
      let parts = comment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      for (i, part) in parts.enumerated() {
        let lower = part.lowercased()
        if lower.hasPrefix("helo=") {
          sender.helo = sender.helo ?? String(part.dropFirst(5))
        } else if lower == "helo", i + 1 < parts.count {
          sender.helo = parts[i + 1]
        } else if let address = bracketed(part) {
          sender.address = sender.address ?? address
          if i > 0, sender.host == nil, !["helo", "ehlo"].contains(parts[i - 1].lowercased()),
            !parts[i - 1].contains("=")
          {
            let name = parts[i - 1].trimmingCharacters(in: ".")
            if name.lowercased() != "unknown" && !name.isEmpty { sender.host = name }
          }
        } else if parts.count == 1, isIPAddress(part) {
          sender.address = sender.address ?? part  // qmail: "(192.0.2.1)"
        } else if i == 0, parts.count == 1, part.contains("."), !part.contains("="), sender.host == nil,
          part.lowercased() != "unknown"
        {
          sender.host = part.trimmingCharacters(in: ".")  // "(mail.example.org)"
        }
      }
    }
    if let address = sender.address, address.lowercased().hasPrefix("ipv6:") {
      sender.address = String(address.dropFirst(5))
    }
    return sender
  }

  static func bracketed(_ word: String) -> String? {
    guard word.hasPrefix("["), let end = word.firstIndex(of: "]") else { return nil }
    let inner = String(word[word.index(after: word.startIndex)..<end])
    return inner.isEmpty ? nil : inner
  }

  static func isIPAddress(_ text: String) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count == 4 && parts.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false }) {
      return true
    }
    return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
  }

  // MARK: - TLS annotations

  /// TLS version, cipher and client-verification note, in the formats of the major MTAs.
  static func tlsDetails(_ raw: String) -> ReceivedField.TLSDetails? {
    var details = ReceivedField.TLSDetails()
    // Postfix: (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) ...)
    if let match = raw.firstMatch(of: Patterns.postfixTLS) {
      details.version = normalizeVersion(String(match.1))
      details.cipher = String(match.2)
    }
    // Sendmail, Gmail, Microsoft 365: version=TLSv1.3 cipher=... (commas optional)
    if let match = raw.firstMatch(of: Patterns.versionKey) {
      details.version = details.version ?? normalizeVersion(String(match.1))
    }
    if let match = raw.firstMatch(of: Patterns.cipherKey) {
      details.cipher = details.cipher ?? String(match.1)
    }
    if let match = raw.firstMatch(of: Patterns.verifyKey) { details.verified = "verify=" + match.1 }
    // OpenSMTPD: (TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO); old Exim: (TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256)
    if details.version == nil,
      let match = raw.firstMatch(of: Patterns.colonTLS)
    {
      details.version = normalizeVersion(String(match.1))
      details.cipher = details.cipher ?? String(match.2)
      if let verify = match.3 { details.verified = details.verified ?? "verify=" + verify }
    }
    // Exim 4.9x: with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384
    if details.version == nil, let match = raw.firstMatch(of: Patterns.eximVersion) {
      details.version = normalizeVersion(String(match.1))
    }
    if details.cipher == nil, let match = raw.firstMatch(of: Patterns.eximCipher) {
      details.cipher = String(match.1)
    }
    // qmail-tls: (DHE-RSA-AES256-GCM-SHA384 encrypted)
    if details.cipher == nil, let match = raw.firstMatch(of: Patterns.qmailTLS) {
      details.cipher = String(match.1)
    }
    if raw.contains("No client certificate requested") {
      details.verified = details.verified ?? "no client certificate requested"
    }
    guard details.version != nil || details.cipher != nil else { return nil }
    return details
  }

  /// `TLSv1.3`, `TLS1.3`, `TLS1_3` → `TLSv1.3`; `TLSv1` → `TLSv1.0`; `SSLv3` stays.
  static func normalizeVersion(_ text: String) -> String {
    let upper = text.uppercased().replacing("_", with: ".")
    let family = upper.hasPrefix("SSL") ? "SSL" : "TLS"
    var number = upper.dropFirst(3)
    if number.hasPrefix("V") { number = number.dropFirst() }
    if family == "TLS" && !number.contains(".") { number += ".0" }
    return "\(family)v\(number)"
  }

  /// (major, minor) of a normalised TLS version; SSL counts as older than any TLS.
  static func versionNumber(_ normalized: String) -> (Int, Int)? {
    guard normalized.hasPrefix("TLSv") else { return normalized.hasPrefix("SSL") ? (0, 0) : nil }
    let parts = normalized.dropFirst(4).split(separator: ".").compactMap { Int($0) }
    guard parts.count >= 1 else { return nil }
    return (parts[0], parts.count > 1 ? parts[1] : 0)
  }
}

/// The parser's regular expressions, built once: a regex literal is parsed again every time it is
/// evaluated (57% of `trace` time was spent re-parsing these). `Regex` is not `Sendable`; these are
/// never mutated after they are made, so sharing them is safe.
enum Patterns {
  nonisolated(unsafe) static let qmail =
    #/^\(qmail \d+ invoked (?:from network|by uid \d+|for \w+)\)\s*;\s*(.*)$/#
  nonisolated(unsafe) static let postfixTLS = #/using\s+(\w[\w.]*)\s+with\s+cipher\s+([\w-]+)/#
  nonisolated(unsafe) static let versionKey = #/version=((?:TLS|SSL)v?[\d._]+)[,;\s)]/#
  nonisolated(unsafe) static let cipherKey = #/cipher=([\w-]+)/#
  nonisolated(unsafe) static let verifyKey = #/verify=(\w+)/#
  nonisolated(unsafe) static let colonTLS = #/\(((?:TLS|SSL)v?[\d._]+):([\w-]+):\d+(?::(\w+))?\)/#
  nonisolated(unsafe) static let eximVersion = #/\(((?:TLS|SSL)v?[\d._]+)\)/#
  nonisolated(unsafe) static let eximCipher = #/(?:^|[^A-Za-z0-9_])tls\s+([A-Z][\w-]+)/#
  nonisolated(unsafe) static let qmailTLS = #/\(([\w-]+)\s+encrypted\)/#
}
