import MailFlowReport
import NIOCore

/// The negotiated cipher suite, read from the server's plaintext ServerHello (RFC 8446 §4.1.3,
/// RFC 5246 §7.4.1.3): swift-nio-ssl has no public API for it, and the ServerHello is not encrypted.
public struct ServerHello: Sendable, Equatable {
  public var cipherSuite: UInt16
  /// From the supported_versions extension (0x0304 for TLS 1.3), when present.
  public var selectedVersion: UInt16?

  /// Parses a ServerHello from the start of a server's TLS byte stream; `nil` if the bytes are not one
  /// (yet). Only the first handshake record is looked at.
  public static func parse(_ bytes: [UInt8]) -> ServerHello? {
    var reader = ByteReader(bytes)
    guard reader.uint8() == 22, reader.skip(2), let recordLength = reader.uint16(),
      reader.remaining >= Int(recordLength), reader.uint8() == 2, let messageLength = reader.uint24(),
      reader.remaining >= messageLength, reader.skip(2 + 32), let sessionLength = reader.uint8(),
      reader.skip(Int(sessionLength)), let cipher = reader.uint16(), reader.skip(1)
    else { return nil }
    var hello = ServerHello(cipherSuite: cipher, selectedVersion: nil)
    guard let extensionsLength = reader.uint16() else { return hello }
    var end = reader.remaining - Int(extensionsLength)
    end = max(0, end)
    while reader.remaining > end, let type = reader.uint16(), let length = reader.uint16() {
      if type == 0x002B, length == 2, let version = reader.uint16() {
        hello.selectedVersion = version
      } else if !reader.skip(Int(length)) {
        break
      }
    }
    return hello
  }

  /// The IANA name of the suite, for the common ones; `0xC0FF` otherwise.
  public var cipherName: String {
    Self.names[cipherSuite] ?? "0x" + String(cipherSuite, radix: 16, uppercase: true)
  }

  static let names: [UInt16: String] = [
    0x1301: "TLS_AES_128_GCM_SHA256", 0x1302: "TLS_AES_256_GCM_SHA384",
    0x1303: "TLS_CHACHA20_POLY1305_SHA256",
    0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009D: "TLS_RSA_WITH_AES_256_GCM_SHA384",
    0x009E: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009F: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC00A: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA", 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
    0x000A: "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
  ]

  struct ByteReader {
    let bytes: [UInt8]
    var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var remaining: Int { bytes.count - index }
    mutating func uint8() -> UInt8? {
      guard index < bytes.count else { return nil }
      defer { index += 1 }
      return bytes[index]
    }
    mutating func uint16() -> UInt16? {
      guard remaining >= 2 else { return nil }
      defer { index += 2 }
      return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }
    mutating func uint24() -> Int? {
      guard remaining >= 3 else { return nil }
      defer { index += 3 }
      return Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
    }
    mutating func skip(_ count: Int) -> Bool {
      guard count >= 0, remaining >= count else { return false }
      index += count
      return true
    }
  }
}

/// Sits in front of the TLS handler and copies the first bytes the server sends after STARTTLS until
/// they hold the ServerHello; passes everything on untouched.
final class ServerHelloSniffer: ChannelInboundHandler, @unchecked Sendable {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer

  private var collected: [UInt8] = []
  private(set) var hello: ServerHello?

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if hello == nil && collected.count < 16_384 {
      let buffer = unwrapInboundIn(data)
      collected += buffer.readableBytesView
      hello = ServerHello.parse(collected)
    }
    context.fireChannelRead(data)
  }
}
