import MailFlowModel
import MailFlowReport
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a TLS session was, as recorded for the report: whether it came up, version, cipher, chain.
public struct TLSFacts: Sendable, Equatable {
  public var established = false
  public var version: String?
  /// The negotiated cipher suite's IANA name, read from the ServerHello.
  public var cipher: String?
  /// The certificates the server presented, DER, leaf first.
  public var chain: [[UInt8]] = []

  public init() {}
}

/// One connection of a line-based mail protocol (SMTP, IMAP, POP3), as the probes drive it: connect
/// (with TLS from the first byte, or not), read replies, send commands, upgrade with STARTTLS, all
/// under one deadline, so a server that drips a byte at a time cannot stretch the dialogue.
final class LineSession<Assembler: ReplyAssembler>: Sendable {
  typealias Reply = Assembler.Reply

  let channel: Channel
  let handler: LineClientHandler<Assembler>
  let host: String
  let offer: TLSOffer
  private let implicitChain: ChainBox
  private let deadline: Scheduled<Void>

  private init(
    channel: Channel, handler: LineClientHandler<Assembler>, host: String, offer: TLSOffer, chain: ChainBox,
    deadline: Scheduled<Void>
  ) {
    self.channel = channel
    self.handler = handler
    self.host = host
    self.offer = offer
    self.implicitChain = chain
    self.deadline = deadline
  }

  /// Connects, or says why not in words for the report.
  /// - Parameter offer: what the client offers in TLS (every version and key type, unless a
  ///   `--tls-versions` handshake restricts it).
  static func connect(
    host: String, address: String, port: Int, implicitTLS: Bool, timeout: Duration, assembler: Assembler,
    offer: TLSOffer = .any, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) async -> Result<LineSession, ProbeFailure> {
    let handler = LineClientHandler(assembler)
    handler.implicitTLS = implicitTLS
    let chainBox = ChainBox()
    let partial = PartialLine()
    let channel: Channel
    // The slots are held until the connection is closed, whatever closes it.
    await AddressPoliteness.shared.acquire(address)
    await ConnectionSlots.shared.acquire()
    if Task.isCancelled {
      // The probe was cancelled while this connection waited for a slot: it never opens.
      await ConnectionSlots.shared.release()
      await AddressPoliteness.shared.release(address)
      return .failure(ProbeFailure("cancelled before connecting"))
    }
    do {
      channel = try await ClientBootstrap(group: group)
        .connectTimeout(timeout.timeAmount)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            if implicitTLS {
              try channel.pipeline.syncOperations.addHandler(handler.serverHello)
              try channel.pipeline.syncOperations.addHandler(
                try makeTLSHandler(host: host, offer: offer, chainBox: chainBox))
            }
            try channel.pipeline.syncOperations.addHandler(
              ByteToMessageHandler(LineDecoder(partial: partial)))
            try channel.pipeline.syncOperations.addHandler(handler)
          }
        }
        .connect(host: address, port: port).get()
    } catch {
      await ConnectionSlots.shared.release()
      await AddressPoliteness.shared.release(address)
      let why = ConnectFailure(error)
      return .failure(
        ProbeFailure("cannot connect to \(address) port \(port): \(why)", connectTimedOut: why == .timedOut))
    }
    channel.closeFuture.whenComplete { _ in
      Task {
        await ConnectionSlots.shared.release()
        await AddressPoliteness.shared.release(address)
      }
    }
    let deadline = channel.eventLoop.scheduleTask(in: timeout.timeAmount) {
      // The connection opened: say how far the server got, and keep what it had begun to send.
      let unfinished = partial.bytes
      if !unfinished.isEmpty {
        handler.record(
          ProbeTranscriptLine(
            .note, "unfinished line when the time ran out: \(VisibleUTF8.decode(unfinished))"))
      }
      let answered = !unfinished.isEmpty || handler.transcript.contains { $0.speaker == .server }
      handler.fail(
        answered
          ? "timed out after the banner began: no complete dialogue within \(timeout)"
          : "the connection opened, but the server sent nothing within \(timeout) (timed out)",
        context: nil)
      channel.close(promise: nil)
    }
    return .success(
      LineSession(
        channel: channel, handler: handler, host: host, offer: offer, chain: chainBox, deadline: deadline))
  }

  /// The next reply. A cancelled task (a probe the user cancelled) closes the connection at once
  /// rather than waiting for the server or the deadline.
  func reply() async throws -> Reply {
    let channel = channel
    return try await withTaskCancellationHandler {
      try await channel.eventLoop.flatSubmit { self.handler.nextReply(on: channel.eventLoop) }.get()
    } onCancel: {
      channel.close(promise: nil)
    }
  }

  /// Sends one command line, recorded in the transcript.
  func send(_ command: String) async throws -> Reply {
    try await channel.eventLoop.submit { self.handler.record(ProbeTranscriptLine(.client, command)) }.get()
    try await channel.writeAndFlush(ByteBuffer(string: command + "\r\n"))
    return try await reply()
  }

  /// Sends a farewell (QUIT, LOGOUT) and does not wait for its answer: the dialogue is over, and a
  /// round trip spent on the server's goodbye would only lengthen every probe.
  func sendLast(_ command: String) async {
    _ = try? await channel.eventLoop.submit { self.handler.record(ProbeTranscriptLine(.client, command)) }
      .get()
    try? await channel.writeAndFlush(ByteBuffer(string: command + "\r\n"))
  }

  func configure(_ change: @escaping @Sendable (inout Assembler) -> Void) async throws {
    try await channel.eventLoop.submit { self.handler.configure(change) }.get()
  }

  /// Sends the STARTTLS command; when `goAhead` accepts the answer, TLS starts at once (before any later
  /// byte) and this returns when the handshake is done. Otherwise it throws with `refused` and the reply.
  func startTLS(
    _ command: String, goAhead: @escaping @Sendable (Reply) -> Bool,
    refused: @escaping @Sendable (Reply) -> String
  ) async throws -> TLSFacts {
    let chainBox = ChainBox()
    let (host, offer) = (host, offer)
    try await channel.eventLoop.submit {
      self.handler.prepareUpgrade(when: goAhead) {
        try Self.makeTLSHandler(host: host, offer: offer, chainBox: chainBox)
      }
    }.get()
    let reply = try await send(command)
    guard goAhead(reply) else { throw ProbeFailure(refused(reply), upgradeRefused: true) }
    do {
      try await channel.eventLoop.flatSubmit { self.handler.handshakeDone(on: self.channel.eventLoop) }.get()
    } catch {
      var facts = TLSFacts()
      facts.chain = try await channel.eventLoop.submit { chainBox.chain }.get()
      throw HandshakeFailure(facts: facts, reason: "\(error)")
    }
    return try await tlsFacts(chainBox)
  }

  /// The facts of TLS started from the first byte (implicit TLS).
  func implicitTLSFacts() async throws -> TLSFacts {
    try await tlsFacts(implicitChain)
  }

  private func tlsFacts(_ chainBox: ChainBox) async throws -> TLSFacts {
    var facts = TLSFacts()
    facts.established = try await channel.eventLoop.submit { self.handler.inTLS }.get()
    facts.chain = try await channel.eventLoop.submit { chainBox.chain }.get()
    facts.version = try await channel.nioSSL_tlsVersion().get().map(\.reportName)
    facts.cipher = try await channel.eventLoop.submit { self.handler.serverHello.hello?.cipherName }.get()
    return facts
  }

  /// What the connection left behind when it ended.
  struct Ending: Sendable {
    var transcript: [ProbeTranscriptLine] = []
    /// Bytes arrived between the go-ahead to STARTTLS and the handshake.
    var bytesAfterStartTLS = false
    /// A TLS handshake began and failed.
    var tlsHandshakeFailed = false
  }

  /// Ends the connection.
  func finish() async -> Ending {
    deadline.cancel()
    try? await channel.close()
    return
      (try? await channel.eventLoop.submit {
        Ending(
          transcript: self.handler.transcript, bytesAfterStartTLS: self.handler.bytesAfterStartTLS,
          tlsHandshakeFailed: self.handler.tlsHandshakeFailed)
      }
      .get()) ?? Ending()
  }

  /// A client TLS handler that accepts any chain and records it: judging it (PKIX, names, DANE) is the
  /// report's job, and a probe must see an untrusted certificate rather than fail on it.
  static func makeTLSHandler(host: String, offer: TLSOffer, chainBox: ChainBox) throws -> NIOSSLClientHandler
  {
    let context = try offer.context()
    // No SNI for an address (RFC 6066 §3): BoringSSL refuses one, and TLS would never start.
    let serverName = IPAddressLiteral.bytes(host) == nil ? host.withoutTrailingDot : nil
    return try NIOSSLClientHandler(context: context, serverHostname: serverName) { certificates, promise in
      chainBox.chain = certificates.compactMap { try? $0.toDERBytes() }
      promise.succeed(.certificateVerified)
    }
  }

}

extension TLSVersion {
  /// As reports write it: `TLSv1.3`.
  var reportName: String {
    switch self {
    case .tlsv1: "TLSv1.0"
    case .tlsv11: "TLSv1.1"
    case .tlsv12: "TLSv1.2"
    case .tlsv13: "TLSv1.3"
    }
  }
}

/// A STARTTLS handshake that failed, with the chain seen before it did.
struct HandshakeFailure: Error, CustomStringConvertible {
  var facts: TLSFacts
  var reason: String
  var description: String { reason }
}

/// The chain captured by the verification callback (event loop only).
final class ChainBox: @unchecked Sendable {
  var chain: [[UInt8]] = []
}

extension Duration {
  /// The same span as NIO's TimeAmount.
  var timeAmount: TimeAmount {
    .nanoseconds(Int64(components.seconds) * 1_000_000_000 + Int64(components.attoseconds / 1_000_000_000))
  }
}

/// Why a connection could not be made (or broke), read from NIO's typed errors — the errno of an
/// `IOError`, `ChannelError.connectTimeout` — never from their text.
enum ConnectFailure: Equatable, CustomStringConvertible {
  case refused
  case timedOut
  case networkUnreachable
  case noRouteToHost
  /// The machine has no IPv6 (or no source address for it): the socket cannot even be made.
  case addressFamilyUnsupported
  /// Anything else, in NIO's own words.
  case other(String)

  init(_ error: any Error) {
    if case ChannelError.connectTimeout = error {
      self = .timedOut
    } else if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
      self = ConnectFailure(first.error)
    } else if let io = error as? IOError {
      switch io.errnoCode {
      case ECONNREFUSED: self = .refused
      case ETIMEDOUT: self = .timedOut
      case ENETUNREACH: self = .networkUnreachable
      case EHOSTUNREACH: self = .noRouteToHost
      case EAFNOSUPPORT: self = .addressFamilyUnsupported
      default: self = .other("\(error)")
      }
    } else {
      self = .other("\(error)")
    }
  }

  var description: String {
    switch self {
    case .refused: "connection refused"
    case .timedOut: "connection timed out"
    case .networkUnreachable: "network unreachable"
    case .noRouteToHost: "no route to host"
    case .addressFamilyUnsupported: "the address family is not available on this machine"
    case .other(let text): text
    }
  }
}
