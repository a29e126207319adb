import MailFlowReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension PublicSuffixList {
  /// The system's list (Debian's `publicsuffix` package), read once and only when a DMARC lookup needs
  /// an organisational domain; `nil` when it is missing, too large or holds no rules (the DMARC check
  /// then takes the last two labels and says so).
  static let system: PublicSuffixList? = {
    guard let size = (try? FileManager.default.attributesOfItem(atPath: systemPath))?[.size] as? Int,
      size <= maximumBytes, let data = try? Data(contentsOf: URL(fileURLWithPath: systemPath)),
      data.count <= maximumBytes, let text = String(data: data, encoding: .utf8)
    else { return nil }
    return try? PublicSuffixList(text)
  }()
}
