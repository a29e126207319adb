import MailFlowModel

/// One fact of a probe's evidence, worded once: the CLI's text output and the explorer's details both
/// render these rows (each in its own layout), so the same evidence reads the same everywhere.
public struct EvidenceFact: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case plain
    /// Something went wrong or is risky (an error, a broken policy).
    case warning
    /// A TLSA record, matched or not.
    case record(matched: Bool)
    /// A judgement with its rating (an MX against an MTA-STS policy).
    case rated(Rating)
    /// Something to publish or set, exactly as written (a DNS record, a policy file's line, a setting).
    case publish
  }

  public var label: String
  public var text: String
  public var kind: Kind

  public init(_ label: String, _ text: String, _ kind: Kind = .plain) {
    self.label = label
    self.text = text
    self.kind = kind
  }

  /// `label: text`, the row as one line.
  public var line: String { label.isEmpty ? text : "\(label): \(text)" }
}

extension ProbeReport.Endpoint {
  /// `imaps imap.example [192.0.2.1]:993  (from SRV _imaps._tcp)`: the endpoint's heading.
  /// An internationalized host is shown in both forms (`bücher.example (xn--bcher-kva.example)`).
  public var heading: String {
    let name = Punycode.bothForms(host.withoutTrailingDot)
    let shown = address.isEmpty ? "\(name):\(port) (no address)" : "\(name) [\(address)]:\(port)"
    return "\(service.rawValue) \(shown)" + (sourceText.map { "  (from \($0))" } ?? "")
  }

  /// What the probe saw at this endpoint, in order.
  public var facts: [EvidenceFact] {
    var facts: [EvidenceFact] = []
    if !extensions.isEmpty {
      facts.append(.init(service.isSMTP ? "EHLO" : "capabilities", extensions.joined(separator: ", ")))
    }
    if !extensionsAfterTLS.isEmpty && !service.isSMTP {
      facts.append(.init("after TLS", extensionsAfterTLS.joined(separator: ", ")))
    }
    if service.implicitTLS {
      facts.append(.init("TLS", "implicit, from the first byte"))
    } else if let starttls {
      facts.append(.init("STARTTLS", starttls ? "offered" : "not offered"))
    }
    if let loginDisabled {
      facts.append(
        .init(
          "LOGINDISABLED before TLS", loginDisabled ? "yes (good)" : "no", loginDisabled ? .plain : .warning))
    }
    if let methods = authBeforeTLS, !methods.isEmpty {
      facts.append(.init("password methods before TLS", methods.joined(separator: " "), .warning))
    }
    if let tls {
      facts.append(.init("TLS session", (tls.version ?? "?") + (tls.cipher.map { ", \($0)" } ?? "")))
      facts.append(
        .init(
          "certificate",
          "\(tls.subject ?? "?"), issued by \(tls.issuer ?? "?"), valid until \(tls.notAfter ?? "?")"))
      facts.append(
        .init(
          "trust",
          (tls.pkixValid ? "PKIX valid" : "not PKIX-valid (\(tls.error ?? "?"))") + "; name "
            + (tls.nameMatch ? "matches" : "does not match"),
          tls.pkixValid && tls.nameMatch ? .plain : .warning))
    }
    facts += hygieneFacts
    facts.append(.init("DANE", dane.summary))
    for record in dane.tlsa { facts.append(.init("TLSA", record.summary, .record(matched: record.matched))) }
    if let error { facts.append(.init("why", error, .warning)) }
    return facts
  }
}

extension ProbeReport.MTASTSReport {
  /// The published record, the policy and each MX against it.
  public var facts: [EvidenceFact] {
    var facts = [EvidenceFact("TXT", txt ?? "none")]
    if let mode {
      facts.append(
        .init(
          "policy", "mode \(mode.rawValue), mx \(mxPatterns.joined(separator: " ")), max_age \(maxAge ?? 0)"))
    }
    for match in mxMatches {
      facts.append(
        .init(
          "", match.host + (match.satisfied ? " satisfies the policy" : ": \(match.reason ?? "?")"),
          .rated(match.satisfied ? .secure : mode == .enforce ? .broken : .weak)))
    }
    if let error { facts.append(.init("broken", error, .warning)) }
    return facts
  }
}

extension ProbeReport.TLSRPTReport {
  /// Where failure reports go, or why the record is invalid.
  public var fact: EvidenceFact {
    error.map { EvidenceFact("TLS-RPT", "invalid (\($0))", .warning) }
      ?? EvidenceFact("TLS-RPT", "reports go to \(rua.joined(separator: ", "))")
  }
}

extension ProbeReport.Lookup {
  /// `example.net. MX: secure  10 mx.example.net.`, with the validator's reason for a bogus answer:
  /// the lookup as both the CLI and the explorer write it.
  public var fact: EvidenceFact {
    let records = self.records.isEmpty ? "" : "  " + self.records.joined(separator: ", ")
    return EvidenceFact(
      "\(name) \(type)", status.rawValue + (reason.map { " (\($0))" } ?? "") + records,
      status == .secure ? .rated(.secure) : status == .bogus ? .rated(.broken) : .plain)
  }
}

extension Fix {
  /// The fix as rows: the finding with its severity, what to do, then what to publish, verbatim (a
  /// file's body line by line, under its URL).
  public var facts: [EvidenceFact] {
    var facts = [
      EvidenceFact(severity.rawValue, finding, severity == .advice ? .plain : .warning),
      EvidenceFact("do", text),
    ]
    for item in items {
      facts.append(EvidenceFact("", item.line, .publish))
      if item.kind == .file {
        for line in item.value.split(separator: "\n") {
          facts.append(EvidenceFact("", "  " + line, .publish))
        }
      }
    }
    return facts
  }
}

extension AuthenticityReport {
  /// SPF and DMARC as rows: each judged with its rating, then what was found and what is wrong.
  public var facts: [EvidenceFact] {
    var facts: [EvidenceFact] = []
    facts.append(.init("", "SPF " + (spf.record ?? "(none)"), .rated(spf.rating)))
    if spf.record != nil {
      facts.append(
        .init(
          "DNS lookups",
          "\(spf.lookups) of \(AuthenticityCheck.lookupLimit), \(spf.voidLookups) void of "
            + "\(AuthenticityCheck.voidLookupLimit)"
            + (spf.includes.isEmpty ? "" : " (through \(spf.includes.joined(separator: ", ")))")))
    }
    for problem in spf.problems { facts.append(.init("why", problem, .warning)) }
    facts.append(
      .init(
        "", "DMARC " + (dmarc.record.map { "\($0)" + (dmarc.foundAt.map { " (\($0))" } ?? "") } ?? "(none)"),
        .rated(dmarc.rating)))
    for destination in dmarc.externalDestinations {
      facts.append(
        .init(
          "reports to",
          "\(destination.address): " + (destination.authorized ? "authorized" : "not authorized"),
          destination.authorized ? .plain : .warning))
    }
    for problem in dmarc.problems { facts.append(.init("why", problem, .warning)) }
    if dkim.isEmpty {
      facts.append(
        .init("DKIM", "no key at the common selectors (give yours with --dkim-selector)", .plain))
    }
    for key in dkim {
      let shape = key.keyType.map { "\($0.rawValue)" + (key.bits.map { " \($0) bits" } ?? "") } ?? "no key"
      facts.append(.init("", "DKIM \(key.selector): \(shape)", .rated(key.rating)))
      for problem in key.problems { facts.append(.init("why", problem, .warning)) }
    }
    return facts
  }
}
