import Foundation
import Testing

@testable import MailFlowTrace

@Suite("Header section")
struct HeaderSectionTests {
  @Test(arguments: ["\n", "\r\n", "\r"])
  func unfoldsAndStopsAtTheBlankLine(ending: String) throws {
    let text = ["Subject: one", "\ttwo", "X-A: b", "", "Body: not a header"].joined(separator: ending)
    let header = try HeaderSection.parse(Array(text.utf8))
    #expect(header.fields.map(\.name) == ["Subject", "X-A"])
    #expect(header.first("subject")?.value == "one two")
  }

  /// Values are trimmed from their bytes as `trimmed` trims the decoded text: spaces, tabs, no-break
  /// spaces, a space carrying a combining mark, controls (escaped, so kept) and bytes that are not UTF-8.
  @Test func valuesAreTrimmedAsTheDecodedTextWouldBe() {
    let pieces: [[UInt8]] = [
      [0x20], [0x09], [0x61], [0xC2, 0xA0], [0xCC, 0x81], [0x0B], [0xFF], [0xC3, 0xA9], [0xE2, 0x80, 0xA8],
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<3000 {
      let bytes = (0..<Int.random(in: 0...6, using: &generator)).flatMap { _ in
        pieces.randomElement(using: &generator)!
      }
      #expect(
        HeaderSection.trimmedValue(bytes[...]) == TextDecoding.visible(bytes).trimmed, "\(bytes)")
    }
  }

  @Test func skipsTheMboxPostmark() throws {
    let header = try HeaderSection.parse(Array("From a@b Sun Nov 29 00:00:00 2026\nTo: x\n\n".utf8))
    #expect(header.fields.map(\.name) == ["To"])
  }

  @Test func showsBytesThatAreNotUTF8() throws {
    let header = try HeaderSection.parse([0x53, 0x3A, 0x20, 0x61, 0xFF, 0xC3, 0xA9, 0x0A])
    #expect(header.first("S")?.value == "a\\xFFé")
  }

  @Test func refusesWhatIsNotAMessage() {
    #expect(throws: HeaderSection.ParseError.notAHeader(line: 1, text: "just some text")) {
      try HeaderSection.parse(Array("just some text\nmore\n".utf8))
    }
    #expect(throws: HeaderSection.ParseError.empty) { try HeaderSection.parse([]) }
  }

  @Test func scannerFindsTheEndWhateverThePieces() {
    let text = Array("A: 1\r\nB: 2\r\n\r\nbody\r\n".utf8)
    let whole = HeaderSection.endOfHeader(in: text)
    #expect(whole == 14)
    var scanner = HeaderEndScanner()
    var found: Int?
    for byte in text where found == nil { found = scanner.feed([byte][...]) }
    #expect(found == whole)
    #expect(HeaderSection.endOfHeader(in: Array("A: 1\nB".utf8)) == nil)
    #expect(HeaderSection.endOfHeader(in: Array("A: 1\r\rB".utf8)) == 6)
  }

  /// The scanner skips a line's ordinary bytes in one step: it must find the same end as a byte-by-byte
  /// reading, whatever the line endings and however the input is cut into pieces.
  @Test func scannerAgreesWithAByteByByteReading() {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("ab: \r\n\r\n\r\n".utf8)
    for _ in 0..<5000 {
      let text = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
        alphabet.randomElement(using: &generator)!
      }
      var scanner = HeaderEndScanner()
      var found: Int?
      var start = 0
      while found == nil && start < text.count {
        let end = min(text.count, start + Int.random(in: 1...8, using: &generator))
        found = scanner.feed(text[start..<end])
        start = end
      }
      #expect((found ?? scanner.finish()) == Self.headerEndByteByByte(text), "\(text)")
    }
  }

  /// RFC 5322's end of header read one byte at a time, as the scanner did before it skipped a line's
  /// ordinary bytes in one step.
  static func headerEndByteByByte(_ bytes: [UInt8]) -> Int? {
    var lineLength = 0
    var afterCR = false
    var endAfterCR = false
    for (position, byte) in bytes.enumerated() {
      if endAfterCR { return byte == 0x0A ? position + 1 : position }
      switch byte {
      case 0x0D:
        if lineLength == 0 { endAfterCR = true }
        lineLength = 0
        afterCR = true
      case 0x0A:
        if afterCR {
          afterCR = false
        } else if lineLength == 0 {
          return position + 1
        } else {
          lineLength = 0
        }
      default:
        lineLength += 1
        afterCR = false
      }
    }
    return endAfterCR ? bytes.count : nil
  }

  /// Thousands of fields are decoded on every core: the same fields, in order and with their line
  /// numbers, with folds (also after a broken line, and of white space only), broken lines and bytes
  /// that are not UTF-8, as when each is parsed alone.
  @Test func manyFieldsParseAsFewDo() throws {
    var text: [UInt8] = []
    var starts: [Int] = []
    var line = 1
    for i in 0..<3500 {
      let piece: [UInt8]
      switch i % 7 {
      case 0: piece = Array("Received: from a\(i) by b\(i)\r\n\t(folded \(i))  \r\n".utf8)
      case 1: piece = Array("X-\(i):   \u{00A0}spaced é \t\n".utf8)
      case 2: piece = Array("broken line \(i)\n".utf8)
      case 3: piece = Array("Y: ".utf8) + [0xFF, 0x1B] + Array("[31m\(i)\r".utf8)
      case 4: piece = Array("Z:\(i)\r\n cont\r\n more\r\n".utf8)
      case 5: piece = Array("broken \(i)\n  folded onto it\n".utf8)
      default: piece = Array("W: w\(i)\r\n \t \r\n".utf8)
      }
      starts.append(line)
      // Lines end in CRLF, LF or a lone CR.
      line += piece.indices.count {
        piece[$0] == 0x0A ? ($0 == 0 || piece[$0 - 1] != 0x0D) : piece[$0] == 0x0D
      }
      text += piece
    }
    let many = try HeaderSection.parse(text)
    #expect(many.fields.map(\.line) == starts)
    // Each field alone: the same name and value.
    let lines = HeaderSection.splitLines(text)
    for field in many.fields.prefix(70) + many.fields.suffix(70) where !field.name.isEmpty {
      var alone: [UInt8] = Array(lines[field.line - 1]) + [0x0A]
      var next = field.line
      while next < lines.count, let first = lines[next].first, first == 0x20 || first == 0x09 {
        alone += Array(lines[next]) + [0x0A]
        next += 1
      }
      let parsed = try #require(try HeaderSection.parse(alone).fields.first)
      #expect(parsed.name == field.name)
      #expect(parsed.value == field.value)
    }
    #expect(many.fields[0].value == "from a0 by b0 (folded 0)")
    #expect(many.fields[2].value == "broken line 2")
    #expect(many.fields[3].value.hasPrefix("\\xFF") && !many.fields[3].value.contains("\u{1B}"))
    #expect(many.fields[5].value == "broken 5 folded onto it")
    #expect(many.fields[6].value == "w6 ")
  }

  @Test func neverCrashesOnArbitraryBytes() {
    var generator = SystemRandomNumberGenerator()
    let alphabet =
      Array("Received: from by with id for ;()[]<>=\r\n\t 0123456789abcTLSv1.3".utf8) + [
        0xFF, 0xC3, 0x80, 0x00,
      ]
    for _ in 0..<3000 {
      let bytes = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in
        Bool.random(using: &generator)
          ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
      }
      if let header = try? HeaderSection.parse(bytes) { _ = try? TraceAnalyzer.analyze(header) }
      _ = ReceivedParser.parse(String(decoding: bytes, as: UTF8.self))
      _ = MessageDate.parse(String(decoding: bytes, as: UTF8.self))
    }
  }
}

@Suite("Received fields")
struct ReceivedParserTests {
  @Test(arguments: [
    ("ESMTPS", TransmissionType(base: .smtp, tls: true, authenticated: false)),
    ("ESMTPSA", TransmissionType(base: .smtp, tls: true, authenticated: true)),
    ("ESMTPA", TransmissionType(base: .smtp, tls: false, authenticated: true)),
    ("SMTP", TransmissionType(base: .smtp, tls: false, authenticated: false)),
    ("esmtp", TransmissionType(base: .smtp, tls: false, authenticated: false)),
    ("LMTPSA", TransmissionType(base: .lmtp, tls: true, authenticated: true)),
    ("UTF8SMTPS", TransmissionType(base: .smtp, tls: true, authenticated: false)),
    ("SMTPS", TransmissionType(base: .smtp, tls: true, authenticated: false)),
    ("HTTPS", TransmissionType(base: .http, tls: true, authenticated: false)),
    ("mapi", TransmissionType(base: .mapi, tls: false, authenticated: false)),
    ("local", TransmissionType(base: .local, tls: false, authenticated: false)),
    ("Microsoft SMTP Server", TransmissionType(base: .smtp, tls: false, authenticated: false)),
    ("ESMTPX", TransmissionType(base: .unknown, tls: false, authenticated: false)),
    // Protocol names are ASCII: a long s or a sharp s does not uppercase into a claim of TLS.
    ("ESMTP\u{17F}A", TransmissionType(base: .unknown, tls: false, authenticated: false)),
    ("SMTP\u{DF}", TransmissionType(base: .unknown, tls: false, authenticated: false)),
  ])
  func transmissionTypes(text: String, expected: TransmissionType) {
    #expect(TransmissionType.parse(text) == expected)
  }

  /// Private, loopback and link-local clients are told by well-formed addresses only: a malformed one in
  /// a hostile field is no evidence of a private network, so the hop is rated as one between
  /// organisations.
  @Test(arguments: [
    ("10.0.0.1", true), ("192.168.1.20", true), ("172.16.0.1", true), ("172.15.0.1", false),
    ("100.64.0.1", true), ("169.254.1.1", true), ("127.0.0.1", true), ("203.0.113.5", false),
    ("fd00::1", true), ("FE80::1", true), ("::1", true), ("2001:db8::1", false),
    ("10.0.0.1.", false), ("10..0.0.1", false), ("0010.0.0.1", false), ("+10.0.0.1", false),
    ("10.1.2.3.4", false), ("10.0.0", false), ("", false),
  ])
  func privateAddresses(address: String, isPrivate: Bool) {
    #expect(TraceAnalyzer.isPrivate(address) == isPrivate)
  }

  @Test(arguments: [
    ("TLSv1.3", "TLSv1.3"), ("TLS1.3", "TLSv1.3"), ("TLS1_2", "TLSv1.2"), ("TLSv1", "TLSv1.0"),
    ("SSLv3", "SSLv3"), ("TLSv1/SSLv3", "TLSv1.0"),
  ])
  func versionsAreNormalised(text: String, expected: String) {
    #expect(ReceivedParser.normalizeVersion(text) == expected)
  }

  @Test func keepsWhatItCannotReadAndSaysWhy() {
    let field = ReceivedParser.parse("from somewhere (lost in transit); Sun, 29 Nov 2026 00:00:00 +0000")
    #expect(!field.parsed)
    #expect(field.problems.first == "no 'by' clause")
    #expect(field.date != nil)
    let undated = ReceivedParser.parse("from a (a [192.0.2.1]) by b with SMTP")
    #expect(undated.parsed)
    #expect(undated.problems == ["no date after ';'"])
  }

  @Test func semicolonsInsideCommentsDoNotEndTheClauses() {
    let field = ReceivedParser.parse(
      "from a by b (comment; with semicolon) with ESMTP id 1; Sun, 29 Nov 2026 01:00:00 +0000")
    #expect(field.with == "ESMTP")
    #expect(field.id == "1")
  }
}

@Suite("Byte scanner")
struct ByteScannerTests {
  /// Field names compare with ASCII letters folded on both sides, byte for byte otherwise; `first` and
  /// `all` find fields by them wherever they stand.
  @Test func fieldNamesCompareWithLettersFolded() throws {
    let field = HeaderField(name: "RECEIVED", value: "x", line: 1)
    #expect(field.is("Received") && field.is("received") && field.is("RECEIVED"))
    #expect(!field.is("Receive") && !field.is("Received-SPF") && !field.is("RECEIVEE"))
    #expect(!HeaderField(name: "X-[", value: "", line: 1).is("x-{"))  // `[` and `{` differ by 0x20
    #expect(
      HeaderField(name: "Ä", value: "", line: 1).is("Ä")
        && !HeaderField(name: "Ä", value: "", line: 1).is("ä"))
    let header = try HeaderSection.parse(
      Array("Subject: a\r\nreceived: b\r\nRECEIVED: c\r\nsubject: d\r\n\r\n".utf8))
    #expect(header.first("SUBJECT")?.value == "a")
    #expect(header.all("Received").map(\.value) == ["b", "c"])
    #expect(header.first("Date") == nil)
  }

  /// The line-end search reads eight bytes at a time: it must stop where a byte-by-byte reading does,
  /// at any alignment, with bytes around CR and LF (0x09, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D, 0xFF) beside them.
  @Test func lineEndSearchAgreesWithAByteByByteReading() {
    var generator = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = [0x41, 0x20, 0x09, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D, 0xFF, 0x00, 0x0A, 0x0D]
    for _ in 0..<2000 {
      let count = Int.random(in: 0...40, using: &generator)
      let bytes = (0..<count).map { _ in
        Bool.random(using: &generator) ? 0x61 : alphabet.randomElement(using: &generator)!
      }
      let start = Int.random(in: 0...max(0, count), using: &generator)
      let expected = bytes[start...].firstIndex { $0 == 0x0A || $0 == 0x0D } ?? count
      #expect(bytes.withUnsafeBufferPointer { LineEnd.next(in: $0, from: start) } == expected)
    }
  }

  /// `find` (memchr and memcmp) agrees with trying every position, for needles at the start, the end,
  /// overlapping, absent, longer than the text, from any offset.
  @Test func findAgreesWithTryingEveryPosition() {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("aAbB(;) ".utf8)
    for _ in 0..<400 {
      let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement()! }
      let needle = (0..<Int.random(in: 1...4, using: &generator)).map { _ in alphabet.randomElement()! }
      let scanner = ByteScanner(text)
      for start in [0, 1, 5, 39, 45] {
        let expected = (max(0, start)..<max(max(0, start), text.count - needle.count + 1)).first { index in
          zip(text[index...], needle).allSatisfy { $0 == $1 }
        }
        #expect(scanner.find(needle, from: start) == expected)
      }
      #expect(scanner.positions(of: needle) == text.indices.filter { scanner.matches(needle, at: $0) })
    }
  }
}

@Suite("Dates")
struct MessageDateTests {
  /// Timestamps are written as ISO 8601 in UTC: four-digit years byte by byte, others (years before
  /// 1000 or after 9999, which hostile dates can name) as the numbers are.
  @Test func iso8601AroundTheEdgesOfFourDigitYears() {
    let day = 86_400
    #expect(MessageDate(secondsSince1970: 0, offsetSeconds: 0).iso8601 == "1970-01-01T00:00:00Z")
    #expect(MessageDate(secondsSince1970: 1_796_029_509, offsetSeconds: 0).iso8601 == "2026-11-30T09:05:09Z")
    // 1000-01-01 and the second before it; 9999-12-31 23:59:59 and the second after it.
    let year1000 = -30_610_224_000
    #expect(MessageDate(secondsSince1970: year1000, offsetSeconds: 0).iso8601 == "1000-01-01T00:00:00Z")
    #expect(MessageDate(secondsSince1970: year1000 - 1, offsetSeconds: 0).iso8601 == "999-12-31T23:59:59Z")
    let year10000 = 253_402_300_800
    #expect(MessageDate(secondsSince1970: year10000 - 1, offsetSeconds: 0).iso8601 == "9999-12-31T23:59:59Z")
    #expect(MessageDate(secondsSince1970: year10000, offsetSeconds: 0).iso8601 == "10000-01-01T00:00:00Z")
    #expect(
      MessageDate(secondsSince1970: 59 * day + 3_723, offsetSeconds: 0).iso8601 == "1970-03-01T01:02:03Z")
  }

  @Test(arguments: [
    ("Sun, 29 Nov 2026 09:15:02 +0100", "2026-11-29T08:15:02Z"),
    ("29 Nov 2026 14:04:59 -0000", "2026-11-29T14:04:59Z"),
    ("Sun, 29 Nov 2026 04:31:08 -0800 (PST)", "2026-11-29T12:31:08Z"),
    ("Sun, 29 Nov 26 12:00 GMT", "2026-11-29T12:00:00Z"),
    ("Mon, 1 Mar 1999 23:59:59 EST", "1999-03-02T04:59:59Z"),
    ("Sun, 29 Nov 2026\n 12:40:12 +0000", "2026-11-29T12:40:12Z"),
    ("Thu, 29 Feb 2024 00:00:00 +0000", "2024-02-29T00:00:00Z"),
  ])
  func parsesRealWorldForms(text: String, iso: String) {
    #expect(MessageDate.parse(text)?.iso8601 == iso)
  }

  @Test(arguments: [
    "", "yesterday", "Sun, 32 Nov 2026 00:00:00 +0000", "29 Foo 2026 00:00:00", "29 Nov 2026 25:00",
  ])
  func rejectsNonsense(text: String) {
    #expect(MessageDate.parse(text) == nil)
  }

  /// The byte reader of the common form reads exactly what the general reader reads, and leaves every
  /// other form (named zones, two-digit years, fractions, month-first) to it.
  @Test func theCommonFormIsReadAsTheGeneralReaderReadsIt() {
    var generator = SystemRandomNumberGenerator()
    let weekdays = ["", "Mon, ", "sun, ", "Nov, ", "Tues, ", "Mon,", "Mon , "]
    let months = ["Jan", "feb", "NOV", "Dec", "Foo", "November"]
    let zones = ["+0000", "-0800", "+0530", "+2400", "-0060", "GMT", "+000", "+00000", "EST"]
    let tails = ["", " (UTC)", "(PST)", " extra words", ".5", "x"]
    var read = 0
    for _ in 0..<4000 {
      let day = [Int.random(in: 0...32, using: &generator)].map { $0 == 0 ? "00" : String($0) }[0]
      let year = ["2026", "1999", "26", "0000", "2024", "20260"].randomElement(using: &generator)!
      let hour = ["00", "9", "23", "24", "12"].randomElement(using: &generator)!
      let time = hour + [":00", ":59:60", ":07:61", ":5", ":30:00.25"].randomElement(using: &generator)!
      let text =
        weekdays.randomElement(using: &generator)! + day + " " + months.randomElement(using: &generator)!
        + " "
        + year + [" ", "  ", "\n "].randomElement(using: &generator)! + time + " "
        + zones.randomElement(using: &generator)! + tails.randomElement(using: &generator)!
      let fast = MessageDate.canonical(text)
      if let fast {
        read += 1
        #expect(fast == MessageDate.general(text), "\(text)")
      }
      #expect(MessageDate.parse(text) == (fast ?? MessageDate.general(text)), "\(text)")
    }
    #expect(read > 10)  // the common form did come up (most variants are broken on purpose)
    for text in [
      "Mon, 30 Nov 2026 10:00:00 +0000", "1 Jan 1999 00:00 -0800 (PST)", "sun, 29 feb 2024 23:59:60 +0530",
    ] {
      #expect(MessageDate.canonical(text) != nil && MessageDate.canonical(text) == MessageDate.general(text))
    }
    #expect(MessageDate.canonical("Sun, 29 Nov 26 12:00 GMT") == nil)
    #expect(MessageDate.canonical("Sat, 05 Jul 2025 17:17:56.216 +0000 (UTC)") == nil)
  }
}

@Suite("Encoded words")
struct EncodedWordTests {
  @Test(arguments: [
    ("=?UTF-8?B?R3LDvMOfZQ==?=", "Grüße"),
    ("=?UTF-8?Q?Caf=C3=A9_on_Friday=3F?=", "Café on Friday?"),
    ("=?ISO-8859-1?Q?Ren=E9?= <rene@example.org>", "René <rene@example.org>"),
    ("=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab"),
    ("plain =?x-unknown?Q?kept?= text", "plain =?x-unknown?Q?kept?= text"),
    ("broken =?UTF-8?B?###?=", "broken =?UTF-8?B?###?="),
  ])
  func decodes(text: String, expected: String) {
    #expect(TextDecoding.decodeEncodedWords(text) == expected)
  }
}

@Suite("Trace: steps and inputs that are not messages")
struct TraceStepTests {
  static func analyze(_ text: String) throws -> TraceReport {
    try TraceAnalyzer.analyze(try HeaderSection.parse(Array(text.utf8)))
  }

  /// A `Received: by X with SMTP` field after the submission and before the first relay is the sending
  /// side's own hand-over (MSA → MTA), not the recipient's delivery.
  @Test func aLocalHandOverBeforeTheRelayIsOutbound() throws {
    let report = try Self.analyze(
      """
      Received: by mx.example.org (Postfix) with LMTP id D; Mon, 30 Nov 2026 10:00:04 +0000
      Received: from mail.example.net (mail.example.net [192.0.2.1]) by mx.example.org with ESMTPS id B; Mon, 30 Nov 2026 10:00:03 +0000
      Received: by mail.example.net (Postfix) with SMTP id A; Mon, 30 Nov 2026 10:00:02 +0000
      Received: from [198.51.100.7] (client.example.com [198.51.100.7]) by mail.example.net with ESMTPSA id S; Mon, 30 Nov 2026 10:00:01 +0000


      """)
    #expect(report.hops.map(\.step) == [.submission, .outbound, .relay, .delivery])
    #expect(report.hops[1].notes.contains { $0.contains("Inside the sending side") })
  }

  @Test func bytesBeginningWithAnEmptyLineAreNotAMessage() {
    #expect(throws: HeaderSection.ParseError.noHeaderSection) {
      try HeaderSection.parse([0x0A, 0x00, 0x01, 0xFF])
    }
    #expect(throws: HeaderSection.ParseError.empty) { try HeaderSection.parse([]) }
  }
}

@Suite("Parsing a long trace")
struct ParallelParsingTests {
  /// The corpus's Received fields, repeated past the size at which fields are parsed on every core:
  /// the same fields, in the same order, as parsing them one by one.
  @Test func parsingInChunksGivesWhatParsingInOrderGives() throws {
    var values: [String] = []
    for name in Corpus.names {
      values += try HeaderSection.parse(try Corpus.bytes(name)).all("Received").map(\.value)
    }
    try #require(values.count > 20)
    while values.count < 2_000 { values += values }
    #expect(TraceAnalyzer.parseAll(values) == values.map(ReceivedParser.parse))
  }
}
