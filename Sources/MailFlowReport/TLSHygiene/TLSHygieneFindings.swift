import MailFlowModel

/// The endpoints a hop's TLS hygiene is judged at: one per MX host on the relay (its addresses serve
/// one configuration, as the certificate fixes assume), one per host and port on a client hop.
struct HygieneSubject {
  var name: String
  var endpoint: ProbeReport.Endpoint

  static func of(_ hop: ProbeReport.Hop) -> [HygieneSubject] {
    var seen: Set<String> = []
    return hop.endpoints.compactMap { endpoint in
      guard endpoint.tls != nil || endpoint.tlsScan != nil else { return nil }
      let host = endpoint.host.withoutTrailingDot
      let name = hop.id == .relay ? host : "\(host):\(endpoint.port)"
      return seen.insert(name).inserted ? HygieneSubject(name: name, endpoint: endpoint) : nil
    }
  }

  /// The TLSA owner name of the endpoint (`_25._tcp.mx.example.`).
  var tlsaOwner: String {
    "_\(endpoint.service == .smtp ? 25 : endpoint.port)._tcp.\(endpoint.host.withoutTrailingDot)."
  }

  /// Every certificate seen here, once per key: the dialogue's own, then those the scan found.
  var certificates: [ProbeReport.TLS] {
    var seen: Set<String> = []
    return ([endpoint.tls] + (endpoint.tlsScan?.servedVariants.map(\.tls) ?? [])).compactMap { tls in
      guard let tls else { return nil }
      return seen.insert(tls.leafSPKISHA256 ?? tls.subject ?? "").inserted ? tls : nil
    }
  }
}

extension CertificateKey {
  /// The worse of the key's and the signature's levels.
  public var level: HygieneLevel { max(keyLevel, signatureLevel) }

  /// `ECDSA P-256, signed ecdsa-with-SHA256`.
  public var summary: String { "\(words), signed \(signature)" }
}

extension FixAdvisor {
  /// Protocol versions, keys and signatures (NCSC levels) and a TLSA set that matches only one of an
  /// endpoint's certificates.
  static func tlsHygiene(_ hop: ProbeReport.Hop) -> [Fix] {
    var fixes: [Fix] = []
    for subject in HygieneSubject.of(hop) {
      let host = subject.endpoint.host.withoutTrailingDot
      let software = ServerSoftware.identify(subject.endpoint.transcript)
      if let scan = subject.endpoint.tlsScan, let level = scan.versionLevel {
        let accepted = scan.acceptedVersions
        let old = accepted.filter { HygieneLevel.version($0) == .insufficient }
        if level == .insufficient {
          fixes.append(
            Fix(
              .tlsVersions, .warning,
              finding: "\(subject.name) accepts \(old.joined(separator: " and "))",
              text:
                "TLS 1.0 and 1.1 are insufficient (NCSC; RFC 8996 deprecates them): accept TLS 1.2 and 1.3 "
                + "only. The hop's rating does not depend on it — a client that offers TLS 1.3 is never "
                + "pushed down to them — but clients stuck on them have weak protection.",
              items: software?.settings(for: .tlsVersions, service: subject.endpoint.service) ?? [],
              host: host))
        } else if scan.versions.contains(where: { $0.version == "TLSv1.3" && $0.accepted == false }) {
          fixes.append(
            Fix(
              .tlsVersions, .advice, finding: "\(subject.name) does not accept TLS 1.3",
              text: "TLS 1.2 is sufficient; TLS 1.3 is good (NCSC): enable it in the server's TLS library.",
              host: host))
        }
      }
      for tls in subject.certificates {
        guard let key = tls.key, key.level == .insufficient else { continue }
        let weak = key.keyLevel == .insufficient ? key.words : "a signature \(key.signature)"
        fixes.append(
          Fix(
            .certificateKey, .warning,
            finding: "the certificate of \(subject.name) has \(weak) (insufficient)",
            text:
              "Replace it by one with an ECDSA P-256 key or an RSA key of at least 3072 bits (2048 is "
              + "sufficient for now), signed with SHA-256 or better"
              + (subject.endpoint.dane.status == .valid ? "; publish the new key's TLSA record first." : "."),
            host: host))
      }
      if let scan = subject.endpoint.tlsScan {
        for variant in scan.daneSplit {
          let kind = variant.tls?.key?.words ?? variant.offered.rawValue.uppercased()
          fixes.append(
            Fix(
              .daneKeyType, .error,
              finding: "no TLSA record of \(host) matches its \(kind) certificate",
              text:
                "\(host) serves two certificates, and its TLSA records match only the other one: DANE senders "
                + "that get this one (those that offer only \(variant.offered.rawValue.uppercased())) refuse "
                + "to deliver. Publish these records beside the existing ones.",
              items: proposedTLSA(variant.tls, owner: subject.tlsaOwner), host: host))
        }
      }
    }
    return fixes
  }
}

extension Checklist {
  /// Per endpoint: the protocol versions accepted (when `--tls-versions` tested them), the keys and
  /// signatures of its certificates, and a TLSA set that fails one of them.
  static func tlsHygiene(_ report: ProbeReport) -> [Check] {
    var checks: [Check] = []
    var scanned = false
    for hop in report.hops {
      for subject in HygieneSubject.of(hop) {
        // The relay's hosts by name, the client hops' endpoints by host and port: unique either way.
        let (name, id) = (subject.name, subject.name)
        if let scan = subject.endpoint.tlsScan {
          scanned = true
          let accepted = scan.acceptedVersions
          let level = scan.versionLevel
          // A version whose dialogue never reached TLS (a 421 for too many connections, a timeout) is
          // not known to be refused: unless an insufficient one was accepted anyway, the line is unknown.
          let untested = scan.versions.filter { $0.accepted == nil }
          var detail =
            accepted.isEmpty ? "none accepted" : "accepts \(accepted.joined(separator: ", "))"
          if let level { detail += " — \(level.words)" }
          if let first = untested.first {
            detail +=
              "; not tested: \(untested.map(\.version).joined(separator: ", "))"
              + (first.reason.map { " (\($0))" } ?? "")
          }
          checks.append(
            Check(
              id: "tls-versions.\(id)", title: "TLS versions of \(name)",
              status: level == .insufficient
                ? .fail : untested.isEmpty ? (level?.checkStatus ?? .unknown) : .unknown,
              detail: detail))
          if !scan.daneSplit.isEmpty {
            checks.append(
              Check(
                id: "dane-key-type.\(id)", title: "DANE for every certificate of \(name)", status: .fail,
                detail: "TLSA matches only some: "
                  + scan.servedVariants.map {
                    "\($0.tls?.key?.words ?? "?") \($0.dane?.status.rawValue ?? "?")"
                  }
                  .joined(separator: ", ")))
          }
        }
        let keys = subject.certificates.compactMap(\.key)
        if let worst = keys.map(\.level).max() {
          checks.append(
            Check(
              id: "certificate-key.\(id)", title: "Certificate keys of \(name)", status: worst.checkStatus,
              detail: keys.map { "\($0.summary) (\($0.level.words))" }.joined(separator: "; ")))
        }
      }
    }
    if !scanned && report.hops.contains(where: { !HygieneSubject.of($0).isEmpty }) {
      checks.append(
        Check(
          id: "tls-versions", title: "TLS versions", status: .info,
          detail: "not tested: probe with --tls-versions (six more handshakes per endpoint)"))
    }
    return checks
  }
}

extension ProbeReport.Endpoint {
  /// The key, the versions accepted and the certificates each kind of client gets, as rows.
  var hygieneFacts: [EvidenceFact] {
    var facts: [EvidenceFact] = []
    if let key = tls?.key {
      facts.append(
        .init(
          "key", "\(key.summary) — key \(key.keyLevel.words), signature \(key.signatureLevel.words)",
          key.level == .insufficient ? .warning : .plain))
    }
    guard let tlsScan else { return facts }
    let refused = tlsScan.versions.filter { $0.accepted == false }.map(\.version)
    let untested = tlsScan.versions.filter { $0.accepted == nil }
    var versions =
      "accepts "
      + (tlsScan.acceptedVersions.isEmpty ? "none" : tlsScan.acceptedVersions.joined(separator: ", "))
    if !refused.isEmpty { versions += "; refuses \(refused.joined(separator: ", "))" }
    if !untested.isEmpty {
      versions +=
        "; not tested: \(untested.map(\.version).joined(separator: ", "))"
        + (untested.first?.reason.map { " (\($0))" } ?? "")
    }
    facts.append(
      .init("TLS versions", versions, tlsScan.versionLevel == .insufficient ? .warning : .plain))
    for variant in tlsScan.certificates {
      let split = tlsScan.daneSplit.contains(variant)
      facts.append(
        .init(
          "\(variant.offered == .rsa ? "RSA" : "ECDSA")-only client", variant.words,
          split ? .warning : .plain))
    }
    return facts
  }
}
