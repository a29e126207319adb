/// Dates as reports write them (`2026-12-01T03:31:59Z`), reduced to what advice needs: the day.
public enum ReportDate {
  /// Days since 1970-01-01 of an ISO 8601 date (its first ten characters), `nil` when it is not one.
  public static func days(_ iso: String) -> Int? {
    let parts = iso.prefix(10).split(separator: "-")
    guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
    else { return nil }
    // Howard Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SSZ` (UTC, as reports write it); a date alone is
  /// its midnight.
  public static func seconds(_ iso: String) -> Int? {
    guard let day = days(iso) else { return nil }
    let time = iso.dropFirst(11).prefix(8).split(separator: ":")
    guard time.count == 3, let h = Int(time[0]), let m = Int(time[1]), let s = Int(time[2]),
      (0..<24).contains(h), (0..<60).contains(m), (0...60).contains(s)
    else { return iso.count == 10 ? day * 86_400 : nil }
    return day * 86_400 + h * 3600 + m * 60 + s
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}

/// How near a certificate is to its end at a moment: the one reading of `notAfter` that the fixes,
/// `diff` and the checklist share.
public struct CertificateExpiry: Sendable, Equatable {
  public enum Stage: Sendable, Equatable {
    case fine, expiring, expired
  }

  public var stage: Stage
  /// Seconds left (negative once expired).
  public var secondsLeft: Int

  /// Whole days left; once expired, whole days since, as a negative number.
  public var days: Int { secondsLeft / 86_400 }
}

extension ProbeReport.TLS {
  /// `nil` when the certificate's end or the moment is not a date.
  public func expiry(at moment: String, warnDays: Int) -> CertificateExpiry? {
    guard let end = notAfter.flatMap(ReportDate.seconds), let now = ReportDate.seconds(moment) else {
      return nil
    }
    let left = end - now
    return CertificateExpiry(
      stage: left < 0 ? .expired : left / 86_400 < warnDays ? .expiring : .fine, secondsLeft: left)
  }
}
