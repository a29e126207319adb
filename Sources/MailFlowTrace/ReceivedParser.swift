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

  /// A word or a comment's text, as a range of the field's bytes: strings are made only of what the
  /// field keeps (the parser met every word of 20,000-field headers, and a string each cost more than
  /// reading them).
  struct TokenRange {
    var start: Int
    var end: Int
    var isComment: Bool
  }

  public static func parse(_ raw: String) -> ReceivedField {
    var field = ReceivedField(raw: raw, parsed: true)
    let text = ByteScanner(raw)
    // qmail notes its own processes: "(qmail 12345 invoked from network)", "(qmail 1 invoked by uid 89)".
    if let date = qmailInvocation(text) {
      field.isLocal = true
      field.date = MessageDate.parse(date)
      return field
    }
    let (clausesEnd, dateText) = splitDate(text)
    if let dateText {
      field.date = MessageDate.parse(dateText)
      if field.date == nil { field.problems.append("unreadable date \"\(dateText)\"") }
    } else {
      field.problems.append("no date after ';'")
    }

    // Each clause is a run of tokens: the first of each keyword starts one (words before any belong to
    // none).
    let tokens = tokenRanges(text.bytes, end: clausesEnd)
    var clauses: [(keyword: Int, tokens: Range<Int>)] = [(-1, 0..<0)]
    clauses.reserveCapacity(keywords.count + 1)
    var seen = 0
    for index in tokens.indices {
      let token = tokens[index]
      if !token.isComment, let keyword = keyword(text.bytes, token), seen & (1 << keyword) == 0 {
        seen |= 1 << keyword
        clauses.append((keyword, index + 1..<index + 1))
      } else {
        clauses[clauses.count - 1].tokens = clauses[clauses.count - 1].tokens.lowerBound..<index + 1
      }
    }

    var byClause = false
    for (keyword, range) in clauses where keyword >= 0 {
      let clause = tokens[range]
      func words() -> [String] { clause.filter { !$0.isComment }.map { text.text($0.start, $0.end) } }
      let firstWord = clause.first { !$0.isComment }.map { text.text($0.start, $0.end) }
      switch keywords[keyword] {
      case "from":
        field.from = sender(
          words: words(), comments: clause.filter(\.isComment).map { text.bytes[$0.start..<$0.end] })
      case "by":
        byClause = true
        field.by = firstWord
        field.software = clause.first {
          $0.isComment && !text.bytes[$0.start..<$0.end].contains(61)
            && !text.bytes[$0.start..<$0.end].hasPrefixIgnoringCase("using")
        }.map { text.text($0.start, $0.end) }
      case "via": field.via = firstWord
      case "with":
        // Compared as bytes; strings made only of the words kept (most often one: `ESMTPS`).
        let words = clause.filter { !$0.isComment }
        func word(_ index: Int) -> ArraySlice<UInt8> { text.bytes[words[index].start..<words[index].end] }
        // "Microsoft SMTP Server" is three words; Exim's "tls CIPHER" follows its protocol.
        let upTo = words.indices.first { word($0).equalsIgnoringCase("tls") } ?? words.count
        // MessageLabs: "with CIPHER encrypted SMTP" — the protocol follows the TLS note.
        let kept: Range<Int>
        if let encrypted = words.indices.first(where: { word($0).equalsIgnoringCase("encrypted") }),
          encrypted + 1 < words.count
        {
          kept = encrypted + 1..<words.count
        } else {
          kept = 0..<upTo
        }
        field.with =
          kept.count == 1
          ? text.text(words[kept.lowerBound].start, words[kept.lowerBound].end)
          : kept.map { text.text(words[$0].start, words[$0].end) }.joined(separator: " ")
      case "id": field.id = firstWord
      case "for": field.forAddress = firstWord.map { $0.trimmingCharacters(in: "<>;") }
      default: break
      }
    }

    field.tls = tlsDetails(text)
    field.isLocal = field.transmission?.base == .local
    // Notes in any case, looked for in a lowercased copy (four exact scans cost less than four folding
    // each byte).
    let lowered = ByteScanner(text.bytes.map(ByteScanner.lower))
    field.authenticated =
      (field.transmission?.authenticated ?? false)
      || lowered.contains("authenticated sender".utf8)
      || lowered.contains("(authenticated".utf8)
      // Yahoo/SBC: "(user@203.0.113.5 with login)", "… with plain)".
      || lowered.contains(" with login)".utf8)
      || lowered.contains(" with plain)".utf8)
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

  /// Which of `keywords` a word is, ASCII letters folded.
  static func keyword(_ bytes: [UInt8], _ token: TokenRange) -> Int? {
    guard (2...4).contains(token.end - token.start) else { return nil }
    let word = bytes[token.start..<token.end]
    return keywords.firstIndex { $0.utf8.count == word.count && word.hasPrefixIgnoringCase($0) }
  }

  /// Where the clauses end, and the date: the date follows the last ';' outside comments.
  static func splitDate(_ text: ByteScanner) -> (clausesEnd: Int, date: String?) {
    let utf8 = text.bytes
    let last = utf8.withUnsafeBufferPointer { bytes -> Int? in
      var depth = 0
      var last: Int?
      var offset = 0
      while offset < bytes.count {
        // Words without a parenthesis or a semicolon are passed over whole.
        if offset + 8 <= bytes.count {
          let word = ByteWord.load(bytes, at: offset)
          if !ByteWord.contains(word, 40) && !ByteWord.contains(word, 41) && !ByteWord.contains(word, 59) {
            offset += 8
            continue
          }
        }
        for index in offset..<min(bytes.count, offset + 8) {
          switch bytes[index] {
          case 40: depth += 1
          case 41: depth = max(0, depth - 1)
          case 59 where depth == 0: last = index
          default: break
          }
        }
        offset += 8
      }
      return last
    }
    guard let last else { return trailingDate(utf8) ?? (utf8.count, nil) }
    var start = last + 1
    var end = utf8.count
    while start < end, utf8[start] == 32 || utf8[start] == 9 { start += 1 }
    while end > start, utf8[end - 1] == 32 || utf8[end - 1] == 9 { end -= 1 }
    return (last, start < end ? text.text(start, end) : nil)
  }

  /// A field without `;` whose date is simply written at its end (SendGrid: `… with HTTP id X Sat, 05
  /// Jul 2025 17:17:56.216 +0000 (UTC)`): where the clauses end and the date, split at the last weekday.
  static func trailingDate(_ utf8: [UInt8]) -> (clausesEnd: Int, date: String?)? {
    let text = ByteScanner(utf8)
    var best: Int?
    for day in ["Mon, ", "Tue, ", "Wed, ", "Thu, ", "Fri, ", "Sat, ", "Sun, "] {
      if let position = text.positions(of: day.utf8).last, position > (best ?? -1) { best = position }
    }
    guard let start = best, start > 0, utf8[start - 1] == 32 else { return nil }
    let date = String(decoding: utf8[start...], as: UTF8.self)
    guard MessageDate.parse(date) != nil else { return nil }
    return (start, date)
  }

  /// Words and parenthesized comments (nested, as RFC 5322 allows), split on spaces and tabs; an
  /// unclosed comment keeps what it held.
  static func tokenize(_ text: String) -> [Token] {
    let bytes = Array(text.utf8)
    return tokenRanges(bytes, end: bytes.count).map {
      let token = String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)
      return $0.isComment ? .comment(token) : .word(token)
    }
  }

  /// `tokenize` as ranges of `bytes[..<end]`.
  static func tokenRanges(_ bytes: [UInt8], end: Int) -> [TokenRange] {
    var tokens: [TokenRange] = []
    tokens.reserveCapacity(16)
    var index = 0
    func trimmed(_ start: Int, _ end: Int) -> TokenRange {
      var (start, end) = (start, end)
      while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
      while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
      return TokenRange(start: start, end: end, isComment: true)
    }
    while index < end {
      let byte = bytes[index]
      if byte == 32 || byte == 9 {
        index += 1
      } else if byte == 40 {
        var depth = 1
        let start = index + 1
        index += 1
        while index < end {
          if bytes[index] == 40 { depth += 1 }
          if bytes[index] == 41 {
            depth -= 1
            if depth == 0 { break }
          }
          index += 1
        }
        if index < end {
          tokens.append(trimmed(start, index))
          index += 1
        } else if start < end {
          tokens.append(TokenRange(start: start, end: end, isComment: true))
        }
      } else {
        let start = index
        while index < end, bytes[index] != 32, bytes[index] != 9, bytes[index] != 40 { index += 1 }
        tokens.append(TokenRange(start: start, end: index, isComment: false))
      }
    }
    return tokens
  }

  /// The sender: HELO name first, then reverse name and address from the words and comments in the
  /// forms MTAs use: `(host [addr])`, `([addr])`, `(HELO name) (addr)`, `([addr] helo=name)`.
  static func sender(words: [String], comments: [ArraySlice<UInt8>]) -> ReceivedField.Sender {
    var sender = ReceivedField.Sender()
    // An address literal as the HELO (`from [10.0.0.1] (really [203.0.113.5])`) is what the client
    // said, not where it connected from: the address in the comment, when there is one, is.
    // (Exim writes the connecting address there, with `helo=` in the comment: then it is the address.)
    var literal: String?
    if let first = words.first {
      if let address = bracketed(first.utf8) { literal = address } else { sender.helo = first }
    }
    for word in words.dropFirst() where sender.address == nil {
      if let address = bracketed(word.utf8) { sender.address = address }
    }
    // Each comment's words are read as ranges of its bytes; strings are made only of what is kept.
    var parts: [ArraySlice<UInt8>] = []
    for comment in comments {
      parts.removeAll(keepingCapacity: true)
      parts += comment.split(whereSeparator: { $0 == 32 || $0 == 9 })
      for (i, part) in parts.enumerated() {
        if part.hasPrefixIgnoringCase("helo=") {
          sender.helo = sender.helo ?? String(decoding: part.dropFirst(5), as: UTF8.self)
        } else if part.equalsIgnoringCase("helo"), i + 1 < parts.count {
          sender.helo = String(decoding: parts[i + 1], as: UTF8.self)
        } else if let address = bracketed(part) {
          sender.address = sender.address ?? address
          if i > 0, sender.host == nil, !parts[i - 1].equalsIgnoringCase("helo"),
            !parts[i - 1].equalsIgnoringCase("ehlo"), !parts[i - 1].equalsIgnoringCase("really"),
            !parts[i - 1].contains(61)
          {
            let name = trimmingDots(parts[i - 1])
            if !name.equalsIgnoringCase("unknown") && !name.isEmpty { sender.host = name }
          }
        } else if parts.count == 1, isIPAddress(part) {
          sender.address = sender.address ?? String(decoding: part, as: UTF8.self)  // qmail: "(192.0.2.1)"
        } else if i == 0, parts.count == 1, part.contains(46), !part.contains(61),
          sender.host == nil,
          !part.equalsIgnoringCase("unknown")
        {
          sender.host = trimmingDots(part)  // "(mail.example.org)"
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

  /// The word without dots at either end. An ASCII word is trimmed on its bytes; other text by
  /// characters, where a dot and the mark after it are one character and stay.
  static func trimmingDots(_ word: ArraySlice<UInt8>) -> String {
    guard word.allSatisfy({ $0 < 0x80 }) else {
      return String(decoding: word, as: UTF8.self).trimmingCharacters(in: ".")
    }
    var (start, end) = (word.startIndex, word.endIndex)
    while start < end, word[start] == 46 { start += 1 }
    while end > start, word[end - 1] == 46 { end -= 1 }
    return String(decoding: word[start..<end], as: UTF8.self)
  }

  /// What is between a word's leading `[` and its first `]`; `nil` when that is empty or the word is not
  /// bracketed.
  static func bracketed(_ word: some Collection<UInt8>) -> String? {
    guard word.first == 91, let end = word.firstIndex(of: 93) else { return nil }
    let inner = word[word.index(after: word.startIndex)..<end]
    return inner.isEmpty ? nil : String(decoding: inner, as: UTF8.self)
  }

  static func isIPAddress(_ text: some StringProtocol) -> Bool { isIPAddress(text.utf8) }

  static func isIPAddress(_ bytes: some Collection<UInt8>) -> Bool {
    // IPv4: four decimal parts of at most 255; IPv6: hex digits, colons and dots, with a colon.
    var parts = 0
    var value = 0
    var digits = 0
    var ipv4 = true
    var colon = false
    for byte in bytes {
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
    text.first(of: "using".utf8) { start in
      var index = start + 5
      let afterSpace = text.run(from: index, ByteScanner.isSpace)
      guard afterSpace > index, let first = text[afterSpace], ByteScanner.isWord(first) else { return nil }
      let versionEnd = text.run(from: afterSpace) { ByteScanner.isWord($0) || $0 == 46 }
      index = text.run(from: versionEnd, ByteScanner.isSpace)
      guard index > versionEnd, text.matches("with".utf8, at: index) else { return nil }
      let withEnd = index + 4
      index = text.run(from: withEnd, ByteScanner.isSpace)
      guard index > withEnd, text.matches("cipher".utf8, at: index) else { return nil }
      let cipherWordEnd = index + 6
      index = text.run(from: cipherWordEnd, ByteScanner.isSpace)
      let cipherEnd = text.run(from: index, ByteScanner.isWordOrHyphen)
      guard index > cipherWordEnd, cipherEnd > index else { return nil }
      return (text.text(afterSpace, versionEnd), text.text(index, cipherEnd))
    }
  }

  /// `version=TLSv1.3` followed by `,`, `;`, whitespace or `)`.
  static func versionKey(_ text: ByteScanner) -> String? {
    text.first(of: "version=".utf8) { start in
      // `/` too: old Sendmail's `version=TLSv1/SSLv3` is TLS 1.0.
      guard let end = text.versionName(at: start + 8), let next = text[end],
        next == 44 || next == 59 || next == 41 || next == 47 || ByteScanner.isSpace(next)
      else { return nil }
      return text.text(start + 8, end)
    }
  }

  /// `KEY` followed by at least one byte of the class: the first such value.
  static func keyValue(_ text: ByteScanner, _ key: String, _ accept: (UInt8) -> Bool) -> String? {
    let length = key.utf8.count
    return text.first(of: key.utf8) { start in
      let end = text.run(from: start + length, accept)
      return end > start + length ? text.text(start + length, end) : nil
    }
  }

  /// `(VERSION:CIPHER:BITS)` or `(VERSION:CIPHER:BITS:VERIFY)`.
  static func colonTLS(_ text: ByteScanner) -> (String, String, String?)? {
    text.first(of: "(".utf8) { open in
      guard let versionEnd = text.versionName(at: open + 1), text[versionEnd] == 58 else { return nil }
      let cipherEnd = text.run(from: versionEnd + 1, ByteScanner.isWordOrHyphen)
      guard cipherEnd > versionEnd + 1 else { return nil }
      // t-online: (TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384 encrypted)
      let afterSpace = text.run(from: cipherEnd, ByteScanner.isSpace)
      if afterSpace > cipherEnd, text.matches("encrypted)".utf8, at: afterSpace) {
        return (text.text(open + 1, versionEnd), text.text(versionEnd + 1, cipherEnd), nil)
      }
      guard text[cipherEnd] == 58 else { return nil }
      let bitsEnd = text.run(from: cipherEnd + 1, ByteScanner.isDigit)
      guard bitsEnd > cipherEnd + 1 else { return nil }
      var verify: String?
      var close = bitsEnd
      if text[bitsEnd] == 58 {
        let verifyEnd = text.run(from: bitsEnd + 1, ByteScanner.isWord)
        guard verifyEnd > bitsEnd + 1 else { return nil }
        verify = text.text(bitsEnd + 1, verifyEnd)
        close = verifyEnd
      }
      guard text[close] == 41 else { return nil }
      return (text.text(open + 1, versionEnd), text.text(versionEnd + 1, cipherEnd), verify)
    }
  }

  /// `(TLS1.3)`.
  static func parenthesizedVersion(_ text: ByteScanner) -> String? {
    text.first(of: "(".utf8) { open in
      guard let end = text.versionName(at: open + 1), text[end] == 41 else { return nil }
      return text.text(open + 1, end)
    }
  }

  /// Exim's `tls CIPHER`: `tls` not inside a word, whitespace, then a name starting with a capital.
  static func eximCipher(_ text: ByteScanner) -> String? {
    text.first(of: "tls".utf8) { start in
      if let before = text[start - 1], ByteScanner.isWord(before) { return nil }
      let afterSpace = text.run(from: start + 3, ByteScanner.isSpace)
      guard afterSpace > start + 3, let first = text[afterSpace], first >= 65 && first <= 90 else {
        return nil
      }
      let end = text.run(from: afterSpace, ByteScanner.isWordOrHyphen)
      guard end > afterSpace + 1 else { return nil }  // a name of two characters at least
      return text.text(afterSpace, end)
    }
  }

  /// `CIPHER encrypted`: qmail-tls' `(DHE-RSA-AES256-GCM-SHA384 encrypted)`, MessageLabs' `with
  /// ECDHE-RSA-AES256-GCM-SHA384 encrypted SMTP`. The cipher is a name of letters, digits, `-` and `_`
  /// that starts with a capital and has a `-` or `_` in it.
  static func encryptedCipher(_ text: ByteScanner) -> String? {
    text.first(of: "encrypted".utf8) { position in
      if let next = text[position + 9], ByteScanner.isWord(next) { return nil }
      var end = position
      while end > 0, let byte = text[end - 1], ByteScanner.isSpace(byte) { end -= 1 }
      guard end < position else { return nil }
      var start = end
      while start > 0, let byte = text[start - 1], ByteScanner.isWordOrHyphen(byte) { start -= 1 }
      let name = text.bytes[start..<end]
      guard name.count >= 5, let first = name.first, first >= 65 && first <= 90,
        name.contains(45) || name.contains(95)
      else { return nil }
      return text.text(start, end)
    }
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
