/// An RFC 5322 date-time as found in Date and Received fields: seconds since 1970 (UTC) and the
/// writer's UTC offset. Accepts the obsolete forms real mail still carries: no weekday, two-digit years,
/// named zones (GMT, UT, EST…), missing seconds, trailing comments such as `(UTC)`.
public struct MessageDate: Sendable, Equatable, Comparable {
  public var secondsSince1970: Int
  /// The offset the writer used, in seconds east of UTC.
  public var offsetSeconds: Int

  public init(secondsSince1970: Int, offsetSeconds: Int) {
    self.secondsSince1970 = secondsSince1970
    self.offsetSeconds = offsetSeconds
  }

  public static func < (a: MessageDate, b: MessageDate) -> Bool { a.secondsSince1970 < b.secondsSince1970 }

  private static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]
  private static let zones: [String: Int] = [
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7,
  ]

  public static func parse(_ text: String) -> MessageDate? {
    canonical(text) ?? general(text)
  }

  /// Any form `parse` reads, from its tokens.
  static func general(_ text: String) -> MessageDate? {
    // Drop comments, then split on white space and commas (bytes: every separator is ASCII).
    var tokens: [String] = []
    var depth = 0
    var current: [UInt8] = []
    func flush() {
      if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
      current.removeAll(keepingCapacity: true)
    }
    for byte in text.utf8 {
      if byte == 40 {
        depth += 1
        flush()
      } else if byte == 41 {
        depth = max(0, depth - 1)
      } else if depth == 0 {
        if byte == 44 || byte == 32 || byte == 9 || byte == 10 || byte == 13 {
          flush()
        } else {
          current.append(byte)
        }
      }
      guard tokens.count < 16 else { break }  // a date has at most six; the rest is not read
    }
    flush()
    // `12: 31: 43` (a space after each colon, seen in SpamAssassin's test mail) is one time of day.
    var index = 0
    while index + 1 < tokens.count {
      if tokens[index].hasSuffix(":") {
        tokens[index] += tokens.remove(at: index + 1)
      } else {
        index += 1
      }
    }
    if let iso = isoLike(tokens) { return iso }
    return strict(tokens) ?? loose(tokens)
  }

  /// The form nearly every Received and Date field has, `[Www, ]D Mmm YYYY HH:MM[:SS] ±HHMM`, read
  /// straight from the bytes; `nil` for anything else, which `strict` and `loose` then read (a trace of
  /// thousands of hops spent most of its date time splitting tokens into strings).
  static func canonical(_ text: String) -> MessageDate? {
    var text = text
    return text.withUTF8 { bytes -> MessageDate? in
      var index = 0
      func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
      func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 || byte == 10 }
      func spaces() -> Bool {
        let start = index
        while let byte = peek(), isSpace(byte) { index += 1 }
        return index > start
      }
      func number(_ minimum: Int, _ maximum: Int) -> Int? {
        var value = 0
        let start = index
        while let byte = peek(), byte >= 48 && byte <= 57, index - start < maximum {
          value = value * 10 + Int(byte - 48)
          index += 1
        }
        guard index - start >= minimum, peek().map({ $0 < 48 || $0 > 57 }) ?? true else { return nil }
        return value
      }
      // Three letters, lowercased, as one number (`code`): no string is made per date.
      func word() -> UInt32? {
        guard index + 3 <= bytes.count else { return nil }
        var name: UInt32 = 0
        for byte in bytes[index..<index + 3] {
          guard (byte | 0x20) >= 97 && (byte | 0x20) <= 122 else { return nil }
          name = name << 8 | UInt32(byte | 0x20)
        }
        index += 3
        return name
      }
      _ = spaces()
      if let first = peek(), (first | 0x20) >= 97 && (first | 0x20) <= 122 {
        guard let weekday = word(), weekdayCodes.contains(weekday), peek() == 44 else { return nil }
        index += 1
        guard spaces() else { return nil }
      }
      guard let day = number(1, 2), day >= 1, spaces(), let monthName = word(),
        let month = monthCodes.firstIndex(of: monthName),
        spaces(), let year = number(4, 4), year >= 1, spaces(), let hour = number(2, 2), hour <= 23,
        peek() == 58
      else { return nil }
      index += 1
      guard let minute = number(2, 2), minute <= 59 else { return nil }
      var second = 0
      if peek() == 58 {
        index += 1
        guard let value = number(2, 2), value <= 60 else { return nil }
        second = value
      }
      guard spaces(), let sign = peek(), sign == 43 || sign == 45 else { return nil }
      index += 1
      guard let zone = number(4, 4), zone % 100 < 60, zone / 100 <= 23,
        peek().map({ isSpace($0) || $0 == 40 }) ?? true,
        day <= daysIn(month: month + 1, year: year)
      else { return nil }
      let offset = (zone / 100 * 3600 + zone % 100 * 60) * (sign == 45 ? -1 : 1)
      let seconds =
        daysFromCivil(year: year, month: month + 1, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        - offset
      return MessageDate(secondsSince1970: seconds, offsetSeconds: offset)
    }
  }

  private static let weekdayCodes = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(code)
  private static let monthCodes = months.map(code)

  /// A three-letter lowercase name as one number, its bytes in order.
  private static func code(_ name: String) -> UInt32 { name.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

  /// RFC 5322 and its obsolete forms: `[weekday] day month year time [zone]`.
  static func strict(_ tokens: [String]) -> MessageDate? {
    var tokens = tokens
    if let first = tokens.first, first.count >= 3, Int(first) == nil,
      months.firstIndex(of: String(first.prefix(3)).lowercased()) == nil
    {
      tokens.removeFirst()  // weekday
    }
    guard tokens.count >= 4, let day = Int(tokens[0]), (1...31).contains(day),
      let month = months.firstIndex(of: String(tokens[1].prefix(3)).lowercased()),
      var year = Int(tokens[2])
    else { return nil }
    if tokens[2].count <= 2 { year += year < 50 ? 2000 : 1900 } else if tokens[2].count == 3 { year += 1900 }
    // Bounded years keep every later computation far from overflow; the day must exist in its month.
    guard (1...9999).contains(year), day <= daysIn(month: month + 1, year: year) else { return nil }
    // Fractional seconds (SendGrid: "17:17:56.216") are dropped.
    let time = tokens[3].split(separator: ".").first.map { $0.split(separator: ":").map { Int($0) } } ?? []
    guard time.count >= 2, time.allSatisfy({ $0 != nil }), let hour = time[0], let minute = time[1],
      (0...23).contains(hour), (0...59).contains(minute)
    else { return nil }
    let second = time.count > 2 ? time[2]! : 0
    guard (0...60).contains(second) else { return nil }
    var offset = 0
    if tokens.count > 4 {
      let zone = tokens[4]
      if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5,
        let value = Int(zone.dropFirst()),
        value >= 0, value % 100 < 60, value / 100 <= 23
      {
        offset = (value / 100 * 3600 + value % 100 * 60) * (sign == "-" ? -1 : 1)
      } else if let hours = zones[zone.lowercased()] {
        offset = hours * 3600
      }
    }
    let days = daysFromCivil(year: year, month: month + 1, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
    return MessageDate(secondsSince1970: seconds, offsetSeconds: offset)
  }

  /// Dates in other orders that real Received fields carry, read only when nothing is ambiguous:
  /// asctime (`Wed Dec 24 04:09:36 2014`, qpsmtpd's `Fri Sep  6 18:13:52 2002 -0000`), a month before
  /// the day with a 12-hour clock (`Aug, 25 2002 6:19:40 AM -0100`), and a numeric day (`22/08/2002
  /// 10:04:10`, taken only when one of its first two numbers is above 12).
  static func loose(_ tokens: [String]) -> MessageDate? {
    var month: Int?
    var day: Int?
    var year: Int?
    var clock: [Int]?
    var meridiem: String?
    var offset = 0
    var small: [Int] = []
    for token in tokens {
      let lower = token.lowercased()
      if token.contains(":") {
        guard clock == nil else { continue }
        let parts = token.split(separator: ".").first.map { $0.split(separator: ":").map { Int($0) } } ?? []
        guard parts.count >= 2, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        clock = parts.map { $0! }
      } else if lower == "am" || lower == "pm" {
        meridiem = lower
      } else if let sign = token.first, sign == "+" || sign == "-", token.count == 5,
        let value = Int(token.dropFirst()), value >= 0, value % 100 < 60, value / 100 <= 23
      {
        offset = (value / 100 * 3600 + value % 100 * 60) * (sign == "-" ? -1 : 1)
      } else if let hours = zones[lower] {
        offset = hours * 3600
      } else if token.contains("/") {
        let parts = token.split(separator: "/").map { Int($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let y = parts[2], day == nil else {
          return nil
        }
        if a > 12 && b <= 12 {
          (day, month) = (a, b - 1)
        } else if b > 12 && a <= 12 {
          (day, month) = (b, a - 1)
        } else {
          return nil
        }
        year = y < 100 ? y + (y < 50 ? 2000 : 1900) : y
      } else if token.count >= 3, token.utf8.allSatisfy({ ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }),
        let index = months.firstIndex(of: String(lower.prefix(3)))
      {
        guard month == nil else { return nil }
        month = index
      } else if let number = Int(token), token.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
        if token.count == 4 {
          guard year == nil else { return nil }
          year = number
        } else if token.count <= 2 {
          small.append(number)
        }
      }
    }
    if day == nil {
      guard small.count == 1 else { return nil }
      day = small[0]
    }
    guard let month, let day, let year, var clock, (1...9999).contains(year),
      (1...daysIn(month: month + 1, year: year)).contains(day)
    else { return nil }
    if let meridiem {
      guard (1...12).contains(clock[0]) else { return nil }
      clock[0] = clock[0] % 12 + (meridiem == "pm" ? 12 : 0)
    }
    let second = clock.count > 2 ? clock[2] : 0
    guard (0...23).contains(clock[0]), (0...59).contains(clock[1]), (0...60).contains(second) else {
      return nil
    }
    let seconds =
      daysFromCivil(year: year, month: month + 1, day: day) * 86_400 + clock[0] * 3600 + clock[1] * 60
      + second
      - offset
    return MessageDate(secondsSince1970: seconds, offsetSeconds: offset)
  }

  /// Go's time format in Received fields: `2025-07-05 17:17:56.232298007 +0000 UTC m=+0.1`.
  static func isoLike(_ tokens: [String]) -> MessageDate? {
    guard tokens.count >= 3 else { return nil }
    let day = tokens[0].split(separator: "-").map { Int($0) }
    let time = tokens[1].split(separator: ".").first.map { $0.split(separator: ":").map { Int($0) } } ?? []
    guard tokens[0].count == 10, day.count == 3, let year = day[0], let month = day[1], let date = day[2],
      (1...9999).contains(year), (1...12).contains(month),
      (1...daysIn(month: month, year: year)).contains(date),
      time.count == 3, let hour = time[0], let minute = time[1], let second = time[2],
      (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
    else { return nil }
    let zone = tokens[2]
    guard let sign = zone.first, sign == "+" || sign == "-", zone.count == 5,
      let value = Int(zone.dropFirst()),
      value % 100 < 60, value / 100 <= 23
    else { return nil }
    let offset = (value / 100 * 3600 + value % 100 * 60) * (sign == "-" ? -1 : 1)
    let seconds =
      daysFromCivil(year: year, month: month, day: date) * 86_400 + hour * 3600 + minute * 60 + second
      - offset
    return MessageDate(secondsSince1970: seconds, offsetSeconds: offset)
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// ISO 8601 in UTC, e.g. `2026-11-29T01:02:03Z`, for JSON.
  public var iso8601: String {
    let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
    let secondsOfDay = secondsSince1970 - days * 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    if (1000...9999).contains(year) {
      // Written into its 20 bytes: the trace names a timestamp per hop, and interpolating seven numbers
      // cost more than reading the date did.
      return String(unsafeUninitializedCapacity: 20) { out in
        func put(_ value: Int, _ digits: Int, at offset: Int) {
          var value = value
          for position in stride(from: offset + digits - 1, through: offset, by: -1) {
            out[position] = UInt8(48 + value % 10)
            value /= 10
          }
        }
        put(year, 4, at: 0)
        out[4] = 45
        put(month, 2, at: 5)
        out[7] = 45
        put(day, 2, at: 8)
        out[10] = 84
        put(secondsOfDay / 3600, 2, at: 11)
        out[13] = 58
        put(secondsOfDay % 3600 / 60, 2, at: 14)
        out[16] = 58
        put(secondsOfDay % 60, 2, at: 17)
        out[19] = 90
        return 20
      }
    }
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(year)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay % 3600 / 60)):"
      + "\(two(secondsOfDay % 60))Z"
  }
}
