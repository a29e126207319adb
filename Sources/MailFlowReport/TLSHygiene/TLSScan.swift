import MailFlowModel

extension ProbeReport {
  /// What the extra handshakes of `--tls-versions` showed at one endpoint: which protocol versions it
  /// accepts, each offered alone, and which certificate it serves to a client that can verify only RSA
  /// and to one that can verify only ECDSA — each judged by PKIX and by the endpoint's TLSA records,
  /// because a TLSA set that matches only one of them fails the senders that get the other.
  public struct TLSScan: Sendable, Equatable, Codable {
    public struct VersionResult: Sendable, Equatable, Codable {
      /// `TLSv1.0` … `TLSv1.3`.
      public var version: String
      /// `true`: a handshake offering only this version completed; `false`: the server refused it
      /// during the handshake; `null`: the dialogue never got as far as TLS (the reason says why).
      @NullEncodable public var accepted: Bool?
      @NullEncodable public var reason: String?

      public init(version: String, accepted: Bool?, reason: String? = nil) {
        self.version = version
        self.accepted = accepted
        self.reason = reason
      }

      /// The NCSC level of accepting this version; `nil` when it is refused or unknown.
      public var level: HygieneLevel? { accepted == true ? HygieneLevel.version(version) : nil }
    }

    public struct CertificateVariant: Sendable, Equatable, Codable {
      /// What the client could verify: `rsa` or `ecdsa`.
      public var offered: CertificateKey.Algorithm
      /// The session and its certificate; `null` when the handshake failed (no such certificate).
      @NullEncodable public var tls: TLS?
      /// The endpoint's TLSA records against this certificate; `null` when DANE does not apply.
      @NullEncodable public var dane: DANE?
      @NullEncodable public var error: String?

      public init(offered: CertificateKey.Algorithm, tls: TLS?, dane: DANE?, error: String? = nil) {
        self.offered = offered
        self.tls = tls
        self.dane = dane
        self.error = error
      }
    }

    public var versions: [VersionResult]
    public var certificates: [CertificateVariant]

    public init(versions: [VersionResult], certificates: [CertificateVariant]) {
      self.versions = versions
      self.certificates = certificates
    }

    /// The worst level among the versions accepted; `nil` when none was seen accepted.
    public var versionLevel: HygieneLevel? { versions.compactMap(\.level).max() }

    /// The versions accepted, oldest first, as `TLSv1.2, TLSv1.3`.
    public var acceptedVersions: [String] { versions.filter { $0.accepted == true }.map(\.version) }

    /// The certificates served, one per distinct leaf key (a server with one certificate serves it to
    /// both kinds of client, or fails one of them).
    public var servedVariants: [CertificateVariant] {
      var seen = Set<String>()
      return certificates.filter { variant in
        guard let tls = variant.tls else { return false }
        return seen.insert(tls.leafSPKISHA256 ?? variant.offered.rawValue).inserted
      }
    }

    /// The served certificates whose DANE verdict differs from the valid one of another: a TLSA set
    /// that matches one key type only. Empty when DANE does not apply or every served certificate agrees.
    public var daneSplit: [CertificateVariant] {
      let served = servedVariants
      guard served.count > 1, served.contains(where: { $0.dane?.status == .valid }) else { return [] }
      return served.filter { $0.dane.map { $0.status != .valid } ?? false }
    }
  }
}

extension ProbeReport.TLSScan.CertificateVariant {
  /// `RSA 2048 bits, DANE valid`, or why there was no such certificate.
  public var words: String {
    guard let tls else { return "none (\(error ?? "handshake failed"))" }
    var parts = [tls.key?.words ?? "?"]
    parts.append(tls.pkixValid && tls.nameMatch ? "PKIX valid" : "not PKIX-valid")
    if let dane, dane.status != .none { parts.append("DANE \(dane.status.rawValue)") }
    return parts.joined(separator: ", ")
  }
}
