import Crypto
import MailFlowDNS
import MailFlowReport
import X509

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A host's addresses as both probes need them: A and AAAA as allowed by -4/-6, only usable data (never
/// bogus records), whether all of it was DNSSEC-secure (for DANE), and where CNAMEs led.
struct HostAddresses {
  var addresses: [String] = []
  var secure = true
  var expandedName: String?
  var lookups: [ProbeReport.Lookup] = []
  /// The validator's reason when an address lookup was bogus (its records are never used).
  var bogusReason: String?

  static func resolve(_ host: String, resolver: DNSResolver, useIPv4: Bool, useIPv6: Bool) async
    -> HostAddresses
  {
    var result = HostAddresses()
    // An address given instead of a name (`--imap 192.0.2.1`) is used as it is.
    let literal = host.withoutTrailingDot
    if literal.contains(":")
      || literal.split(separator: ".").count == 4 && literal.allSatisfy({ $0.isNumber || $0 == "." })
    {
      result.addresses = [literal]
      result.secure = false
      return result
    }
    // A and AAAA at once; read in that order.
    async let a = useIPv4 ? resolver.query(host, .a) : nil
    async let aaaa = useIPv6 ? resolver.query(host, .aaaa) : nil
    for answer in [await a, await aaaa].compactMap({ $0 }) {
      result.lookups.append(.init(answer))
      if answer.status == .bogus { result.bogusReason = answer.reason ?? "DNSSEC validation failed" }
      guard answer.hasData else { continue }
      result.secure = result.secure && answer.status == .secure
      result.expandedName = result.expandedName ?? answer.canonicalName
      for record in answer.records {
        if case .a(let address) = record { result.addresses.append(address) }
        if case .aaaa(let address) = record { result.addresses.append(address) }
      }
    }
    return result
  }
}

extension ProbeReport.TLS {
  /// The TLS evidence of a session: version and cipher as negotiated, the chain judged by PKIX for
  /// `host`; `nil` when no TLS session was established.
  static func evaluate(_ facts: TLSFacts, host: String, extraRoots: [X509.Certificate]) async
    -> ProbeReport.TLS?
  {
    guard facts.established else { return nil }
    let check = await CertificateCheck.evaluate(chain: facts.chain, hostname: host, extraRoots: extraRoots)
    // The digests TLSA records of this server would hold (`3 1 1`, `2 1 1`): the fixes propose them.
    let digests = facts.chain.prefix(2).map { der -> String? in
      guard let certificate = try? Certificate(derEncoded: der),
        let spki = DANEVerifier.subjectPublicKeyInfo(certificate)
      else { return nil }
      return SHA256.hash(data: spki).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
    var tls = ProbeReport.TLS(
      version: facts.version, cipher: facts.cipher, pkixValid: check.pkixValid,
      nameMatch: check.nameMatch,
      notAfter: check.notAfter, subject: check.subject, issuer: check.issuer, error: check.error,
      leafSPKISHA256: digests.first ?? nil, issuerSPKISHA256: digests.count > 1 ? digests[1] : nil)
    tls.key = facts.chain.first.flatMap(CertificateKey.init(certificateDER:))
    return tls
  }
}

extension ProbeReport.DANE {
  /// The DANE evidence of a session against the TLSA answer looked up for it.
  /// - Parameters:
  ///   - tlsa: `nil` when no lookup was made (DANE does not apply); then the status is `absent`.
  ///   - answered: the server got as far as the protocol dialogue (otherwise nothing is compared).
  static func evaluate(
    _ tlsa: DNSAnswer?, facts: TLSFacts, names: [String], answered: Bool, absent: DANEVerifier.Status
  ) async -> ProbeReport.DANE {
    let records = (tlsa?.records ?? []).compactMap { record -> TLSARecord? in
      if case .tlsa(let usage, let selector, let matching, let data) = record {
        TLSARecord(usage: usage, selector: selector, matchingType: matching, data: data)
      } else {
        nil
      }
    }
    switch tlsa?.status {
    case nil: return .init(status: absent, tlsa: [])
    case .bogus: return .init(status: .bogus, tlsa: [])
    case .secure:
      if !answered {
        // Never got as far as the dialogue: nothing to compare; the endpoint is rated unknown anyway.
        return .init(
          status: .none,
          tlsa: records.map {
            .init(record: $0.text, matched: false, reason: "not compared: no session", compared: false)
          })
      }
      if facts.established {
        let verified = await DANEVerifier.verify(records: records, chain: facts.chain, names: names)
        return .init(
          status: verified.status,
          tlsa: verified.records.map { .init(record: $0.record.text, matched: $0.matched, reason: $0.reason) }
        )
      }
      // TLSA published but no TLS: a DANE client would not go on.
      return .init(
        status: records.isEmpty ? .none : .mismatch,
        tlsa: records.map {
          .init(record: $0.text, matched: false, reason: "no TLS session to compare with", compared: false)
        }
      )
    case .servfail, .timeout, .error:
      // Postfix and other DANE senders defer when the TLSA lookup of a secure host fails.
      return .init(status: .lookupFailed, tlsa: [])
    default: return .init(status: .none, tlsa: [])
    }
  }
}

extension ProbeReport.Lookup {
  init(_ answer: DNSAnswer) {
    self.init(
      name: answer.name, type: answer.type.name,
      status: answer.status,
      authenticated: answer.authenticated, reason: answer.reason, canonicalName: answer.canonicalName,
      records: answer.records.map(\.text))
  }
}

/// A session's error with the command-injection evidence added: data that arrived between the go-ahead to
/// STARTTLS and the handshake (CVE-2011-0411 family).
func withInjectionNote(_ error: String?, _ bytesAfterStartTLS: Bool) -> String? {
  guard bytesAfterStartTLS else { return error }
  let note = "the server sent data after its go-ahead to STARTTLS, before TLS began (command injection risk)"
  return error.map { "\($0); \(note)" } ?? note
}
