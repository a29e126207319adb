import MailFlowModel

/// The server software a banner names, for settings hints: only when the banner says so, and always
/// marked as a hint (a banner can be changed, or lie).
public enum ServerSoftware: Sendable, Equatable {
  case postfix, exim, dovecot

  public var name: String {
    switch self {
    case .postfix: "Postfix"
    case .exim: "Exim"
    case .dovecot: "Dovecot"
    }
  }

  /// From the first line the server sent.
  public static func identify(_ transcript: [ProbeTranscriptLine]) -> ServerSoftware? {
    guard let banner = transcript.first(where: { $0.speaker == .server })?.text.lowercased() else {
      return nil
    }
    if banner.contains("postfix") { return .postfix }
    if banner.contains("exim") { return .exim }
    if banner.contains("dovecot") { return .dovecot }
    return nil
  }

  /// The settings that change a finding, in the software's own names.
  func settings(for kind: Fix.Kind, service: Service) -> [Fix.Item] {
    switch (self, kind) {
    case (.postfix, .authBeforeTLS):
      [Fix.Item(.setting, name: "smtpd_tls_auth_only", value: "yes")]
    case (.postfix, .cleartextService):
      [Fix.Item(.setting, name: "smtpd_tls_security_level", value: service == .smtp ? "may" : "encrypt")]
    case (.exim, .authBeforeTLS):
      [Fix.Item(.setting, name: "auth_advertise_hosts", value: "${if eq{$tls_in_cipher}{}{}{*}}")]
    case (.exim, .cleartextService):
      [Fix.Item(.setting, name: "tls_advertise_hosts", value: "*")]
    case (.postfix, .tlsVersions):
      [
        Fix.Item(.setting, name: "smtpd_tls_protocols", value: ">=TLSv1.2"),
        Fix.Item(.setting, name: "smtpd_tls_mandatory_protocols", value: ">=TLSv1.2"),
      ]
    case (.exim, .tlsVersions):
      [Fix.Item(.setting, name: "openssl_options", value: "+no_tlsv1 +no_tlsv1_1")]
    case (.dovecot, .tlsVersions):
      [Fix.Item(.setting, name: "ssl_min_protocol", value: "TLSv1.2")]
    case (.dovecot, .authBeforeTLS), (.dovecot, .cleartextService):
      [
        Fix.Item(.setting, name: "ssl", value: "required"),
        Fix.Item(.setting, name: "disable_plaintext_auth", value: "yes"),
      ]
    default: []
    }
  }
}
