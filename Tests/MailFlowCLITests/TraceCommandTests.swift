import Foundation
import MailFlowTestSupport
import Testing

@testable import MailFlowCLI

#if canImport(Glibc)
  import Glibc
#endif

let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("MailFlowTraceTests/Corpus")

@Suite("mailflow trace", .serialized)
struct TraceCommandTests {
  @Test func printsTheJourneyTable() throws {
    let result = try runMailflow(["trace", corpus.appendingPathComponent("postfix.eml").path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("relay       MTA → MTA (possibly MX)  mail.example.org → mx.example.net"))
    #expect(result.stdout.contains("Total transit time: 5 s"))
    #expect(result.stdout.contains("Weakest hop: ✔ secure (hop 1, submission)"))
  }

  @Test func printsJSONWithTheDocumentedShape() throws {
    let result = try runMailflow(["trace", "--json", corpus.appendingPathComponent("exim.eml").path])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["schemaVersion"] as? Int == 1)
    let hops = object?["hops"] as? [[String: Any]]
    #expect(hops?.map { $0["step"] as? String } == ["submission", "relay", "delivery"])
    let message = object?["message"] as? [String: Any]
    #expect(
      message?.keys.sorted() == ["date", "from", "messageId", "returnPath", "senderDomain", "subject", "to"])
    // Who runs each end, and whether the message passed between organisations there.
    #expect(hops?.map { $0["crossesOrganisations"] as? Bool } == [true, true, false])
    #expect(hops?[1]["byOrganisation"] as? String == "example.net")
  }

  @Test func readsStandardInput() throws {
    let text = try String(contentsOf: corpus.appendingPathComponent("qmail.eml"), encoding: .utf8)
    let result = try runMailflow(["trace", "-"], stdin: text)
    #expect(result.status == 0)
    #expect(result.stdout.contains("192.0.2.77 → mx.example.net"))
  }

  /// Two notes that differ only in how an accent is encoded (`é` precomposed, `e` with a combining
  /// accent) are each shown as written: the note cache compares bytes, not canonical equivalence.
  @Test func notesThatLookAlikeAreEachShownAsWritten() throws {
    let text = [
      "Received: from a.example.org (a.example.org [192.0.2.1]) by mx.\u{E9}.example with ESMTPS id 1; Mon, 30 Nov 2026 10:00:00 +0000",
      "Received: from a.example.org (a.example.org [192.0.2.1]) by mx.e\u{301}.example with ESMTPS id 2; Mon, 30 Nov 2026 10:00:01 +0000",
      "Subject: twins", "", "body", "",
    ].joined(separator: "\r\n")
    let result = try runMailflow(["trace", "-"], stdin: text)
    #expect(result.status == 0)
    let output = Array(result.stdout.utf8)
    for name in ["to \u{E9}.example: the message passed", "to e\u{301}.example: the message passed"] {
      let needle = Array(name.utf8)
      let found = output.indices.dropLast(needle.count).contains {
        output[$0..<$0 + needle.count].elementsEqual(needle)
      }
      #expect(found, "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
    }
  }

  @Test func asciiOutputHasNoOtherCharacters() throws {
    let result = try runMailflow(["trace", "--ascii", corpus.appendingPathComponent("gmail.eml").path])
    #expect(result.stdout.unicodeScalars.allSatisfy { $0.isASCII })
  }

  /// In ASCII the header's `from -> by` is as wide as the rows' arrows: the columns after it line up
  /// (the header was once measured before its arrow became `->`, one column short).
  @Test func asciiHeaderLinesUpWithTheRows() throws {
    let result = try runMailflow(["trace", "--ascii", corpus.appendingPathComponent("postfix.eml").path])
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let header = try #require(lines.first { $0.hasPrefix("#") })
    let rule = try #require(lines.first { $0.hasPrefix("---") })
    let rows = lines.filter { $0.first?.isNumber == true && $0.contains("ESMTP") }
    #expect(!rows.isEmpty)
    let column = try #require(header.range(of: "protocol")).lowerBound.utf16Offset(in: header)
    for row in rows {
      #expect(try #require(row.range(of: "ESMTP")).lowerBound.utf16Offset(in: row) == column, "\(row)")
    }
    #expect(header.count <= rule.count)
  }

  @Test(arguments: [
    (
      "not-a-message", "just text\nwith no header\n",
      "not an e-mail message: line 1 is not a header field (\"just text\")"
    ),
    ("no-received", "From: a@example.org\nSubject: x\n\nbody\n", "no Received fields"),
    ("empty", "", "the input is empty"),
  ])
  func badMessagesExitTwoWithOneLine(name: String, content: String, message: String) throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("\(name).eml")
    try content.write(to: file, atomically: true, encoding: .utf8)
    let result = try runMailflow(["trace", file.path])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("mailflow: error: \(file.path): \(message)"))
    #expect(result.stderr.filter { $0 == "\n" }.count == 1)
  }

  @Test func unreadableFileAndFolderExitTwo() throws {
    let missing = try runMailflow(["trace", "/nonexistent/message.eml"])
    #expect(missing.status == 2)
    #expect(
      missing.stderr == "mailflow: error: cannot read '/nonexistent/message.eml': No such file or directory\n"
    )
    let folder = try runMailflow(["trace", "/tmp"])
    #expect(folder.status == 2)
    // A folder is read as a Maildir now; one without cur/ or new/ is refused in one line.
    #expect(
      folder.stderr == "mailflow: error: '/tmp' is a folder but not a Maildir (no cur/ or new/ in it)\n")
  }

  /// A 4 GiB message (sparse: its body is a hole) is traced after reading one chunk.
  @Test func readsOnlyTheHeaderOfAHugeMessage() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("huge.eml")
    let header = try Data(contentsOf: corpus.appendingPathComponent("postfix.eml"))
    try header.write(to: file)
    let handle = try FileHandle(forWritingTo: file)
    try handle.truncate(atOffset: 4 << 30)
    try handle.close()
    let (bytes, bytesRead) = try HeaderFileReader.read(path: file.path)
    #expect(bytesRead <= HeaderFileReader.chunkSize)
    #expect(bytes.count < header.count)
    let result = try runMailflow(["trace", file.path])
    #expect(result.status == 0)
  }

  /// Standard input that never ends after the header: trace must not wait for the body.
  @Test func stopsReadingAtTheBlankLine() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let text = try String(contentsOf: corpus.appendingPathComponent("sendmail.eml"), encoding: .utf8)
    let headerEnd = text.range(of: "\n\n")!.upperBound
    let headerPart = String(text[..<headerEnd]) + "the body starts, and the writer never closes the pipe"
    _ = headerPart.withCString { write(fds[1], $0, strlen($0)) }
    let (bytes, _) = try HeaderFileReader.read(descriptor: fds[0], name: "pipe")
    #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("Message-ID: <sm-1@example.org>\n\n"))
    close(fds[0])
    close(fds[1])
  }
}

@Suite("Opening messages from the explorer")
struct ExplorerMessageFileTests {
  @Test func aNamedPipeIsRefusedInsteadOfBlocking() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    guard case .failure(let error) = ExploreCommand.journey(forMessageAt: fifo, organisations: .plain) else {
      Issue.record("a FIFO was accepted")
      return
    }
    #expect(error.message == "'\(fifo)' is not a regular file")
  }

  @Test func standardInputIsRefusedInTheExplorer() {
    guard case .failure(let error) = ExploreCommand.journey(forMessageAt: "-", organisations: .plain) else {
      Issue.record("- was accepted")
      return
    }
    #expect(error.message.contains("standard input is the terminal"))
  }
}

@Suite("mailflow trace: what the totals cover")
struct TraceTotalsTests {
  @Test func unreadFieldsAreSaidBesideTheTotalAndTheWeakestHop() throws {
    let result = try runMailflow(["trace", corpus.appendingPathComponent("broken-and-skewed.eml").path])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let weakest = try #require(lines.firstIndex { $0.hasPrefix("Weakest hop:") })
    #expect(
      lines[weakest + 1]
        == "(2 of 5 Received fields could not be read: the time and the weakest hop are of the others)")
  }

  @Test func aFileThatIsNotAMessageSaysSo() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-\(UUID().uuidString).bin")
    try Data([0x0A] + (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try runMailflow(["trace", file.path])
    #expect(result.status == 2)
    #expect(
      result.stderr.hasSuffix(
        "not an e-mail message: it begins with an empty line, so it has no header fields\n"))
  }
}

@Suite("mailflow trace: hostile header text")
struct TraceHostileTextTests {
  /// Received and Subject fields carrying an OSC retitle, CSI clear (7-bit and C1), a bidi override,
  /// raw and inside RFC 2047 encoded words.
  static let message =
    "Received: from evil\u{1B}]0;pwned\u{07}.example (evil.example [192.0.2.9]) by mx.example.net "
    + "(Postfix\u{202E}) with ESMTPS id 1\u{9B}2J; Mon, 30 Nov 2026 10:00:00 +0000\r\n"
    + "Subject: =?UTF-8?Q?=E2=80=AEgnirts_=1B[2J?= and \u{202E}raw\r\n"
    + "From: a@example.org\r\n\r\nbody\r\n"

  @Test func textAndJSONShowThemVisibly() throws {
    let text = try runMailflow(["trace", "-", "--color", "never"], stdin: Self.message)
    let json = try runMailflow(["trace", "-", "--json"], stdin: Self.message)
    for output in [text, json] {
      #expect(output.status == 0, "\(output.stderr)")
      let raw = output.stdout.unicodeScalars.filter {
        ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}"
      }
      #expect(raw.isEmpty, "\(output.stdout)")
    }
    #expect(text.stdout.contains(#"\u{202E}gnirts \x1B[2J and \u{202E}raw"#), "\(text.stdout)")
    #expect(text.stdout.contains(#"evil\x1B]0;pwned\x07.example"#), "\(text.stdout)")
  }
}

@Suite("mailflow trace on a mailbox", .serialized)
struct MailboxTraceCommandTests {
  static func mbox(_ names: [String]) throws -> String {
    try names.map { name in
      "From sender@example.org Mon Nov 30 10:00:00 2026\n"
        + (try String(contentsOf: corpus.appendingPathComponent(name), encoding: .utf8)) + "\n"
    }.joined()
  }

  static func write(_ text: String, _ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mailflow-\(getpid())-\(name)")
      .path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func anMboxGivesTheSummary() throws {
    let path = try Self.write(try Self.mbox(["postfix.eml", "exim.eml", "qmail.eml"]), "three.mbox")
    let result = try runMailflow(["trace", path, "--color", "never"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Messages  3 traced, 0 skipped"))
    #expect(result.stdout.contains("every network hop recorded as encrypted: 2 of 3 (66.7 %)"))
    #expect(result.stdout.contains("Senders (From domain)"))
  }

  @Test func jsonLinesGivesOneObjectPerMessage() throws {
    let path = try Self.write(try Self.mbox(["postfix.eml", "exim.eml"]), "two.mbox")
    let result = try runMailflow(["trace", path, "--jsonl"])
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
    #expect(first?["offset"] as? Int == 0)
    #expect(first?["weakest"] as? String == "secure")
  }

  @Test func aMaildirTreeAndStandardInput() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mailflow-maildir-\(getpid())")
    for folder in ["cur", "new", ".Sent/cur"] {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    for (folder, name) in [("cur", "gmail.eml"), ("new", "exim.eml"), (".Sent/cur", "qmail.eml")] {
      try FileManager.default.copyItem(
        at: corpus.appendingPathComponent(name), to: root.appendingPathComponent("\(folder)/\(name)"))
    }
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(try runMailflow(["trace", root.path]).stdout.contains("Messages  2 traced"))
    #expect(try runMailflow(["trace", root.path, "--recursive"]).stdout.contains("Messages  3 traced"))
    // A Maildir is a mailbox even with one message in it: its summary, not a journey.
    let single = root.appendingPathComponent(".Sent")
    try FileManager.default.createDirectory(
      at: single.appendingPathComponent("new"), withIntermediateDirectories: true)
    #expect(try runMailflow(["trace", single.path]).stdout.contains("Messages  1 traced"))
    let piped = try runMailflow(["trace", "-"], stdin: try Self.mbox(["postfix.eml", "qmail.eml"]))
    #expect(piped.stdout.contains("Messages  2 traced"))
  }

  @Test func badInputIsOneLine() throws {
    let since = try runMailflow(["trace", "-", "--since", "2026-13-01"], stdin: "")
    #expect(since.status == 2)
    #expect(since.stderr.contains("--since '2026-13-01' is not a date (YYYY-MM-DD)"))
    let february = try runMailflow(["trace", "-", "--since", "2026-02-30"], stdin: "")
    #expect(february.stderr.contains("is not a date"))
    let backwards = try runMailflow(
      ["trace", "-", "--since", "2026-12-01", "--until", "2026-11-01"], stdin: "")
    #expect(backwards.stderr.contains("is after --until"))
    let notAScan = try runMailflow(["scan", "--summary", corpus.appendingPathComponent("postfix.eml").path])
    #expect(notAScan.status == 2)
    #expect(notAScan.stderr.contains("holds no scan lines"))
    let folder = try runMailflow(["trace", FileManager.default.temporaryDirectory.path])
    #expect(folder.status != 0)
    #expect(folder.stderr.contains("is a folder but not a Maildir"))
  }
}
