import MailFlowReport
import X509

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// PKIX facts about a presented chain — trusted or not, for which names, until when — recorded as
/// evidence, never fatal to the probe.
public struct CertificateCheck: Sendable, Equatable, Codable {
  public var pkixValid: Bool
  public var nameMatch: Bool
  /// ISO 8601.
  public var notAfter: String?
  public var subject: String?
  public var issuer: String?
  /// Why the chain is not trusted, when it is not.
  public var error: String?

  /// - Parameters:
  ///   - chain: DER certificates, leaf first.
  ///   - extraRoots: certificates trusted besides the system's (`--ca-file`).
  public static func evaluate(chain: [[UInt8]], hostname: String, extraRoots: [Certificate]) async
    -> CertificateCheck
  {
    let certificates = chain.compactMap { try? Certificate(derEncoded: $0) }
    guard let leaf = certificates.first else {
      return CertificateCheck(pkixValid: false, nameMatch: false, error: "no certificate presented")
    }
    let name = hostname.withoutTrailingDot
    var roots = CertificateStore(SystemTrustRoots.roots(forChain: certificates))
    roots.append(contentsOf: extraRoots)
    var verifier = Verifier(rootCertificates: roots) { RFC5280Policy() }
    var error: String?
    switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(certificates.dropFirst())) {
    case .validCertificate: break
    case .couldNotValidate(let failures):
      error = failures.first.map { "\($0.policyFailureReason)" } ?? "no chain to a trusted root"
    }
    return CertificateCheck(
      pkixValid: error == nil, nameMatch: matches(leaf, name: name),
      notAfter: leaf.notValidAfter.formatted(.iso8601), subject: "\(leaf.subject)",
      issuer: "\(leaf.issuer)", error: error)
  }

  /// RFC 6125/7817: the DNS names of subjectAltName (a wildcard stands for one whole left-most label);
  /// the common name only when there is no subjectAltName.
  /// An address is matched against the iPAddress entries only (RFC 6125 §1.7.2 leaves addresses to
  /// them; a DNS name or a common name never stands for an address).
  static func matches(_ certificate: Certificate, name: String) -> Bool {
    if let address = IPAddressLiteral.bytes(name) {
      guard let san = try? certificate.extensions.subjectAlternativeNames else { return false }
      return san.contains { entry in
        if case .ipAddress(let octets) = entry { Array(octets.bytes) == address } else { false }
      }
    }
    let name = name.lowercased()
    var dnsNames: [String] = []
    if let san = try? certificate.extensions.subjectAlternativeNames {
      for entry in san { if case .dnsName(let dns) = entry { dnsNames.append(dns.lowercased()) } }
    }
    if dnsNames.isEmpty {
      for rdn in certificate.subject {
        for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
          dnsNames.append("\(attribute.value)".lowercased())
        }
      }
    }
    return dnsNames.contains { pattern in
      if pattern == name { return true }
      guard pattern.hasPrefix("*."), let dot = name.firstIndex(of: ".") else { return false }
      return name[name.index(after: dot)...] == pattern.dropFirst(2) && name[..<dot].count > 0
    }
  }
}
