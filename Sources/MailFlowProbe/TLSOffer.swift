import MailFlowReport
import NIOConcurrencyHelpers
import NIOSSL

/// What a probe's client offers in a TLS handshake: by default everything a careful sender offers (TLS
/// 1.0 to 1.3, RSA and ECDSA certificates); the extra handshakes of `--tls-versions` offer one protocol
/// version alone, or only the signature algorithms (and, before TLS 1.3, the cipher suites) of one key
/// type, so the server shows whether it accepts that version and which certificate it serves then.
public struct TLSOffer: Sendable, Hashable {
  public var version: TLSVersion?
  /// `.rsa` or `.ecdsa`; `nil` for both.
  public var keyType: CertificateKey.Algorithm?

  public init(version: TLSVersion? = nil, keyType: CertificateKey.Algorithm? = nil) {
    self.version = version
    self.keyType = keyType
  }

  public static let any = TLSOffer()
  /// The versions a `--tls-versions` scan offers one at a time (SSL 3 is beyond BoringSSL).
  public static let versions: [TLSVersion] = [.tlsv1, .tlsv11, .tlsv12, .tlsv13]

  /// The client configuration. It accepts every chain (the report judges it) and loads no roots:
  /// loading the system's into BoringSSL for every connection would only cost time.
  var configuration: TLSConfiguration {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .noHostnameVerification
    configuration.trustRoots = .certificates([])
    configuration.minimumTLSVersion = version ?? .tlsv1
    configuration.maximumTLSVersion = version
    switch keyType {
    case .rsa:
      configuration.verifySignatureAlgorithms = [
        .rsaPssRsaeSha256, .rsaPssRsaeSha384, .rsaPssRsaeSha512, .rsaPkcs1Sha256, .rsaPkcs1Sha384,
        .rsaPkcs1Sha512, .rsaPkcs1Sha1,
      ]
      configuration.cipherSuites = defaultCipherSuites + ":!aECDSA"
    case .ecdsa:
      configuration.verifySignatureAlgorithms = [
        .ecdsaSecp256R1Sha256, .ecdsaSecp384R1Sha384, .ecdsaSecp521R1Sha512, .ecdsaSha1,
      ]
      configuration.cipherSuites = defaultCipherSuites + ":!aRSA"
    default:
      break
    }
    return configuration
  }

  /// One context per offer for the whole process: building one parses the configuration into
  /// BoringSSL, which every connection would otherwise repeat.
  func context() throws -> NIOSSLContext {
    try Self.contexts.withLockedValue { contexts in
      if let cached = contexts[self] { return cached }
      let context = try NIOSSLContext(configuration: configuration)
      contexts[self] = context
      return context
    }
  }

  private static let contexts = NIOLockedValueBox<[TLSOffer: NIOSSLContext]>([:])
}
