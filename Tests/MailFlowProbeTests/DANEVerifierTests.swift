import Crypto
import Foundation
import SwiftASN1
import Testing
import X509

@testable import MailFlowProbe

/// A small PKI made in memory for each test: a CA and a server certificate it issued.
struct TestPKI {
  let caKey = P256.Signing.PrivateKey()
  let leafKey = P256.Signing.PrivateKey()
  let ca: Certificate
  let leaf: Certificate

  init(
    leafName: String = "mx.example.net", otherNames: [String] = [], validFor: TimeInterval = 86_400,
    caName: String = "mailflow test CA", leafCommonName: String? = nil, ipAddresses: [[UInt8]] = []
  ) throws {
    let now = Date()
    let issuer = try DistinguishedName { CommonName(caName) }
    ca = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
      notValidBefore: now - 3600, notValidAfter: now + 86_400 * 365, issuer: issuer, subject: issuer,
      signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
        KeyUsage(keyCertSign: true)
      }, issuerPrivateKey: .init(caKey))
    leaf = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(leafKey.publicKey),
      notValidBefore: now - 3600 - max(0, -validFor), notValidAfter: now + validFor, issuer: issuer,
      subject: try DistinguishedName { CommonName(leafCommonName ?? leafName) },
      signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        SubjectAlternativeNames(
          ([leafName] + otherNames).map { .dnsName($0) }
            + ipAddresses.map { .ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) })
      },
      issuerPrivateKey: .init(caKey))
  }

  static func der(_ certificate: Certificate) throws -> [UInt8] {
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    return serializer.serializedBytes
  }

  var chain: [[UInt8]] { get throws { [try Self.der(leaf), try Self.der(ca)] } }

  /// The CA as a PEM file for `--ca-file`.
  func writeCA() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-ca-\(UUID().uuidString).pem")
    try ca.serializeAsPEM().pemString.write(to: path, atomically: true, encoding: .utf8)
    return path.path
  }
}

@Suite("DANE verification")
struct DANEVerifierTests {
  func record(_ usage: UInt8, _ selector: UInt8, _ matching: UInt8, of certificate: Certificate) throws
    -> TLSARecord
  {
    let der = try TestPKI.der(certificate)
    let selected = selector == 0 ? der : DANEVerifier.subjectPublicKeyInfo(certificate)!
    let data: [UInt8] =
      switch matching {
      case 1: Array(SHA256.hash(data: selected))
      case 2: Array(SHA512.hash(data: selected))
      default: selected
      }
    return TLSARecord(usage: usage, selector: selector, matchingType: matching, data: data)
  }

  @Test(arguments: [(UInt8(0), UInt8(0)), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)])
  func daneEEMatchesEverySelectorAndMatchingType(selector: UInt8, matching: UInt8) async throws {
    let pki = try TestPKI()
    let result = await DANEVerifier.verify(
      records: [try record(3, selector, matching, of: pki.leaf)], chain: try pki.chain,
      names: ["mx.example.net"])
    #expect(result.status == .valid)
  }

  @Test func daneEEIgnoresNamesAndDates() async throws {
    let pki = try TestPKI(leafName: "other.example.org", validFor: -86_400)
    let result = await DANEVerifier.verify(
      records: [try record(3, 1, 1, of: pki.leaf)], chain: try pki.chain, names: ["mx.example.net"])
    #expect(result.status == .valid)
  }

  @Test func aDifferentKeyIsAMismatch() async throws {
    let pki = try TestPKI()
    let other = try TestPKI()
    let result = await DANEVerifier.verify(
      records: [try record(3, 1, 1, of: other.leaf)], chain: try pki.chain, names: ["mx.example.net"])
    #expect(result.status == .mismatch)
    #expect(result.records[0].reason == "the server's certificate does not match this DANE-EE record")
  }

  @Test func daneTAValidatesTheChainForTheName() async throws {
    let pki = try TestPKI()
    let valid = await DANEVerifier.verify(
      records: [try record(2, 0, 1, of: pki.ca)], chain: try pki.chain, names: ["mx.example.net"])
    #expect(valid.status == .valid)
    let wrongName = await DANEVerifier.verify(
      records: [try record(2, 1, 1, of: pki.ca)], chain: try pki.chain, names: ["mx.other.example"])
    #expect(wrongName.status == .mismatch)
    #expect(wrongName.records[0].reason?.contains("does not validate for mx.other.example") == true)
  }

  @Test func daneTAWithADigestNeedsTheAnchorInTheChain() async throws {
    let pki = try TestPKI()
    let result = await DANEVerifier.verify(
      records: [try record(2, 0, 1, of: pki.ca)], chain: [try TestPKI.der(pki.leaf)],
      names: ["mx.example.net"])
    #expect(result.status == .mismatch)
  }

  /// RFC 7671 §5.2: a `2 0 0` record holds the whole trust-anchor certificate, so a server that does
  /// not send its anchor still validates — and only for the names the leaf is issued for.
  @Test func aFullTrustAnchorCertificateInDNSIsTheAnchor() async throws {
    let pki = try TestPKI()
    let leafOnly = [try TestPKI.der(pki.leaf)]
    let full = try record(2, 0, 0, of: pki.ca)
    #expect(
      await DANEVerifier.verify(records: [full], chain: leafOnly, names: ["mx.example.net"]).status == .valid)
    let wrongName = await DANEVerifier.verify(records: [full], chain: leafOnly, names: ["mx.other.example"])
    #expect(wrongName.status == .mismatch)
    let otherCA = try record(2, 0, 0, of: try TestPKI().ca)
    #expect(
      await DANEVerifier.verify(records: [otherCA], chain: leafOnly, names: ["mx.example.net"]).status
        == .mismatch)
  }

  /// RFC 7672 §3.2.2: with a DNSSEC-secure MX RRset the next-hop domain is a reference identifier, so a
  /// DANE-TA chain whose leaf names only the recipient domain is valid — and not without it.
  @Test func daneTAAcceptsTheNextHopDomainAsAReferenceIdentifier() async throws {
    let pki = try TestPKI(leafName: "example.net")
    let ta = try record(2, 0, 1, of: pki.ca)
    let secureMX = RelayProbe.referenceNames(
      host: "mx.example.net.", expandedName: nil, domain: "example.net", mxSecure: true)
    #expect(secureMX == ["mx.example.net.", "example.net"])
    #expect(await DANEVerifier.verify(records: [ta], chain: try pki.chain, names: secureMX).status == .valid)
    let insecureMX = RelayProbe.referenceNames(
      host: "mx.example.net.", expandedName: nil, domain: "example.net", mxSecure: false)
    #expect(insecureMX == ["mx.example.net."])
    #expect(
      await DANEVerifier.verify(records: [ta], chain: try pki.chain, names: insecureMX).status == .mismatch)
    #expect(
      RelayProbe.referenceNames(
        host: "mx.example.net.", expandedName: "real.example.org.", domain: "example.net.", mxSecure: true)
        == ["real.example.org.", "mx.example.net.", "example.net."])
  }

  @Test func pkixUsagesAreUnusableForSMTP() async throws {
    let pki = try TestPKI()
    let result = await DANEVerifier.verify(
      records: [try record(1, 1, 1, of: pki.leaf), try record(0, 0, 1, of: pki.ca)], chain: try pki.chain,
      names: ["mx.example.net"])
    #expect(result.status == .unusable)
    #expect(result.records.allSatisfy { $0.reason?.contains("RFC 7672") == true })
  }

  @Test func oneMatchingRecordAmongOthersIsEnough() async throws {
    let pki = try TestPKI()
    let stale = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: Array(repeating: 0xAB, count: 32))
    let result = await DANEVerifier.verify(
      records: [stale, try record(3, 1, 1, of: pki.leaf)], chain: try pki.chain, names: ["mx.example.net"])
    #expect(result.status == .valid)
    #expect(result.records.map(\.matched) == [false, true])
  }

  @Test func malformedRecordsAndEmptyChains() async throws {
    let pki = try TestPKI()
    let short = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: [1, 2, 3])
    #expect(await DANEVerifier.verify(records: [short], chain: try pki.chain, names: []).status == .unusable)
    #expect(await DANEVerifier.verify(records: [], chain: try pki.chain, names: []).status == .none)
    let noChain = await DANEVerifier.verify(
      records: [try record(3, 1, 1, of: pki.leaf)], chain: [], names: [])
    #expect(noChain.status == .mismatch)
  }

  /// The SPKI digest agrees with OpenSSL's (`openssl x509 -pubkey | openssl pkey -pubin -outform DER`):
  /// hashing only the key's bit string, a common mistake, would not.
  @Test func spkiDigestAgreesWithOpenSSL() throws {
    let pki = try TestPKI()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-spki-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let certificate = directory.appendingPathComponent("leaf.der")
    try Data(try TestPKI.der(pki.leaf)).write(to: certificate)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c",
      "openssl x509 -inform DER -in '\(certificate.path)' -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r",
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let expected = String(text.prefix(64))
    let ours = SHA256.hash(data: DANEVerifier.subjectPublicKeyInfo(pki.leaf)!).map {
      String(format: "%02x", $0)
    }.joined()
    #expect(ours == expected)
  }
}
