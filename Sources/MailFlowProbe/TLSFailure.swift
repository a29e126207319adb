import NIOSSL

/// A TLS handshake failure in words a user understands. BoringSSL's own text names a build path and a
/// line number (`handshakeFailed(…/tls_record.cc:127)`); it goes to the transcript, not the reason.
enum TLSFailure {
  static func reason(_ error: any Error) -> String {
    let raw = "\(error)"
    let upper = raw.uppercased()
    if let error = error as? NIOSSLError, case .uncleanShutdown = error {
      return "the server closed the connection during the TLS handshake"
    }
    // An alert is what the server said (decode_error: it could not read ours), so it is named first.
    if let range = upper.firstRange(of: "TLSV1_ALERT_") ?? upper.firstRange(of: "SSLV3_ALERT_") {
      let name = upper[range.upperBound...].prefix { $0.isLetter || $0 == "_" }
      return
        "the server sent the TLS alert \(name.lowercased().split(separator: "_").joined(separator: " "))"
    }
    if upper.contains("WRONG_VERSION_NUMBER") || upper.contains("HTTP_REQUEST")
      || upper.contains("PACKET_LENGTH_TOO_LONG") || upper.contains("RECORD_TOO_LARGE")
      || upper.contains("ENCRYPTED_LENGTH_TOO_LONG")
    {
      return "the server did not answer with TLS (its reply is not a TLS record)"
    }
    if upper.contains("UNSUPPORTED_PROTOCOL") || upper.contains("PROTOCOL_VERSION") {
      return "no TLS version in common with the server"
    }
    if upper.contains("NO_SHARED_CIPHER") || upper.contains("NO_CIPHERS")
      || upper.contains("HANDSHAKE_FAILURE")
    {
      return "the server refused the handshake (no cipher or key type in common)"
    }
    if upper.contains("EOF") || upper.contains("UNCLEAN") || upper.contains("CONNECTION RESET") {
      return "the server closed the connection during the TLS handshake"
    }
    if upper.contains("DECODE_ERROR") || upper.contains("BAD_DECRYPT") || upper.contains("DECRYPTION_FAILED")
      || upper.contains("BAD_RECORD_MAC") || upper.contains("UNEXPECTED_MESSAGE")
      || upper.contains("UNEXPECTED_RECORD")
    {
      return "the server's TLS messages were malformed"
    }
    return "the TLS handshake did not complete"
  }
}
