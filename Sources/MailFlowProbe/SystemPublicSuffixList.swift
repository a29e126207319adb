import Foundation
import MailFlowReport

extension PublicSuffixList {
  /// The system's list (Debian's `publicsuffix` package), read once and only when a DMARC lookup needs
  /// an organisational domain; `nil` when it is missing, too large or holds no rules (the DMARC check
  /// then takes the last two labels and says so).
  static let system: PublicSuffixList? = {
    guard let handle = FileHandle(forReadingAtPath: systemPath) else { return nil }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: maximumBytes + 1), data.count <= maximumBytes,
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    return try? PublicSuffixList(text)
  }()
}
