import Foundation
import MailFlowModel
import Testing

@testable import MailFlowTrace

/// Mailboxes built from the corpus: the mbox splitter (separators, quoting, CRLF, junk, a truncated
/// last message, any chunking) and the summary's exact counts.
@Suite("Mailbox: mbox splitting and the summary")
struct MailboxTests {
  static func message(_ name: String) throws -> String {
    String(decoding: try Corpus.bytes(name), as: UTF8.self)
  }

  /// Five messages: Postfix (CRLF line endings throughout), one with a quoted `>From ` and an unquoted
  /// `From ` inside a paragraph in its body, one without Received fields, binary junk in the body of
  /// the fourth, and a last one cut off in its header.
  static func mailbox() throws -> [UInt8] {
    var text = "From a@example.org Mon Nov 30 10:00:00 2026\r\n"
    text +=
      try message("postfix.eml").replacingOccurrences(of: "\r\n", with: "\n")
      .replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
    text += "From b@example.org Mon Nov 30 10:00:01 2026\n" + (try message("exim.eml"))
    text += "\n>From the quoted line\nand then\nFrom an unquoted line inside a paragraph\n\n"
    text += "From c@example.org Mon Nov 30 10:00:02 2026\nFrom: c@example.org\nSubject: no trace\n\nbody\n\n"
    var bytes = Array(text.utf8)
    bytes += Array("From d@example.org Mon Nov 30 10:00:03 2026\n".utf8) + (try Corpus.bytes("qmail.eml"))
    bytes += [0x0A, 0x00, 0xFF, 0xFE, 0x80, 0x0A, 0x0A]  // junk after the body
    bytes += Array("From e@example.org Mon Nov 30 10:00:04 2026\nReceived: from x (x [192.0.2.9]) by".utf8)
    return bytes
  }

  static func split(_ bytes: [UInt8], chunk: Int) -> [MboxSplitter.Message] {
    var splitter = MboxSplitter()
    var messages: [MboxSplitter.Message] = []
    var start = 0
    while start < bytes.count {
      messages += splitter.feed(Array(bytes[start..<min(bytes.count, start + chunk)]))
      start += chunk
    }
    return messages + splitter.finish()
  }

  @Test(arguments: [1, 7, 4096, 1 << 20])
  func splitsAtSeparatorsOnlyWhateverTheChunks(chunk: Int) throws {
    let bytes = try Self.mailbox()
    let messages = Self.split(bytes, chunk: chunk)
    #expect(messages.count == 5)
    #expect(messages.allSatisfy { bytes[$0.offset...].starts(with: Array("From ".utf8)) })
    #expect(messages == Self.split(bytes, chunk: bytes.count))
    // Headers only: no body line reaches a header.
    #expect(!messages.contains { String(decoding: $0.header, as: UTF8.self).contains("unquoted line") })
    #expect(messages.last?.header.count ?? 0 < 200)
  }

  @Test func anOversizedHeaderIsSkippedWithTheReason() {
    var bytes = Array("From a@example.org Mon Nov 30 10:00:00 2026\nX: ".utf8)
    bytes += Array(repeating: UInt8(ascii: "a"), count: MboxSplitter.maximumHeaderBytes + 10)
    bytes += Array("\n\nbody\n\nFrom b@example.org Mon Nov 30 10:00:00 2026\nSubject: fine\n\n".utf8)
    let messages = Self.split(bytes, chunk: 65_536)
    #expect(messages.count == 2)
    #expect(messages[0].skipped?.hasPrefix("header section larger than") == true)
    #expect(messages[0].header.isEmpty)
    #expect(messages[1].skipped == nil)
  }

  /// The summary of the five, exactly: four traced (the truncated last one has a Received field
  /// without 'by' — unread, but kept), one without Received fields skipped.
  @Test func theSummaryCountsExactly() throws {
    let messages = Self.split(try Self.mailbox(), chunk: 1 << 20)
    var summary = MailboxSummary()
    for (outcome, message) in zip(MailboxTrace.trace(messages.map { ($0.header, $0.skipped) }), messages) {
      switch outcome {
      case .traced(let report): summary.add(report, source: "test@\(message.offset)")
      case .skipped(let reason): summary.skip(reason)
      }
    }
    #expect(summary.messagesRead == 4)
    #expect(summary.skipped == ["no Received fields": 1])
    #expect(summary.unreadableReceivedFields == 1)
    #expect(summary.encryptedEveryHop == 2)  // Postfix and Exim; qmail's first hop is cleartext
    #expect(summary.ratingsByStep["submission"]?["insecure"] == 1)
    #expect(summary.senders["example.org"]?.messages == 2)
    #expect(summary.senders["example.org"]?.cleartextHops == 1)
    #expect(summary.senders["example.com"]?.oldestTLS == "TLSv1.3")
    #expect(summary.slowest.count == 3)
    #expect(summary.slowest.map(\.seconds) == summary.slowest.map(\.seconds).sorted(by: >))
  }

  @Test func senderDomainsComeFromTheFromAddress() {
    #expect(TraceAnalyzer.senderDomain("René <rene@mail.example.org>", .plain) == "example.org")
    #expect(TraceAnalyzer.senderDomain("a@b.example.co.uk", .plain) == "example.co.uk")
    #expect(TraceAnalyzer.senderDomain("no address", .plain) == nil)
  }
}

/// A batch traced on every core gives each message's own trace, in order, for a batch whose size does
/// not divide into the chunks (the last batch of an mbox of 3,000 messages was 440 and trapped).
@Suite("Mailbox batches")
struct MailboxBatchTests {
  @Test func aBatchIsTracedAsEachMessageAlone() {
    let batch: [(header: [UInt8], skipped: String?)] = (0..<440).map { index in
      let header =
        "Received: from a\(index).example.org (a\(index).example.org [192.0.2.\(index % 250)]) by "
        + "mx.example.net with ESMTPS id \(index); Mon, 30 Nov 2026 10:00:00 +0000\r\nSubject: \(index)\r\n\r\n"
      return (Array(header.utf8), index % 97 == 0 ? "skipped on purpose" : nil)
    }
    let together = MailboxTrace.trace(batch)
    #expect(together.count == batch.count)
    for (item, outcome) in zip(batch, together) {
      switch (outcome, MailboxTrace.trace(item.header, skipped: item.skipped)) {
      case (.traced(let a), .traced(let b)): #expect(a == b)
      case (.skipped(let a), .skipped(let b)): #expect(a == b)
      default: Issue.record("a batch and a message alone disagree on \(item.skipped ?? "a traced message")")
      }
    }
  }
}
