import Foundation
import MailFlowModel
import MailFlowReport
import MailFlowTestSupport
import Testing

@testable import MailFlowProbe

/// TLS hygiene: certificate keys and signatures read from the DER (held against openssl's reading of
/// certificates it made), the NCSC levels, the findings, fixes and checklist lines they give, and the
/// extra handshakes of `--tls-versions` against a fixture server.
@Suite("TLS hygiene: versions, keys, both certificates")
struct TLSHygieneTests {
  /// Self-signed certificates made by `openssl req -x509` (OpenSSL 3), base64 DER; openssl's own reading
  /// is in `expected`.
  static let certificates: [String: String] = [
    "ed25519":
      "MIIBQjCB9aADAgECAhR2aa+lXQXP+d+L/yCB1OPJzkxt0zAFBgMrZXAwFzEVMBMGA1UEAwwMZWQyNTUxOS50ZXN0MB4XDTI2"
      + "MTIwMTA1MjQwNFoXDTM2MTEyODA1MjQwNFowFzEVMBMGA1UEAwwMZWQyNTUxOS50ZXN0MCowBQYDK2VwAyEAFMoou3XSCzNR"
      + "r+XYNv0HHg80XbyAJqngG1AfLe9e4o+jUzBRMB0GA1UdDgQWBBTWHZOYTzw486BM0wQ3J4pqneClszAfBgNVHSMEGDAWgBTW"
      + "HZOYTzw486BM0wQ3J4pqneClszAPBgNVHRMBAf8EBTADAQH/MAUGAytlcANBAGbv/xn1cjlVTPRCuBOKHm64B4nAC2bzh9gA"
      + "L0YKe1MChD9XqlHfKXc+N8kuPD2Zm1HCT+N2gcbvm1fxmcnyrwk=",
    "p256":
      "MIIBfjCCASOgAwIBAgIUYsRt00Gf5Jz9aJ4ZywLMu0dEEX4wCgYIKoZIzj0EAwIwFDESMBAGA1UEAwwJcDI1Ni50ZXN0MB4X"
      + "DTI2MTIwMTA1MjQwNFoXDTM2MTEyODA1MjQwNFowFDESMBAGA1UEAwwJcDI1Ni50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0D"
      + "AQcDQgAEbJOkRFQV/gpdixK6ySh3FFpWRwQRs4Iw4XN98K0fGVChDN3Xwevr8m0jewEge8Yx68wHwip0RS1ymN7w031cmqNT"
      + "MFEwHQYDVR0OBBYEFOlMtAmN0qwcg8TFdEPGhbJEvPdrMB8GA1UdIwQYMBaAFOlMtAmN0qwcg8TFdEPGhbJEvPdrMA8GA1Ud"
      + "EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAIeYsZ0LssSDEkWdYRO/PL16xYQUsYuJwdZBTTXQxFv1AiEAw13FA3UM"
      + "5glB38X/mjeOszKzKeme9zua9aElM214gp8=",
    "p384":
      "MIIBujCCAUCgAwIBAgIUVTPxP9ME27c1wI1vb65n9cIyGAkwCgYIKoZIzj0EAwMwFDESMBAGA1UEAwwJcDM4NC50ZXN0MB4X"
      + "DTI2MTIwMTA1MjQwNFoXDTM2MTEyODA1MjQwNFowFDESMBAGA1UEAwwJcDM4NC50ZXN0MHYwEAYHKoZIzj0CAQYFK4EEACID"
      + "YgAECAk41oXefe14f3ElTCjl0lXx7qnm9LXID/5H1nXvlAcVk8noc4rkDd+YOffbgspWV0Am/7bYZBbkb0RSyceJhQMXwzzh"
      + "AM/7TQLj6cBh5ExRRx35o7PdpIKy2PqgmbcSo1MwUTAdBgNVHQ4EFgQUwohpTDxlew380mJA95ysPAi8kWgwHwYDVR0jBBgw"
      + "FoAUwohpTDxlew380mJA95ysPAi8kWgwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAwNoADBlAjApTWhz+K07SRuNpcAC"
      + "CRp5ZbT4yM1pK6URlThG7NhOEHGZ2TuSgWYejSnf7Cm6S8ICMQDQIP3+xX6EQCAujmNhsjNWWDMGn80+YHMZz4ieh/Emhjys"
      + "7g5yvex7oKdYHmPxnLU=",
    "rsa1024sha1":
      "MIICEjCCAXugAwIBAgIUDCFQs1VPjmwDtSK+1hHNNWYXOnQwDQYJKoZIhvcNAQEFBQAwGzEZMBcGA1UEAwwQcnNhMTAyNHNo"
      + "YTEudGVzdDAeFw0yNjEyMDEwNTI0MDNaFw0zNjExMjgwNTI0MDNaMBsxGTAXBgNVBAMMEHJzYTEwMjRzaGExLnRlc3QwgZ8w"
      + "DQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBAMoV2U5eE2up9TQCKo+0pjbq/xBSpVCX676FGtF/UBAMeOVfwD01QagVBl5fHlhi"
      + "LxhOvKTDovMYc7/Izn48taMVi9r4b6Yk0jyOPhTHpjvbCZoJZybhknDHKSyNcq60jRgCChGSJjKhoWnXH4A9gD3gpBrCZB0j"
      + "I8v0wK6j356xAgMBAAGjUzBRMB0GA1UdDgQWBBQsdKy5jLlcFqTtpGDATcCvOaCSPTAfBgNVHSMEGDAWgBQsdKy5jLlcFqTt"
      + "pGDATcCvOaCSPTAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBBQUAA4GBAAAR9THXkWZgDbtPRGuNYiSu42c6lLpBt5ld"
      + "5bUo5/8qIIaKV1w+lN5nt0MSbyAWoKbFFB1H1NPL+I0iFhc3MNsBieUj318mtnYrGpFEzAURwYDE/+xfDH7R5x72vHdir4um"
      + "AwsQhRX2f3+xmTGtlUBAXiNQ+VICSQAUO7kUKcM1",
    "rsa2048":
      "MIIDDzCCAfegAwIBAgIUKjW35ePQKtHD//28eQmC0yJLQcIwDQYJKoZIhvcNAQELBQAwFzEVMBMGA1UEAwwMcnNhMjA0OC50"
      + "ZXN0MB4XDTI2MTIwMTA1MjQwM1oXDTM2MTEyODA1MjQwM1owFzEVMBMGA1UEAwwMcnNhMjA0OC50ZXN0MIIBIjANBgkqhkiG"
      + "9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtYO3pma/G9VnnHtOGowvE+ddUIemm9HPrU7JRw6SV9pmEX2jl8aDLrS4V2ohtDlt73bW"
      + "uieLWK41+im3VMIFRwWpnPGojhj1pc6SmKkexrox6W7Ia20W26N1S5zooFvqI6wXWLEpFHBXokVVfvmsvPQEyXU3hyL+AGMV"
      + "Pp8Ytl+Y6h4B/MTXIIWiPY9FxKghiuYknlT0lVo+9hfx4dL2r1e2g1azJeBRC73bDOoU0jSzmRiE5UUblBbV1BBGFos1W2qV"
      + "YA7zYhJyfs1zkInHJWGwxpthuEbf74G95q3zxHusn1tFXdN+q48BbnzwXYnzjesMw26PGqDovMzFMnzzgwIDAQABo1MwUTAd"
      + "BgNVHQ4EFgQUdgEFPsUf24RPkPEkCMIHIONquB0wHwYDVR0jBBgwFoAUdgEFPsUf24RPkPEkCMIHIONquB0wDwYDVR0TAQH/"
      + "BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAp2Bcc7c81+XiyPWdS8W/yOObF1C53PQXLLlFpFbAJohxiHLTQIhWTeaEUIrB"
      + "7d7dGo4guZZozeagzCjx31B9WGILzv/IeHa4jt209RR2weI8QhEB1Yj8vtGGkvXF3WY3G4iWw6o8TDq7D8RjaKguH6m0NBGU"
      + "YS7UnhWZZQuH3E1oXQ2kz953FZkndO7l+kQ9bRrohboFhl0ts8wKPZ0tIY3vzYnSssfXcvMCHZEQ2k/1BByjaFmn+8ZmpyJG"
      + "LKovKpdc0NOGGuptvZpb8FdCZ2ln9nbi1JvghqxR6CiAZ7RGMoWQ/vtA9BRWBcTMTLR5goOPyDrNqKIu83L/CzXtUQ==",
    "rsa3072":
      "MIIEDzCCAnegAwIBAgIUT8+sTl4pGLOFFBgr22Ddr23XtWkwDQYJKoZIhvcNAQEMBQAwFzEVMBMGA1UEAwwMcnNhMzA3Mi50"
      + "ZXN0MB4XDTI2MTIwMTA1MjQwNFoXDTM2MTEyODA1MjQwNFowFzEVMBMGA1UEAwwMcnNhMzA3Mi50ZXN0MIIBojANBgkqhkiG"
      + "9w0BAQEFAAOCAY8AMIIBigKCAYEAkOgCjGg0IeRqPmYxaF6ChBOI/JozDfuOWlz14hjMsdhQap7uHoYpURLExsfWjx8nw1y8"
      + "gFtmH3vqzKhSBQO2erDOEL42UA9teYougKLg3RmiLiDIzTnXayZfyRcKP+8BTTT9owvkg2DDS1popR/bOvpnB+cDEKlYwsev"
      + "SPv2mKZUQPBX7Tsktw7TobsZUs+7Zx127n2RfW9Jah5zRhaEaU6dZdHZqZHavvvTaA7HKTQQ2pwMFY6fFxyZ7Xmz4x0Bdj3N"
      + "GF+pXVJP0LYRGnV9nUam/a4uGE40ycLD7B694Ihxke7eguXX9QSG/X1lkh+V5GkVsExdtH7wpu10jEX2io4t3zl/FHYCqpVp"
      + "KVRQFySk4C+jp+nJw9gwB6GY83q0+/DHiCvymkSL9Cx2PbhQJKYCs+78nx60696gBy7XoSCwJf+fPUloekkOQ2+EDYJnN+kv"
      + "MPZB26Stazo+AlWyDmKIzh76uSn6Gif3+BDiq5yZumrTCRLRSODn3dF/ajI5AgMBAAGjUzBRMB0GA1UdDgQWBBR2zfzjockG"
      + "kyVDzc3Nrx1IqgguHDAfBgNVHSMEGDAWgBR2zfzjockGkyVDzc3Nrx1IqgguHDAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3"
      + "DQEBDAUAA4IBgQBlIKuQkcU52o5rrpPPHi8pyShL4qL84Pei0MAAjWbppyZ8MG2TIaTGW35Ej1RYHPzi6XTLanyLUhGFvozZ"
      + "yqWM4BR5FgwCRwlsS6JlQ60Wu/2je4+T7oCecpglz0PzFMvOzMX/a1LkHxJaJGQprhFTUata8t+1qvethx1hiTjI1+anksCf"
      + "YQQ+YPYrw3h8k+92494n6r42iSLZRtRuBaMvNE35YlwxwqycexkeEkVIKgoXmUDQYYiy+kHOKNb6+818SHDEnsYO3EeYobG5"
      + "mE1WSCsAPuWqCDhhA5dK56Aggcu0faFrWEv1AtQu82bq4+Su9Fvcpwwxnm+fPElGkhRGVWUvLnO7h6mMI63Pb1EZ2pl4+T0y"
      + "lw693JEn7Y9zHi4Ev1GIsYbRQk3LsY7RPOyvY9Q25h6+Qmh+2eXjO9LhnYcAxDC8o/wbMpw3L60r9SUSWem05XKTZ+MmbEYJ"
      + "Ci7Bl9tAO/YnWs9eSdo8wcC51JaOyoWYFjdXs04kBsZQg2Y=",
  ]

  static func der(_ name: String) throws -> [UInt8] {
    let text = try #require(certificates[name])
    return Array(try #require(Data(base64Encoded: text)))
  }

  /// What `openssl x509 -noout -text` says of each: key, size or curve, signature algorithm.
  @Test(
    arguments: [
      ("rsa1024sha1", CertificateKey.Algorithm.rsa, 1024, nil, "sha1WithRSAEncryption"),
      ("rsa2048", .rsa, 2048, nil, "sha256WithRSAEncryption"),
      ("rsa3072", .rsa, 3072, nil, "sha384WithRSAEncryption"),
      ("p256", .ecdsa, 256, "P-256", "ecdsa-with-SHA256"),
      ("p384", .ecdsa, 384, "P-384", "ecdsa-with-SHA384"),
      ("ed25519", .ed25519, 256, nil, "ed25519"),
    ] as [(String, CertificateKey.Algorithm, Int, String?, String)])
  func keysAndSignaturesAgreeWithOpenSSL(
    name: String, algorithm: CertificateKey.Algorithm, bits: Int, curve: String?, signature: String
  ) throws {
    let key = try #require(CertificateKey(certificateDER: try Self.der(name)))
    #expect(key == CertificateKey(algorithm: algorithm, bits: bits, curve: curve, signature: signature))
  }

  /// NCSC: RSA ≥ 3072 good, 2048 sufficient, less insufficient; ECDSA on named curves and EdDSA good;
  /// SHA-1 signatures insufficient.
  @Test func levelsFollowTheNCSCGuidelines() throws {
    let levels = try ["rsa1024sha1", "rsa2048", "rsa3072", "p256", "p384", "ed25519"].map { name in
      let key = try #require(CertificateKey(certificateDER: try Self.der(name)))
      return "\(key.keyLevel.rawValue)/\(key.signatureLevel.rawValue)"
    }
    #expect(
      levels == [
        "insufficient/insufficient", "sufficient/good", "good/good", "good/good", "good/good", "good/good",
      ])
    #expect(HygieneLevel.version("TLSv1.3") == .good)
    #expect(HygieneLevel.version("TLSv1.2") == .sufficient)
    #expect(HygieneLevel.version("TLSv1.1") == .insufficient)
    #expect(HygieneLevel.version("TLSv1.0") == .insufficient)
    #expect([HygieneLevel.good, .insufficient, .sufficient].max() == .insufficient)
  }

  /// A certificate cut anywhere, or bytes that are not one, give no key — never a crash or a wrong one.
  @Test func truncatedOrGarbageDERGivesNothing() throws {
    let whole = try Self.der("rsa2048")
    for length in 0..<whole.count {
      #expect(CertificateKey(certificateDER: Array(whole.prefix(length))) == nil)
    }
    #expect(CertificateKey(certificateDER: Array(repeating: 0x30, count: 64)) == nil)
    #expect(CertificateKey(certificateDER: [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
  }

  // MARK: - Findings from a scan

  static func scan(
    versions: [Bool?], ecdsa: ProbeReport.TLS?, rsa: ProbeReport.TLS?, ecdsaDANE: DANEStatus? = nil,
    rsaDANE: DANEStatus? = nil
  ) -> ProbeReport.TLSScan {
    ProbeReport.TLSScan(
      versions: zip(["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"], versions).map {
        .init(version: $0, accepted: $1, reason: $1 == nil ? "connection refused" : nil)
      },
      certificates: [
        .init(offered: .ecdsa, tls: ecdsa, dane: ecdsaDANE.map { .init(status: $0, tlsa: []) }),
        .init(offered: .rsa, tls: rsa, dane: rsaDANE.map { .init(status: $0, tlsa: []) }),
      ])
  }

  static func tls(_ key: CertificateKey, digest: String) -> ProbeReport.TLS {
    var tls = ProbeReport.TLS(
      version: "TLSv1.3", pkixValid: true, nameMatch: true, notAfter: "2027-06-01T00:00:00Z",
      leafSPKISHA256: digest, issuerSPKISHA256: String(repeating: "cc", count: 32))
    tls.key = key
    return tls
  }

  static let ecdsaKey = CertificateKey(
    algorithm: .ecdsa, bits: 256, curve: "P-256", signature: "ecdsa-with-SHA256")
  static let rsaKey = CertificateKey(
    algorithm: .rsa, bits: 2048, curve: nil, signature: "sha256WithRSAEncryption")

  static func relay(_ scan: ProbeReport.TLSScan, banner: String = "220 mx.example.net ESMTP Postfix")
    -> ProbeReport.Hop
  {
    var endpoint = FixAdvisorTests.mx(
      dane: .init(status: .valid, tlsa: []), tls: tls(ecdsaKey, digest: String(repeating: "aa", count: 32)),
      rating: .secure, transcript: [ProbeTranscriptLine(.server, banner)])
    endpoint.tlsScan = scan
    return FixAdvisorTests.relay([endpoint])
  }

  @Test func acceptingTLS10IsAWarningWithTheServersSettingAndAFailedCheck() throws {
    let scan = Self.scan(
      versions: [true, true, true, true],
      ecdsa: Self.tls(Self.ecdsaKey, digest: String(repeating: "aa", count: 32)),
      rsa: nil)
    #expect(scan.versionLevel == .insufficient)
    let hop = Self.relay(scan)
    let fixes = FixAdvisor.fixes(for: hop, domain: "example.net", startedAt: "2026-12-01T10:20:30Z")
    let fix = try #require(fixes.first { $0.kind == .tlsVersions })
    #expect(fix.severity == .warning)
    #expect(fix.finding == "mx.example.net accepts TLSv1.0 and TLSv1.1")
    #expect(
      fix.items.map(\.line) == [
        "smtpd_tls_protocols = >=TLSv1.2", "smtpd_tls_mandatory_protocols = >=TLSv1.2",
      ])
    let report = ProbeReport(
      domain: "example.net", startedAt: "2026-12-01T10:20:30Z", durationMs: 1,
      overall: .init(rating: .secure, limitedBy: nil), hops: [hop], autoconfig: nil, dns: [])
    let check = try #require(Checklist.checks(report).first { $0.id == "tls-versions.mx.example.net" })
    #expect(check.status == .fail)
    #expect(check.detail == "accepts TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3 — insufficient")
  }

  @Test func onlyTLS12AndNo13IsAdvice() throws {
    let scan = Self.scan(
      versions: [false, false, true, false],
      ecdsa: Self.tls(Self.ecdsaKey, digest: String(repeating: "aa", count: 32)),
      rsa: nil)
    #expect(scan.versionLevel == .sufficient)
    let fixes = FixAdvisor.fixes(
      for: Self.relay(scan), domain: "example.net", startedAt: "2026-12-01T10:20:30Z")
    #expect(fixes.first { $0.kind == .tlsVersions }?.severity == .advice)
  }

  /// Two certificates, TLSA for one: the senders that get the other refuse; the fix names the records
  /// of the certificate that does not match.
  @Test func aTLSASetMatchingOneOfTwoCertificatesIsAnErrorWithTheMissingRecords() throws {
    let rsaDigest = String(repeating: "bb", count: 32)
    let scan = Self.scan(
      versions: [false, false, true, true],
      ecdsa: Self.tls(Self.ecdsaKey, digest: String(repeating: "aa", count: 32)),
      rsa: Self.tls(Self.rsaKey, digest: rsaDigest), ecdsaDANE: .valid, rsaDANE: .mismatch)
    #expect(scan.daneSplit.map(\.offered) == [.rsa])
    let fixes = FixAdvisor.fixes(
      for: Self.relay(scan), domain: "example.net", startedAt: "2026-12-01T10:20:30Z")
    let fix = try #require(fixes.first { $0.kind == .daneKeyType })
    #expect(fix.severity == .error)
    #expect(fix.items.first?.line == "_25._tcp.mx.example.net. IN TLSA 3 1 1 \(rsaDigest)")
    // Both matching, or one certificate served to both kinds of client: no split.
    #expect(
      Self.scan(
        versions: [nil, nil, nil, nil], ecdsa: Self.tls(Self.ecdsaKey, digest: "aa"),
        rsa: Self.tls(Self.rsaKey, digest: "bb"), ecdsaDANE: .valid, rsaDANE: .valid
      ).daneSplit.isEmpty)
    #expect(
      Self.scan(
        versions: [nil, nil, nil, nil], ecdsa: Self.tls(Self.ecdsaKey, digest: "aa"),
        rsa: Self.tls(Self.ecdsaKey, digest: "aa"), ecdsaDANE: .valid, rsaDANE: .valid
      ).servedVariants.count == 1)
  }

  @Test func aWeakKeyIsAFindingAndAnUntestedScanIsSaid() throws {
    var hop = FixAdvisorTests.relay([FixAdvisorTests.mx()])
    let weak = CertificateKey(algorithm: .rsa, bits: 1024, curve: nil, signature: "sha1WithRSAEncryption")
    hop.endpoints[0].tls?.key = weak
    let fixes = FixAdvisor.fixes(for: hop, domain: "example.net", startedAt: "2026-12-01T10:20:30Z")
    #expect(
      fixes.first { $0.kind == .certificateKey }?.finding
        == "the certificate of mx.example.net has RSA 1024 bits (insufficient)")
    let report = ProbeReport(
      domain: "example.net", startedAt: "2026-12-01T10:20:30Z", durationMs: 1,
      overall: .init(rating: .weak, limitedBy: .relay), hops: [hop], autoconfig: nil, dns: [])
    let checks = Checklist.checks(report)
    #expect(checks.first { $0.id == "certificate-key.mx.example.net" }?.status == .fail)
    #expect(checks.first { $0.id == "tls-versions" }?.detail.contains("--tls-versions") == true)
    #expect(hop.endpoints[0].facts.contains { $0.label == "key" && $0.kind == .warning })
  }

  // MARK: - The extra handshakes, against a fixture server

  /// A BoringSSL server with one ECDSA certificate: every version accepted, the ECDSA-only client gets
  /// it, the RSA-only client is refused in the handshake (not "unknown").
  @Test func scanningAFixtureServerSeesVersionsAndTheOneCertificate() async throws {
    let pki = try TestPKI()
    let server = try await FixtureSMTPServer(
      .implicitTLS(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    defer { Task { await server.close() } }
    let target = TLSScanner.Target(
      host: "smtp.dane.example", address: "127.0.0.1", port: server.port, service: .submissions,
      timeout: .seconds(15))
    let scan = await TLSScanner.scan(target) { facts in
      (await ProbeReport.TLS.evaluate(facts, host: "smtp.dane.example", extraRoots: [pki.ca]), nil)
    }
    #expect(scan.versions.map(\.accepted) == [true, true, true, true])
    #expect(scan.certificates[0].offered == .ecdsa)
    #expect(scan.certificates[0].tls?.key?.algorithm == .ecdsa)
    #expect(scan.certificates[1].offered == .rsa)
    #expect(scan.certificates[1].tls == nil)
    #expect(scan.certificates[1].error?.contains("TLS handshake failed") == true)
  }

  /// A server that refuses with 421 never reaches TLS: the versions are unknown, with the reason.
  @Test func aServerThatNeverReachesTLSLeavesTheVersionsUnknown() async throws {
    let server = try await FixtureSMTPServer(.refuse421)
    defer { Task { await server.close() } }
    let target = TLSScanner.Target(
      host: "mx.example", address: "127.0.0.1", port: server.port, service: .smtp, timeout: .seconds(15))
    let scan = await TLSScanner.scan(target) { _ in (nil, nil) }
    #expect(scan.versions.allSatisfy { $0.accepted == nil })
    #expect(scan.versions.first?.reason?.contains("421") == true)
    #expect(scan.versionLevel == nil)
  }

  /// A version whose dialogue never reached TLS (a 421 under six connections at once) is not known to
  /// be refused: the line is unknown and says which, and no "does not accept TLS 1.3" advice is given.
  @Test func untestedVersionsAreUnknownNotRefused() throws {
    let scan = Self.scan(
      versions: [nil, false, true, nil],
      ecdsa: Self.tls(Self.ecdsaKey, digest: String(repeating: "aa", count: 32)), rsa: nil)
    let hop = Self.relay(scan)
    let report = ProbeReport(
      domain: "example.net", startedAt: "2026-12-01T10:20:30Z", durationMs: 1,
      overall: .init(rating: .secure, limitedBy: nil), hops: [hop], autoconfig: nil, dns: [])
    let check = try #require(Checklist.checks(report).first { $0.id == "tls-versions.mx.example.net" })
    #expect(check.status == .unknown)
    #expect(check.detail.contains("not tested: TLSv1.0, TLSv1.3 (connection refused)"))
    let fixes = FixAdvisor.fixes(for: hop, domain: "example.net", startedAt: "2026-12-01T10:20:30Z")
    #expect(!fixes.contains { $0.kind == .tlsVersions })
  }
}
