import Crypto
import MailFlowReport
import SwiftASN1
import X509

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// DANE for SMTP (RFC 7672, RFC 7671, RFC 6698): does the chain a server presented match its TLSA
/// records? DANE-EE (3) pins the server's own certificate or key, ignoring names and dates; DANE-TA (2)
/// pins a certificate in the chain, which must then issue the server's certificate for its name.
public enum DANEVerifier {
  public typealias Status = DANEStatus

  public struct RecordResult: Sendable, Equatable, Codable {
    public var record: TLSARecord
    public var matched: Bool
    /// Why the record was not used or did not match.
    public var reason: String?
  }

  public struct Result: Sendable, Equatable {
    public var status: Status
    public var records: [RecordResult]
  }

  /// - Parameters:
  ///   - chain: the certificates the server presented, DER, leaf first.
  ///   - names: the reference identifiers for DANE-TA name checks: the MX host name, the TLSA base
  ///     domain when CNAMEs were followed (RFC 7672 §3.2.3) and, when the MX RRset is DNSSEC-secure,
  ///     the next-hop (recipient) domain (§3.2.2).
  public static func verify(
    records: [TLSARecord], chain: [[UInt8]], names: [String]
  ) async -> Result {
    guard !records.isEmpty else { return Result(status: .none, records: []) }
    var results: [RecordResult] = []
    let certificates = chain.map { try? Certificate(derEncoded: $0) }
    for record in records {
      if let reason = record.unusableReason {
        results.append(RecordResult(record: record, matched: false, reason: reason))
        continue
      }
      guard let leafDER = chain.first else {
        results.append(
          RecordResult(record: record, matched: false, reason: "the server presented no certificate"))
        continue
      }
      if record.usage == 3 {
        let matched = matches(record, der: leafDER, certificate: certificates.first ?? nil)
        results.append(
          RecordResult(
            record: record, matched: matched,
            reason: matched ? nil : "the server's certificate does not match this DANE-EE record"))
        continue
      }
      // DANE-TA: a presented certificate matches, and it issues the leaf for one of the names. A record
      // holding the whole certificate (`2 0 0`) is the anchor itself when the server does not send it
      // (RFC 7671 §5.2).
      let presented = chain.indices.first { matches(record, der: chain[$0], certificate: certificates[$0]) }
      let anchor =
        presented.flatMap { certificates[$0] }
        ?? (record.selector == 0 && record.matchingType == 0
          ? try? Certificate(derEncoded: record.data) : nil)
      guard let anchor, let leaf = certificates.first ?? nil else {
        results.append(
          RecordResult(
            record: record, matched: false, reason: "no certificate in the chain matches this DANE-TA record")
        )
        continue
      }
      let intermediates = CertificateStore(Array(certificates.dropFirst().compactMap { $0 }))
      var validated = false
      var lastReason = "the chain does not lead from the DANE-TA certificate to the server's certificate"
      for name in names {
        let name = name.withoutTrailingDot
        var verifier = Verifier(rootCertificates: CertificateStore([anchor])) {
          RFC5280Policy()
          ServerIdentityPolicy(serverHostname: name, serverIP: nil)
        }
        switch await verifier.validate(leaf: leaf, intermediates: intermediates) {
        case .validCertificate:
          validated = true
        case .couldNotValidate(let failures):
          lastReason =
            "DANE-TA certificate found, but the chain does not validate for \(name)"
            + (failures.first.map { ": \($0.policyFailureReason)" } ?? "")
        }
        if validated { break }
      }
      results.append(RecordResult(record: record, matched: validated, reason: validated ? nil : lastReason))
    }
    let usable = results.filter { $0.record.unusableReason == nil }
    let status: Status =
      usable.isEmpty ? .unusable : usable.contains(where: \.matched) ? .valid : .mismatch
    return Result(status: status, records: results)
  }

  /// Whether a certificate matches a record's selector and matching type.
  static func matches(_ record: TLSARecord, der: [UInt8], certificate: Certificate?) -> Bool {
    let selected: [UInt8]
    switch record.selector {
    case 0: selected = der
    case 1:
      guard let certificate, let spki = subjectPublicKeyInfo(certificate) else { return false }
      selected = spki
    default: return false
    }
    switch record.matchingType {
    case 0: return selected == record.data
    case 1: return Array(SHA256.hash(data: selected)) == record.data
    case 2: return Array(SHA512.hash(data: selected)) == record.data
    default: return false
    }
  }

  /// The DER SubjectPublicKeyInfo (not just the key's bit string, which would give wrong digests).
  static func subjectPublicKeyInfo(_ certificate: Certificate) -> [UInt8]? {
    var serializer = DER.Serializer()
    do {
      try serializer.serialize(certificate.publicKey)
    } catch {
      return nil
    }
    return serializer.serializedBytes
  }
}
