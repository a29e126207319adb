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
struct LineDecoderTests {
  func channel(limit: Int = 4096) throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(
      ByteToMessageHandler(LineDecoder(maximumLineLength: limit)))
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
    #expect(throws: LineDecoder.Failure.lineTooLong(64)) {
      try channel.writeInbound(ByteBuffer(string: String(repeating: "2", count: 100)))
    }
  }

  @Test func dripFedBytesStillMakeLines() throws {
    let channel = try channel()
    for byte in "250 ok\r\n".utf8 { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
    #expect(try channel.readInbound(as: String.self) == "250 ok")
  }
}

@Suite("ServerHello")
struct ServerHelloTests {
  /// A TLS 1.3 ServerHello: record header, handshake header, legacy version, random, empty session id,
  /// cipher 0x1302, compression 0, extensions with supported_versions = 0x0304.
  static let tls13: [UInt8] = {
    let extensions: [UInt8] = [0x00, 0x2B, 0x00, 0x02, 0x03, 0x04]
    let body: [UInt8] =
      [0x03, 0x03] + Array(repeating: 0x11, count: 32) + [0x00, 0x13, 0x02, 0x00]
      + [0x00, UInt8(extensions.count)] + extensions
    let handshake: [UInt8] = [0x02, 0x00, 0x00, UInt8(body.count)] + body
    return [0x16, 0x03, 0x03, 0x00, UInt8(handshake.count)] + handshake
  }()

  @Test func readsCipherAndVersion() {
    let hello = ServerHello.parse(Self.tls13)
    #expect(hello == ServerHello(cipherSuite: 0x1302, selectedVersion: 0x0304))
    #expect(hello?.cipherName == "TLS_AES_256_GCM_SHA384")
  }

  @Test func incompleteOrOtherRecordsAreNotAServerHello() {
    #expect(ServerHello.parse(Array(Self.tls13.prefix(20))) == nil)
    #expect(ServerHello.parse([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]) == nil)  // an alert
    #expect(ServerHello.parse(Array("220 not TLS\r\n".utf8)) == nil)
    #expect(ServerHello(cipherSuite: 0xFFEE, selectedVersion: nil).cipherName == "0xFFEE")
  }

  @Test func survivesRandomBytes() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<5000 {
      var bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in
        UInt8.random(in: 0...255, using: &generator)
      }
      if Bool.random(using: &generator), bytes.count > 6 { bytes[0] = 0x16; bytes[5] = 0x02 }
      _ = ServerHello.parse(bytes)
    }
  }
}
