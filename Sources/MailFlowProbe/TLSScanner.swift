import MailFlowReport
import NIOSSL

/// The extra handshakes of `--tls-versions` at one endpoint, all at once: one dialogue per protocol
/// version offered alone (TLS 1.0 to 1.3), and one each offering only RSA and only ECDSA signatures, so
/// the server shows which certificate each kind of client gets. Each is the endpoint's whole dialogue
/// up to TLS (banner, EHLO or capabilities, STARTTLS), as a client of that kind would have it.
enum TLSScanner {
  struct Target: Sendable {
    var host: String
    var address: String
    var port: Int
    var service: Service
    var timeout: Duration
    var heloName = "mailflow.invalid"
  }

  /// One handshake's outcome.
  struct Attempt: Sendable {
    var facts = TLSFacts()
    /// The handshake began and failed: the server refused what was offered.
    var handshakeFailed = false
    var error: String?

    /// `true` accepted, `false` refused in the handshake, `nil` never got as far as TLS.
    var accepted: Bool? { facts.established ? true : handshakeFailed ? false : nil }
  }

  /// - Parameter judge: PKIX and DANE for a certificate variant's session, as the endpoint's own.
  static func scan(
    _ target: Target,
    judge: @escaping @Sendable (TLSFacts) async -> (tls: ProbeReport.TLS?, dane: ProbeReport.DANE?)
  ) async -> ProbeReport.TLSScan {
    let offers =
      TLSOffer.versions.map { TLSOffer(version: $0) } + [TLSOffer(keyType: .ecdsa), TLSOffer(keyType: .rsa)]
    let attempts = await withTaskGroup(of: (TLSOffer, Attempt).self) { group in
      for offer in offers { group.addTask { (offer, await attempt(target, offer: offer)) } }
      var collected: [TLSOffer: Attempt] = [:]
      for await (offer, attempt) in group { collected[offer] = attempt }
      return collected
    }
    let versions = TLSOffer.versions.map { version -> ProbeReport.TLSScan.VersionResult in
      let attempt = attempts[TLSOffer(version: version)] ?? Attempt()
      return .init(
        version: version.reportName, accepted: attempt.accepted,
        reason: attempt.accepted == true ? nil : attempt.error)
    }
    var certificates: [ProbeReport.TLSScan.CertificateVariant] = []
    for keyType in [CertificateKey.Algorithm.ecdsa, .rsa] {
      let attempt = attempts[TLSOffer(keyType: keyType)] ?? Attempt()
      let judged: (tls: ProbeReport.TLS?, dane: ProbeReport.DANE?) =
        attempt.facts.established ? await judge(attempt.facts) : (nil, nil)
      certificates.append(
        .init(
          offered: keyType, tls: judged.tls, dane: judged.dane,
          error: attempt.facts.established ? nil : attempt.error))
    }
    return ProbeReport.TLSScan(versions: versions, certificates: certificates)
  }

  static func attempt(_ target: Target, offer: TLSOffer) async -> Attempt {
    if let kind = target.service.mailbox {
      let result = await MailboxSession.probe(
        kind, host: target.host, address: target.address, port: target.port,
        implicitTLS: target.service.implicitTLS, timeout: target.timeout, offer: offer)
      return Attempt(facts: result.tls, handshakeFailed: result.tlsHandshakeFailed, error: result.error)
    }
    var options = SMTPSession.Options()
    options.timeout = target.timeout
    options.heloName = target.heloName
    options.implicitTLS = target.service.implicitTLS
    options.offer = offer
    let result = await SMTPSession.probe(
      host: target.host, address: target.address, port: target.port, options: options)
    return Attempt(facts: result.tls, handshakeFailed: result.tlsHandshakeFailed, error: result.error)
  }
}
