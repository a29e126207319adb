import AsyncHTTPClient
import MailFlowDNS
import MailFlowModel
import MailFlowReport
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// HTTPS GETs for MTA-STS policies and autoconfig documents, the way RFC 8461 §3.3 asks: the host's
/// address from our own (DNSSEC-aware) resolver, the certificate validated for the host (system roots
/// plus `--ca-file`), no redirects, a size cap and one deadline.
public struct HTTPSFetcher: Sendable {
  public struct Options: Sendable {
    public var timeout: Duration = .seconds(10)
    /// The port to connect to instead of 443 (tests use unprivileged ports).
    public var port = 443
    public var useIPv4 = true
    public var useIPv6 = true
    public var extraRoots: [Certificate] = []
    public init() {}
  }

  public struct Response: Sendable, Equatable {
    public var status: Int
    /// The media type without parameters, lower-cased (`text/plain`).
    public var mediaType: String?
    public var location: String?
    public var body: String
  }

  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    case noAddress(String)
    case tooLarge(Int)
    case transport(String)

    public var description: String {
      switch self {
      case .noAddress(let host): "\(host) has no usable address"
      case .tooLarge(let limit): "the response is larger than \(limit / 1024) KiB"
      case .transport(let reason): reason
      }
    }
  }

  let resolver: DNSResolver
  let options: Options

  public init(resolver: DNSResolver, options: Options) {
    self.resolver = resolver
    self.options = options
  }

  /// `https://HOST/PATH`, with the host's address lookups returned for the report either way.
  public func get(host: String, path: String, maximumBytes: Int) async -> (
    result: Result<Response, Failure>, lookups: [ProbeReport.Lookup]
  ) {
    let name = host.withoutTrailingDot
    let resolved = await HostAddresses.resolve(
      name + ".", resolver: resolver, useIPv4: options.useIPv4, useIPv6: options.useIPv6)
    guard let address = resolved.addresses.first else {
      // "No usable address" only when DNS said so; a lookup that failed gives its own reason.
      if let failed = resolved.lookups.first(where: { [.timeout, .servfail, .error].contains($0.status) }) {
        return (
          .failure(
            .transport(
              "\(name): address lookup \(failed.status.rawValue)\(failed.reason.map { " (\($0))" } ?? "")")),
          resolved.lookups
        )
      }
      return (.failure(.noAddress(name)), resolved.lookups)
    }
    // An HTTPS fetch is a connection like the mail sessions: it waits for a slot under the same cap.
    await ConnectionSlots.shared.acquire()
    defer { Task { await ConnectionSlots.shared.release() } }

    var tls = TLSConfiguration.makeClientConfiguration()
    // Closing must not wait for the server's close_notify (5 s by default): it may be the reason to close.
    tls.shutdownTimeout = .milliseconds(200)
    if !options.extraRoots.isEmpty {
      let roots = options.extraRoots.compactMap { certificate -> NIOSSLCertificate? in
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(certificate)) != nil else { return nil }
        return try? NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
      }
      tls.additionalTrustRoots = [.certificates(roots)]
    }
    var configuration = HTTPClient.Configuration(
      tlsConfiguration: tls, redirectConfiguration: .disallow,
      timeout: .init(connect: options.timeout.timeAmount, read: options.timeout.timeAmount))
    configuration.dnsOverride = [name: address]
    // One attempt, as a sending MTA makes: the first failure (an untrusted certificate) is the evidence,
    // not a timeout after retries.
    configuration.connectionPool.retryConnectionEstablishment = false
    let client = HTTPClient(
      eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    let url = "https://\(name)\(options.port == 443 ? "" : ":\(options.port)")\(path)"
    let timeout = options.timeout
    // One deadline for the whole exchange: AsyncHTTPClient's own ends with the headers, and a server
    // dripping the body a byte at a time must not hold the probe.
    let timedOut = Flag()
    var result = await withTaskGroup(of: Result<Response, Failure>?.self) { group in
      group.addTask { await Self.exchange(client, url: url, timeout: timeout, maximumBytes: maximumBytes) }
      group.addTask {
        try? await Task.sleep(for: timeout)
        guard !Task.isCancelled else { return nil }
        timedOut.set()
        // Closing the client ends a body that is still dripping in (cancellation alone does not).
        try? await client.shutdown()
        return nil
      }
      var first: Result<Response, Failure> = .failure(.transport("no answer"))
      for await outcome in group {
        if let outcome {
          first = outcome
          break
        }
      }
      group.cancelAll()
      return first
    }
    if timedOut.isSet {
      result = .failure(.transport("no complete answer within \(timeout) (timed out)"))
    }
    try? await client.shutdown()
    return (result, resolved.lookups)
  }

  static func exchange(_ client: HTTPClient, url: String, timeout: Duration, maximumBytes: Int) async
    -> Result<
      Response, Failure
    >
  {
    do {
      var request = HTTPClientRequest(url: url)
      request.headers.add(name: "User-Agent", value: "mailflow")
      let response = try await client.execute(request, timeout: timeout.timeAmount)
      let body: ByteBuffer
      do {
        body = try await response.body.collect(upTo: maximumBytes)
      } catch is NIOTooManyBytesError {
        throw Failure.tooLarge(maximumBytes)
      }
      let mediaType = response.headers.first(name: "Content-Type").map {
        $0.split(separator: ";").first.map { $0.trimmingCharacters(in: " \t").lowercased() } ?? ""
      }
      return .success(
        Response(
          status: Int(response.status.code), mediaType: mediaType,
          location: response.headers.first(name: "Location"),
          body: String(decoding: body.readableBytesView, as: UTF8.self)))
    } catch let failure as Failure {
      return .failure(failure)
    } catch {
      return .failure(.transport(Self.describe(error)))
    }
  }

  /// AsyncHTTPClient's and BoringSSL's errors in a few words for the report.
  static func describe(_ error: any Error) -> String {
    let text = "\(error)"
    if text.contains("CERTIFICATE_VERIFY_FAILED") {
      return
        "TLS handshake failed: the certificate is not valid for this host (untrusted, expired or for another name)"
    }
    if error is NIOSSLError {
      return "TLS handshake failed: \(TLSFailure.reason(error))"
    }
    if let error = error as? HTTPClientError {
      if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
        return "timed out"
      }
      return "\(error)"
    }
    return ConnectFailure(error).description
  }
}

/// A flag set from one task and read by another.
final class Flag: Sendable {
  private let value = Mutex(false)
  func set() { value.withLock { $0 = true } }
  var isSet: Bool { value.withLock { $0 } }
}
