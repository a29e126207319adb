import MailFlowReport
import NIOCore
import NIOSSL
import NIOTLS

/// The event-loop half of a probe session in a line-based mail protocol (SMTP, IMAP, POP3): assembles
/// replies from lines, hands them to whoever waits, records the transcript, and performs the STARTTLS
/// upgrade at exactly the right moment (in the read that carries the go-ahead, before any later byte is
/// processed). Every method runs on the channel's event loop. It is created before the connection exists
/// (so a server that closes at once cannot make it unreachable), hence `@unchecked Sendable`: after
/// that, only its event loop touches it.
final class LineClientHandler<Assembler: ReplyAssembler>: ChannelInboundHandler, @unchecked Sendable {
  typealias InboundIn = String
  typealias Reply = Assembler.Reply

  private(set) var assembler: Assembler
  private var replies: [Reply] = []
  private var waiting: EventLoopPromise<Reply>?
  private var failure: String?
  private(set) var transcript: [ProbeTranscriptLine] = []

  /// Set before sending STARTTLS: the TLS handler to put in front when the go-ahead arrives.
  private var pendingUpgrade: (goAhead: (Reply) -> Bool, makeTLS: () throws -> ChannelHandler)?
  private var handshake: EventLoopPromise<Void>?
  private(set) var inTLS = false
  /// TLS starts before the first byte (port 465): failures before it completes are TLS failures.
  var implicitTLS = false
  /// Lines the server sent after its go-ahead to STARTTLS but before TLS began (command injection).
  private(set) var bytesAfterStartTLS = false
  /// A TLS handshake began and the server ended it (an alert, or closing on the ClientHello), as
  /// opposed to a connection that broke before TLS or the probe's deadline: the extra handshakes of
  /// `--tls-versions` tell "refused" from "not tested" by it.
  private(set) var tlsHandshakeFailed = false
  /// Reads the plaintext ServerHello in front of the TLS handler, for the negotiated cipher.
  let serverHello = ServerHelloSniffer()

  private var transcriptBytes = 0
  private var transcriptCut = false

  init(_ assembler: Assembler) {
    self.assembler = assembler
  }

  /// A transcript longer than this is cut (with a note): a flooding server must not fill memory.
  static var maximumTranscriptLines: Int { 500 }
  /// The bytes kept of one dialogue: 200 addresses answering EHLO with megabytes must not make a
  /// report of hundreds of megabytes.
  static var maximumTranscriptBytes: Int { 64 * 1024 }
  /// Replies nobody asked for: more than this and the server is flooding.
  static var maximumQueuedReplies: Int { 64 }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let line = unwrapInboundIn(data)
    if pendingUpgrade == nil && handshake != nil && !inTLS {
      // Plaintext after the go-ahead to STARTTLS: recorded as evidence, never taken as a reply.
      bytesAfterStartTLS = true
      record(ProbeTranscriptLine(.note, "ignored, sent before TLS began: \(line)"))
      return
    }
    record(ProbeTranscriptLine(.server, line))
    do {
      guard let reply = try assembler.feed(line) else { return }
      if let upgrade = pendingUpgrade {
        pendingUpgrade = nil
        guard upgrade.goAhead(reply) else {
          deliver(reply)
          return
        }
        // Whatever came before the go-ahead is forgotten with the plaintext session (RFC 3207 §4.2,
        // RFC 2595 §3.1): replies queued here were sent unasked, before TLS.
        if !replies.isEmpty {
          bytesAfterStartTLS = true
          record(
            ProbeTranscriptLine(
              .note, "\(replies.count) unrequested reply(ies) before the go-ahead: discarded"))
          replies.removeAll()
        }
        handshake = context.eventLoop.makePromise()
        do {
          try context.pipeline.syncOperations.addHandler(try upgrade.makeTLS(), position: .first)
          try context.pipeline.syncOperations.addHandler(serverHello, position: .first)
        } catch {
          fail("cannot start TLS: \(error)", context: context)
          return
        }
      }
      deliver(reply)
    } catch {
      fail(error.description, context: context)
    }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if case .handshakeCompleted = event as? TLSUserEvent {
      inTLS = true
      transcript.append(ProbeTranscriptLine(.tls, "TLS established"))
      handshake?.succeed(())
      handshake = nil
    }
    context.fireUserInboundEventTriggered(event)
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    let text: String
    if let decoderError = error as? LineDecoder.Failure {
      text = decoderError.description
    } else if handshake != nil || (implicitTLS && !inTLS) {
      // The server refused what was offered (an alert, or closing on the ClientHello) — unless the
      // probe's own deadline closed the connection first (it sets `failure` before closing).
      tlsHandshakeFailed = failure == nil
      text = "TLS handshake failed: \(TLSFailure.reason(error))"
      record(ProbeTranscriptLine(.note, "TLS library: \(error)"))
    } else if inTLS {
      text = "TLS failed after the handshake: \(TLSFailure.reason(error))"
      record(ProbeTranscriptLine(.note, "TLS library: \(error)"))
    } else {
      text = ConnectFailure(error).description
    }
    fail(text, context: context)
  }

  func channelInactive(context: ChannelHandlerContext) {
    failPending(failure ?? "the server closed the connection")
    context.fireChannelInactive()
  }

  // MARK: - Called by the session (on the event loop)

  func nextReply(on eventLoop: EventLoop) -> EventLoopFuture<Reply> {
    if !replies.isEmpty { return eventLoop.makeSucceededFuture(replies.removeFirst()) }
    if let failure { return eventLoop.makeFailedFuture(ProbeFailure(failure)) }
    let promise = eventLoop.makePromise(of: Reply.self)
    waiting = promise
    return promise.futureResult
  }

  /// The next reply decides: when `goAhead` accepts it, TLS starts before any later byte is read.
  func prepareUpgrade(
    when goAhead: @escaping (Reply) -> Bool, _ makeTLS: @escaping () throws -> ChannelHandler
  ) {
    pendingUpgrade = (goAhead, makeTLS)
  }

  /// Adjusts how the next replies are assembled (a POP3 command that answers in several lines).
  func configure(_ change: (inout Assembler) -> Void) {
    change(&assembler)
  }

  func handshakeDone(on eventLoop: EventLoop) -> EventLoopFuture<Void> {
    if inTLS { return eventLoop.makeSucceededVoidFuture() }
    if let failure { return eventLoop.makeFailedFuture(ProbeFailure(failure)) }
    guard let handshake else { return eventLoop.makeFailedFuture(ProbeFailure("TLS was not started")) }
    return handshake.futureResult
  }

  func record(_ line: ProbeTranscriptLine) {
    guard !transcriptCut else { return }
    // Measured as the report will write it: a control character is six bytes of JSON (`\u001b`).
    transcriptBytes +=
      line.text.utf8.count + 5
      * line.text.unicodeScalars.filter { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }.count
    if transcript.count >= Self.maximumTranscriptLines || transcriptBytes > Self.maximumTranscriptBytes {
      transcriptCut = true
      transcript.append(
        ProbeTranscriptLine(
          .note,
          "(transcript cut at \(transcript.count) lines, \(Self.maximumTranscriptBytes / 1024) KiB at most are kept)"
        ))
      return
    }
    transcript.append(line)
  }

  /// Ends everything with a reason (the deadline, garbage, a TLS failure); the first reason wins.
  func fail(_ reason: String, context: ChannelHandlerContext?) {
    if failure == nil { failure = reason }
    failPending(failure!)
    context?.close(promise: nil)
  }

  private func deliver(_ reply: Reply) {
    if let waiting {
      self.waiting = nil
      waiting.succeed(reply)
    } else if replies.count >= Self.maximumQueuedReplies {
      fail("the server sent more than \(Self.maximumQueuedReplies) replies nobody asked for", context: nil)
    } else {
      replies.append(reply)
    }
  }

  private func failPending(_ reason: String) {
    if failure == nil { failure = reason }
    waiting?.fail(ProbeFailure(reason))
    waiting = nil
    handshake?.fail(ProbeFailure(reason))
    handshake = nil
  }
}

/// Why a probe step failed, in words for the report.
public struct ProbeFailure: Error, Sendable, Equatable, CustomStringConvertible {
  public var description: String
  /// The connection never opened within its deadline (as a blocked port looks), as opposed to every
  /// other failure: the rating reads this, never the text.
  public var connectTimedOut = false
  /// The server answered the STARTTLS/STLS command with a refusal (not a broken connection).
  public var upgradeRefused = false
  public init(_ description: String, connectTimedOut: Bool = false, upgradeRefused: Bool = false) {
    self.description = description
    self.connectTimedOut = connectTimedOut
    self.upgradeRefused = upgradeRefused
  }
}
