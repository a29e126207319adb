import MailFlowModel

/// Takes a Received field apart: the clauses of RFC 5321 (`from`, `by`, `via`, `with`, `id`, `for`, the
/// date after the last `;`) and the comments real MTAs fill with addresses and TLS details — Postfix,
/// Exim, Sendmail, Gmail, Microsoft 365, qmail, OpenSMTPD, Dovecot LMTP.
public enum ReceivedParser {
  enum Token: Equatable {
    case word(String)
    case comment(String)
  }

  static let keywords = ["from", "by", "via", "with", "id", "for"]

  public static func parse(_ raw: String) -> ReceivedField {
    var field = ReceivedField(raw: raw, parsed: true)
    let text = ByteScanner(raw)
    // qmail notes its own processes: "(qmail 12345 invoked from network)", "(qmail 1 invoked by uid 89)".
    if let date = qmailInvocation(text) {
      field.isLocal = true
      field.date = MessageDate.parse(date)
      return field
    }
    let (clausesText, dateText) = splitDate(raw, text)
    if let dateText {
      field.date = MessageDate.parse(dateText)
      if field.date == nil { field.problems.append("unreadable date \"\(dateText)\"") }
    } else {
      field.problems.append("no date after ';'")
    }

    var clauses: [(keyword: String, tokens: [Token])] = [("", [])]
    for token in tokenize(clausesText) {
      if case .word(let word) = token, (2...4).contains(word.utf8.count),
        let keyword = keywords.first(where: { word.equalsIgnoringCase($0) }),
        !clauses.contains(where: { $0.keyword == keyword })
      {
        clauses.append((keyword, []))
      } else {
        clauses[clauses.count - 1].tokens.append(token)
      }
    }

    var byClause = false
    for (keyword, tokens) in clauses {
      let words = tokens.compactMap { if case .word(let w) = $0 { w } else { nil } }
      let comments = tokens.compactMap { if case .comment(let c) = $0 { c } else { nil } }
      switch keyword {
      case "from": field.from = sender(words: words, comments: comments)
      case "by":
        byClause = true
        field.by = words.first
        field.software = comments.first { !$0.utf8.contains(61) && !$0.hasPrefixIgnoringCase("using") }
      case "via": field.via = words.first
      case "with":
        // "Microsoft SMTP Server" is three words; Exim's "tls CIPHER" follows its protocol.
        let upTo = words.firstIndex { $0.equalsIgnoringCase("tls") } ?? words.count
        // MessageLabs: "with CIPHER encrypted SMTP" — the protocol follows the TLS note.
        if let encrypted = words.firstIndex(where: { $0.equalsIgnoringCase("encrypted") }),
          encrypted + 1 < words.count
        {
          field.with = words[(encrypted + 1)...].joined(separator: " ")
        } else {
          field.with = words[..<upTo].joined(separator: " ")
        }
      case "id": field.id = words.first
      case "for": field.forAddress = words.first.map { $0.trimmingCharacters(in: "<>;") }
      default: break
      }
    }

    field.tls = tlsDetails(text)
    field.isLocal = field.transmission?.base == .local
    field.authenticated =
      (field.transmission?.authenticated ?? false)
      || text.contains("authenticated sender".utf8, ignoringCase: true)
      || text.contains("(authenticated".utf8, ignoringCase: true)
      // Yahoo/SBC: "(user@203.0.113.5 with login)", "… with plain)".
      || text.contains(" with login)".utf8, ignoringCase: true)
      || text.contains(" with plain)".utf8, ignoringCase: true)
    if field.by == nil && field.via != nil {
      // No `by`, only `via`: a hand-over inside one system (CMU Andrew's `from X via Y`, dmail's
      // `via dmail-2002(12) for +lists/…`).
      field.isLocal = true
      field.problems.append("no 'by' clause: a hand-over 'via' \(field.via!)")
    } else if field.by == nil && field.from == nil && field.with != nil && field.date != nil {
      // Neither end named, a program and a date: a list manager or filter noting its own pass
      // (`with LISTAR (v0.129a; list rlug)`).
      field.isLocal = true
      field.problems.append("no 'from' or 'by' clause: a program's own note (\(field.with!))")
    } else if field.by == nil && byClause && (field.with != nil || field.date != nil) {
      // Spamware and broken relays write `by  (Postfix)` or `by ;`: the shape is there, the host is not.
      field.problems.append("the 'by' clause names no host")
    } else if field.by == nil && !field.isLocal {
      field.parsed = false
      field.problems.insert("no 'by' clause", at: 0)
    }
    return field
  }

  /// The clauses and the date: the date follows the last ';' outside comments.
  static func splitDate(_ raw: String, _ text: ByteScanner) -> (String, String?) {
    var depth = 0
    var last: Int?
    for (offset, byte) in text.bytes.enumerated() {
      switch byte {
      case 40: depth += 1
      case 41: depth = max(0, depth - 1)
      case 59 where depth == 0: last = offset
      default: break
      }
    }
    let utf8 = text.bytes
    guard let last else { return trailingDate(utf8) ?? (raw, nil) }
    var start = last + 1
    var end = utf8.count
    while start < end, utf8[start] == 32 || utf8[start] == 9 { start += 1 }
    while end > start, utf8[end - 1] == 32 || utf8[end - 1] == 9 { end -= 1 }
    return (text.text(0, last), start < end ? text.text(start, end) : nil)
  }

  /// A field without `;` whose date is simply written at its end (SendGrid: `… with HTTP id X Sat, 05
  /// Jul 2025 17:17:56.216 +0000 (UTC)`): the clauses and the date, split at the last weekday.
  static func trailingDate(_ utf8: [UInt8]) -> (String, String?)? {
    let text = ByteScanner(utf8)
    var best: Int?
    for day in ["Mon, ", "Tue, ", "Wed, ", "Thu, ", "Fri, ", "Sat, ", "Sun, "] {
      if let position = text.positions(of: Array(day.utf8)).last, position > (best ?? -1) { best = position }
    }
    guard let start = best, start > 0, utf8[start - 1] == 32 else { return nil }
    let date = String(decoding: utf8[start...], as: UTF8.self)
    guard MessageDate.parse(date) != nil else { return nil }
    return (String(decoding: utf8[..<start], as: UTF8.self), date)
  }

  /// Words and parenthesized comments (nested, as RFC 5322 allows), split on spaces and tabs; an
  /// unclosed comment keeps what it held.
  static func tokenize(_ text: String) -> [Token] {
    var tokens: [Token] = []
    let bytes = Array(text.utf8)
    var index = 0
    func trimmed(_ start: Int, _ end: Int) -> String {
      var (start, end) = (start, end)
      while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
      while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
      return String(decoding: bytes[start..<end], as: UTF8.self)
    }
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 32 || byte == 9 {
        index += 1
      } else if byte == 40 {
        var depth = 1
        let start = index + 1
        index += 1
        while index < bytes.count {
          if bytes[index] == 40 { depth += 1 }
          if bytes[index] == 41 {
            depth -= 1
            if depth == 0 { break }
          }
          index += 1
        }
        if index < bytes.count {
          tokens.append(.comment(trimmed(start, index)))
          index += 1
        } else if start < bytes.count {
          tokens.append(.comment(String(decoding: bytes[start...], as: UTF8.self)))
        }
      } else {
        let start = index
        while index < bytes.count, bytes[index] != 32, bytes[index] != 9, bytes[index] != 40 { index += 1 }
        tokens.append(.word(String(decoding: bytes[start..<index], as: UTF8.self)))
      }
    }
    return tokens
  }

  /// The sender: HELO name first, then reverse name and address from the words and comments in the
  /// forms MTAs use: `(host [addr])`, `([addr])`, `(HELO name) (addr)`, `([addr] helo=name)`.
  static func sender(words: [String], comments: [String]) -> ReceivedField.Sender {
    var sender = ReceivedField.Sender()
    // An address literal as the HELO (`from [10.0.0.1] (really [203.0.113.5])`) is what the client
    // said, not where it connected from: the address in the comment, when there is one, is.
    // (Exim writes the connecting address there, with `helo=` in the comment: then it is the address.)
    var literal: String?
    if let first = words.first {
      if let address = bracketed(first) { literal = address } else { sender.helo = first }
    }
    for word in words.dropFirst() where sender.address == nil {
      if let address = bracketed(word) { sender.address = address }
    }
    for comment in comments {
      let parts = comment.utf8.split(whereSeparator: { $0 == 32 || $0 == 9 }).map { Substring($0) }
      for (i, part) in parts.enumerated() {
        if part.hasPrefixIgnoringCase("helo=") {
          sender.helo = sender.helo ?? String(part.dropFirst(5))
        } else if part.equalsIgnoringCase("helo"), i + 1 < parts.count {
          sender.helo = String(parts[i + 1])
        } else if let address = bracketed(part) {
          sender.address = sender.address ?? address
          if i > 0, sender.host == nil, !parts[i - 1].equalsIgnoringCase("helo"),
            !parts[i - 1].equalsIgnoringCase("ehlo"), !parts[i - 1].equalsIgnoringCase("really"),
            !parts[i - 1].utf8.contains(61)
          {
            let name = parts[i - 1].trimmingCharacters(in: ".")
            if !name.equalsIgnoringCase("unknown") && !name.isEmpty { sender.host = name }
          }
        } else if parts.count == 1, isIPAddress(part) {
          sender.address = sender.address ?? String(part)  // qmail: "(192.0.2.1)"
        } else if i == 0, parts.count == 1, part.utf8.contains(46), !part.utf8.contains(61),
          sender.host == nil,
          !part.equalsIgnoringCase("unknown")
        {
          sender.host = part.trimmingCharacters(in: ".")  // "(mail.example.org)"
        }
      }
    }
    if sender.address == nil {
      sender.address = literal
    } else if let literal, literal != sender.address, sender.helo == nil {
      sender.helo = "[\(literal)]"
    }
    if let address = sender.address, address.hasPrefixIgnoringCase("ipv6:") {
      sender.address = String(address.dropFirst(5))
    }
    return sender
  }

  static func bracketed(_ word: some StringProtocol) -> String? {
    let utf8 = word.utf8
    guard utf8.first == 91, let end = utf8.firstIndex(of: 93) else { return nil }
    let inner = String(word[word.index(after: word.startIndex)..<end])
    return inner.isEmpty ? nil : inner
  }

  static func isIPAddress(_ text: some StringProtocol) -> Bool {
    // IPv4: four decimal parts of at most 255; IPv6: hex digits, colons and dots, with a colon.
    var parts = 0
    var value = 0
    var digits = 0
    var ipv4 = true
    var colon = false
    for byte in text.utf8 {
      switch byte {
      case 48...57:
        // Capped: a long run of digits (a host label) must not overflow.
        value = min(value * 10 + Int(byte - 48), 1000)
        digits += 1
        if digits > 3 || value > 255 { ipv4 = false }
      case 46:
        if digits == 0 { ipv4 = false }
        parts += 1
        (value, digits) = (0, 0)
      case 58:
        colon = true
        ipv4 = false
      case 65...70, 97...102: ipv4 = false
      default: return false
      }
    }
    if ipv4 && digits > 0 && parts == 3 { return true }
    return colon
  }

  // MARK: - TLS annotations

  /// TLS version, cipher and client-verification note, in the formats of the major MTAs.
  static func tlsDetails(_ raw: String) -> ReceivedField.TLSDetails? {
    tlsDetails(ByteScanner(raw))
  }

  static func tlsDetails(_ text: ByteScanner) -> ReceivedField.TLSDetails? {
    var details = ReceivedField.TLSDetails()
    // Postfix: (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) ...)
    if let (version, cipher) = postfixTLS(text) {
      details.version = normalizeVersion(version)
      details.cipher = cipher
    }
    // Sendmail, Gmail, Microsoft 365: version=TLSv1.3 cipher=... (commas optional)
    if details.version == nil, let version = versionKey(text) { details.version = normalizeVersion(version) }
    if details.cipher == nil, let cipher = keyValue(text, "cipher=", ByteScanner.isWordOrHyphen) {
      details.cipher = cipher
    }
    if let verify = keyValue(text, "verify=", ByteScanner.isWord) { details.verified = "verify=" + verify }
    // OpenSMTPD: (TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO); old Exim: (TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256)
    if details.version == nil, let (version, cipher, verify) = colonTLS(text) {
      details.version = normalizeVersion(version)
      details.cipher = details.cipher ?? cipher
      if let verify { details.verified = details.verified ?? "verify=" + verify }
    }
    // Exim 4.9x: with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384
    if details.version == nil, let version = parenthesizedVersion(text) {
      details.version = normalizeVersion(version)
    }
    if details.cipher == nil, let cipher = eximCipher(text) { details.cipher = cipher }
    // qmail-tls: (DHE-RSA-AES256-GCM-SHA384 encrypted); MessageLabs: with CIPHER encrypted SMTP
    if details.cipher == nil, let cipher = encryptedCipher(text) { details.cipher = cipher }
    if text.contains("No client certificate requested".utf8) {
      details.verified = details.verified ?? "no client certificate requested"
    }
    guard details.version != nil || details.cipher != nil else { return nil }
    return details
  }

  /// `using VERSION with cipher CIPHER`, whitespace between the words.
  static func postfixTLS(_ text: ByteScanner) -> (String, String)? {
    for start in text.positions(of: "using".utf8) {
      var index = start + 5
      let afterSpace = text.run(from: index, ByteScanner.isSpace)
      guard afterSpace > index, let first = text[afterSpace], ByteScanner.isWord(first) else { continue }
      let versionEnd = text.run(from: afterSpace) { ByteScanner.isWord($0) || $0 == 46 }
      index = text.run(from: versionEnd, ByteScanner.isSpace)
      guard index > versionEnd, text.matches("with".utf8, at: index) else { continue }
      let withEnd = index + 4
      index = text.run(from: withEnd, ByteScanner.isSpace)
      guard index > withEnd, text.matches("cipher".utf8, at: index) else { continue }
      let cipherWordEnd = index + 6
      index = text.run(from: cipherWordEnd, ByteScanner.isSpace)
      let cipherEnd = text.run(from: index, ByteScanner.isWordOrHyphen)
      guard index > cipherWordEnd, cipherEnd > index else { continue }
      return (text.text(afterSpace, versionEnd), text.text(index, cipherEnd))
    }
    return nil
  }

  /// `version=TLSv1.3` followed by `,`, `;`, whitespace or `)`.
  static func versionKey(_ text: ByteScanner) -> String? {
    for start in text.positions(of: "version=".utf8) {
      // `/` too: old Sendmail's `version=TLSv1/SSLv3` is TLS 1.0.
      guard let end = text.versionName(at: start + 8), let next = text[end],
        next == 44 || next == 59 || next == 41 || next == 47 || ByteScanner.isSpace(next)
      else { continue }
      return text.text(start + 8, end)
    }
    return nil
  }

  /// `KEY` followed by at least one byte of the class: the first such value.
  static func keyValue(_ text: ByteScanner, _ key: String, _ accept: (UInt8) -> Bool) -> String? {
    let needle = Array(key.utf8)
    for start in text.positions(of: needle) {
      let end = text.run(from: start + needle.count, accept)
      if end > start + needle.count { return text.text(start + needle.count, end) }
    }
    return nil
  }

  /// `(VERSION:CIPHER:BITS)` or `(VERSION:CIPHER:BITS:VERIFY)`.
  static func colonTLS(_ text: ByteScanner) -> (String, String, String?)? {
    for open in text.positions(of: CollectionOfOne(40)) {
      guard let versionEnd = text.versionName(at: open + 1), text[versionEnd] == 58 else { continue }
      let cipherEnd = text.run(from: versionEnd + 1, ByteScanner.isWordOrHyphen)
      guard cipherEnd > versionEnd + 1 else { continue }
      // t-online: (TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384 encrypted)
      let afterSpace = text.run(from: cipherEnd, ByteScanner.isSpace)
      if afterSpace > cipherEnd, text.matches("encrypted)".utf8, at: afterSpace) {
        return (text.text(open + 1, versionEnd), text.text(versionEnd + 1, cipherEnd), nil)
      }
      guard text[cipherEnd] == 58 else { continue }
      let bitsEnd = text.run(from: cipherEnd + 1, ByteScanner.isDigit)
      guard bitsEnd > cipherEnd + 1 else { continue }
      var verify: String?
      var close = bitsEnd
      if text[bitsEnd] == 58 {
        let verifyEnd = text.run(from: bitsEnd + 1, ByteScanner.isWord)
        guard verifyEnd > bitsEnd + 1 else { continue }
        verify = text.text(bitsEnd + 1, verifyEnd)
        close = verifyEnd
      }
      guard text[close] == 41 else { continue }
      return (text.text(open + 1, versionEnd), text.text(versionEnd + 1, cipherEnd), verify)
    }
    return nil
  }

  /// `(TLS1.3)`.
  static func parenthesizedVersion(_ text: ByteScanner) -> String? {
    for open in text.positions(of: CollectionOfOne(40)) {
      if let end = text.versionName(at: open + 1), text[end] == 41 { return text.text(open + 1, end) }
    }
    return nil
  }

  /// Exim's `tls CIPHER`: `tls` not inside a word, whitespace, then a name starting with a capital.
  static func eximCipher(_ text: ByteScanner) -> String? {
    for start in text.positions(of: "tls".utf8) {
      if let before = text[start - 1], ByteScanner.isWord(before) { continue }
      let afterSpace = text.run(from: start + 3, ByteScanner.isSpace)
      guard afterSpace > start + 3, let first = text[afterSpace], first >= 65 && first <= 90 else { continue }
      let end = text.run(from: afterSpace, ByteScanner.isWordOrHyphen)
      guard end > afterSpace + 1 else { continue }  // a name of two characters at least
      return text.text(afterSpace, end)
    }
    return nil
  }

  /// `CIPHER encrypted`: qmail-tls' `(DHE-RSA-AES256-GCM-SHA384 encrypted)`, MessageLabs' `with
  /// ECDHE-RSA-AES256-GCM-SHA384 encrypted SMTP`. The cipher is a name of letters, digits, `-` and `_`
  /// that starts with a capital and has a `-` or `_` in it.
  static func encryptedCipher(_ text: ByteScanner) -> String? {
    for position in text.positions(of: "encrypted".utf8) {
      if let next = text[position + 9], ByteScanner.isWord(next) { continue }
      var end = position
      while end > 0, let byte = text[end - 1], ByteScanner.isSpace(byte) { end -= 1 }
      guard end < position else { continue }
      var start = end
      while start > 0, let byte = text[start - 1], ByteScanner.isWordOrHyphen(byte) { start -= 1 }
      let name = text.bytes[start..<end]
      guard name.count >= 5, let first = name.first, first >= 65 && first <= 90,
        name.contains(45) || name.contains(95)
      else { continue }
      return text.text(start, end)
    }
    return nil
  }

  /// qmail's own processes: `(qmail 12345 invoked from network)`, `(qmail 1 invoked by uid 89)`,
  /// `(qmail 7 invoked for bounce)`, then `;` and the date, which is returned.
  /// Its descendants name themselves too (`(cpmta 27945 invoked from network)`, netqmail, vpopmail).
  static func qmailInvocation(_ text: ByteScanner) -> String? {
    guard text[0] == 40 else { return nil }
    let nameEnd = text.run(from: 1) { ByteScanner.isWord($0) || $0 == 45 }
    guard nameEnd > 1, nameEnd <= 21, text[nameEnd] == 32 else { return nil }
    let digitsEnd = text.run(from: nameEnd + 1, ByteScanner.isDigit)
    guard digitsEnd > nameEnd + 1, text.matches(" invoked ".utf8, at: digitsEnd) else { return nil }
    // "from network", "by uid 89", "for bounce", "by alias", "by VF by uid 0": words up to ')'.
    let start = digitsEnd + 9
    var index = text.run(from: start) { $0 != 40 && $0 != 41 && $0 != 59 }
    guard index > start, index - start <= 100 else { return nil }
    guard text[index] == 41 else { return nil }
    index = text.run(from: index + 1, ByteScanner.isSpace)
    guard text[index] == 59 else { return nil }
    index = text.run(from: index + 1, ByteScanner.isSpace)
    return text.text(index, text.count)
  }

  /// `TLSv1.3`, `TLS1.3`, `TLS1_3` → `TLSv1.3`; `TLSv1` → `TLSv1.0`; `SSLv3` stays.
  static func normalizeVersion(_ text: String) -> String {
    // Old Sendmail and OpenSSL name TLS 1.0 by its cipher suites' family: `TLSv1/SSLv3`.
    let first = text.split(separator: "/").first.map(String.init) ?? text
    let upper = first.uppercased().replacing("_", with: ".")
    let family = upper.hasPrefix("SSL") ? "SSL" : "TLS"
    var number = upper.dropFirst(3)
    if number.hasPrefix("V") { number = number.dropFirst() }
    if family == "TLS" && !number.utf8.contains(46) { number += ".0" }
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
