import Foundation
import Testing
import X509

@testable import MailFlowProbe

/// The system's trust roots, read as DER and parsed only when a chain names them.
@Suite("System trust roots, parsed on demand")
struct SystemTrustRootsTests {
  @Test func everyCertificateOfABundleIsRead() throws {
    let pki = try TestPKI()
    let pem = try [pki.ca, pki.leaf].map { try $0.serializeAsPEM().pemString }.joined(separator: "\n")
    let found = SystemTrustRoots.pemCertificates("junk\n" + pem + "\n-----BEGIN CERTIFICATE-----\n!!!\n")
    #expect(found == [try TestPKI.der(pki.ca), try TestPKI.der(pki.leaf)])
  }

  /// A chain ending in a certificate issued by a system root finds that root, and only what names it.
  @Test(.enabled(if: !SystemTrustRoots.certificates.isEmpty))
  func aChainFindsTheRootThatIssuedIt() throws {
    let all = SystemTrustRoots.certificates
    #expect(all.count > 50)
    let root = try Certificate(derEncoded: try #require(all.first))
    let found = SystemTrustRoots.roots(forChain: [root])
    #expect(found.contains(root))
    #expect(found.count < 5)
    #expect(SystemTrustRoots.roots(forChain: [try TestPKI().leaf]).isEmpty)
  }
}
