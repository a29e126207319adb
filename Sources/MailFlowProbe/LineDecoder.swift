import MailFlowModel
import MailFlowReport
import NIOCore

/// Splits a server's byte stream into lines (CRLF, or a bare LF), refusing endless lines: a server that
/// never ends its line must not make the probe buffer without bound.
public struct LineDecoder: ByteToMessageDecoder {
  public typealias InboundOut = String

  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    case lineTooLong(Int)

    public var description: String {
      switch self {
      case .lineTooLong(let limit): "the server sent a line longer than \(limit) bytes"
      }
    }
  }

  /// Far above RFC 5321's 512 for reply lines, so only a misbehaving server hits it.
  public let maximumLineLength: Int
  /// Where the bytes of a line not yet ended are shown, so a deadline can report what had arrived.
  let partial: PartialLine?

  public init(maximumLineLength: Int = 4096) {
    self.maximumLineLength = maximumLineLength
    partial = nil
  }

  init(maximumLineLength: Int = 4096, partial: PartialLine) {
    self.maximumLineLength = maximumLineLength
    self.partial = partial
  }

  public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws
    -> DecodingState
  {
    guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
      if buffer.readableBytes > maximumLineLength { throw Failure.lineTooLong(maximumLineLength) }
      partial?.bytes = Array(buffer.readableBytesView)
      return .needMoreData
    }
    partial?.bytes = []  // a line ends here: nothing is unfinished unless more follows without an end
    let length = newline - buffer.readerIndex
    if length > maximumLineLength { throw Failure.lineTooLong(maximumLineLength) }
    var bytes = buffer.readBytes(length: length + 1) ?? []
    bytes.removeLast()
    if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
    context.fireChannelRead(wrapInboundOut(VisibleUTF8.decode(bytes)))
    return .continue
  }

  public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool)
    throws
    -> DecodingState
  {
    try decode(context: context, buffer: &buffer)
  }
}

/// The bytes of the line a server has begun but not ended (event loop only).
final class PartialLine: @unchecked Sendable {
  var bytes: [UInt8] = []
}
