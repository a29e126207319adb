import MailFlowDNS
import MailFlowReport

extension AuthenticityCheck {
  /// The SPF and DMARC checks' lookups through the probe's own (DNSSEC-validating) resolver: each
  /// TXT record's strings joined, MX exchanges, A addresses.
  static func lookup(_ resolver: DNSResolver) -> Lookup {
    { name, type in
      let recordType: RecordType =
        switch type {
        case .txt: .txt
        case .mx: .mx
        case .a: .a
        }
      let answer = await resolver.query(name, recordType)
      let records = answer.records.compactMap { record -> String? in
        switch record {
        case .txt(let strings): strings.joined()
        case .mx(_, let exchange): exchange
        case .a(let address): address
        default: nil
        }
      }
      return Answer(status: answer.status, records: records)
    }
  }
}
