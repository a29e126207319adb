import NIOConcurrencyHelpers
import SwiftASN1
import X509

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The system's trust roots, read once as DER and parsed only when a presented chain names them as
/// an issuer. Parsing all ~150 of them (what `CertificateStore.systemTrustRoots` does) cost a probe
/// several milliseconds of CPU and megabytes of memory, to judge chains that need one or two.
enum SystemTrustRoots {
  /// Where Debian, Ubuntu, Arch and Alpine, and Fedora keep the bundle (as swift-certificates looks).
  static let paths = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]
  /// A bundle larger than this is not a CA bundle (Debian's is about 220 KB).
  static let maximumBytes = 16 * 1_048_576

  /// Every certificate of the first bundle found, DER.
  static let certificates: [[UInt8]] = {
    for path in paths {
      guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
        size <= maximumBytes, let data = try? Data(contentsOf: URL(fileURLWithPath: path)),
        data.count <= maximumBytes
      else { continue }
      return pemCertificates(String(decoding: data, as: UTF8.self))
    }
    return []
  }()

  /// The DER of each `CERTIFICATE` block of a PEM bundle; blocks that are not base64 are skipped.
  static func pemCertificates(_ text: String) -> [[UInt8]] {
    var found: [[UInt8]] = []
    var body: String?
    for line in text.split(whereSeparator: \.isNewline) {
      if line.hasPrefix("-----BEGIN CERTIFICATE-----") {
        body = ""
      } else if line.hasPrefix("-----END CERTIFICATE-----") {
        if let body, let der = Data(base64Encoded: body) { found.append(Array(der)) }
        body = nil
      } else if body != nil {
        body! += line.filter { !$0.isWhitespace }
      }
    }
    return found
  }

  private static let parsed = NIOLockedValueBox<[Int: Certificate]>([:])

  /// The roots whose DER holds one of the chain's issuer names (a root's subject is that name), parsed
  /// once each.
  static func roots(forChain chain: [Certificate]) -> [Certificate] {
    let issuers = chain.compactMap { certificate -> [UInt8]? in
      var serializer = DER.Serializer()
      guard (try? serializer.serialize(certificate.issuer)) != nil else { return nil }
      return serializer.serializedBytes
    }
    var roots: [Certificate] = []
    for (index, der) in certificates.enumerated() where issuers.contains(where: { contains(der, $0) }) {
      if let root = parsed.withLockedValue({ $0[index] }) {
        roots.append(root)
      } else if let root = try? Certificate(derEncoded: der) {
        parsed.withLockedValue { $0[index] = root }
        roots.append(root)
      }
    }
    return roots
  }

  static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard let first = needle.first, needle.count <= haystack.count else { return false }
    var index = 0
    while index <= haystack.count - needle.count {
      if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) {
        return true
      }
      index += 1
    }
    return false
  }
}
