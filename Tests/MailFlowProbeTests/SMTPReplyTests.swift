import NIOCore
import NIOEmbedded
import Testing

@testable import MailFlowProbe

@Suite("SMTP replies")
struct SMTPReplyTests {
  func replies(_ lines: [String]) throws -> [SMTPReply] {
    var parser = SMTPReplyParser()
    return try lines.compactMap { try parser.feed($0) }
  }

  @Test func multiLineEHLOWithExtensions() throws {
    let reply = try replies([
      "250-mx.example.net", "250-PIPELINING", "250-SIZE 52428800", "250-STARTTLS", "250-AUTH PLAIN LOGIN",
      "250 8BITMIME",
    ])
    #expect(reply.count == 1)
    #expect(reply[0].code == 250)
    #expect(reply[0].lines.first == "mx.example.net")
    #expect(reply[0].extensions["STARTTLS"] == [])
    #expect(reply[0].extensions["SIZE"] == ["52428800"])
    #expect(reply[0].extensions["AUTH"] == ["PLAIN", "LOGIN"])
  }

  @Test func singleLinesAndBareCodes() throws {
    #expect(
      try replies(["220 mx.example.net ESMTP", "421"]) == [
        SMTPReply(code: 220, lines: ["mx.example.net ESMTP"]), SMTPReply(code: 421, lines: [""]),
      ])
  }

  @Test(arguments: [
    (["HTTP/1.1 400 Bad Request"], SMTPReplyParser.Failure.malformed("HTTP/1.1 400 Bad Request")),
    (["25"], .malformed("25")),
    (["250x"], .malformed("250x")),
    (["199 too low"], .malformed("199 too low")),
    (["250-a", "251 b"], .codeChanged(expected: 250, found: 251)),
  ])
  func garbageIsAnErrorWithTheLine(lines: [String], failure: SMTPReplyParser.Failure) {
    #expect(throws: failure) { _ = try replies(lines) }
  }
}

@Suite("SMTP line decoder (EmbeddedChannel)")
struct SMTPLineDecoderTests {
  func channel(limit: Int = 4096) throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(
      ByteToMessageHandler(SMTPLineDecoder(maximumLineLength: limit)))
    return channel
  }

  @Test func splitsOnCRLFAndLFAcrossReads() throws {
    let channel = try channel()
    try channel.writeInbound(ByteBuffer(string: "220 mx ESMTP\r\n250-a"))
    try channel.writeInbound(ByteBuffer(string: "bc\n250 d\r\n"))
    #expect(try channel.readInbound(as: String.self) == "220 mx ESMTP")
    #expect(try channel.readInbound(as: String.self) == "250-abc")
    #expect(try channel.readInbound(as: String.self) == "250 d")
    #expect(try channel.readInbound(as: String.self) == nil)
  }

  @Test func refusesAnEndlessLine() throws {
    let channel = try channel(limit: 64)
    #expect(throws: SMTPLineDecoder.Failure.lineTooLong(64)) {
      try channel.writeInbound(ByteBuffer(string: String(repeating: "2", count: 100)))
    }
  }

  @Test func dripFedBytesStillMakeLines() throws {
    let channel = try channel()
    for byte in "250 ok\r\n".utf8 { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
    #expect(try channel.readInbound(as: String.self) == "250 ok")
  }
}
