/// Punycode (RFC 3492) for one label: encoding for names typed in Unicode, decoding to show an
/// `xn--` name as its reader knows it.
public enum Punycode {
  static let base = 36
  static let tMin = 1
  static let tMax = 26
  static let skew = 38
  static let damp = 700

  static func adapt(_ delta: Int, _ points: Int, _ first: Bool) -> Int {
    var delta = first ? delta / damp : delta / 2
    delta += delta / points
    var k = 0
    while delta > ((base - tMin) * tMax) / 2 {
      delta /= base - tMin
      k += base
    }
    return k + (base - tMin + 1) * delta / (delta + skew)
  }

  /// The Unicode form of a label's Punycode part (without `xn--`), or `nil` when it is not valid.
  public static func decode(_ encoded: String) -> String? {
    let input = Array(encoded.unicodeScalars)
    guard input.count <= 63, input.allSatisfy(\.isASCII) else { return nil }
    var output: [Int] = []
    var position = 0
    if let dash = input.lastIndex(of: "-") {
      output = input[..<dash].map { Int($0.value) }
      position = dash + 1
    }
    var n = 0x80
    var i = 0
    var bias = 72
    while position < input.count {
      let old = i
      var weight = 1
      var k = base
      while true {
        guard position < input.count else { return nil }
        let c = input[position].value
        position += 1
        let digit: Int
        switch c {
        case 0x61...0x7A: digit = Int(c) - 0x61
        case 0x41...0x5A: digit = Int(c) - 0x41
        case 0x30...0x39: digit = Int(c) - 0x30 + 26
        default: return nil
        }
        let (product, overflow) = digit.multipliedReportingOverflow(by: weight)
        guard !overflow, i <= Int.max - product else { return nil }
        i += product
        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
        if digit < t { break }
        let (next, weightOverflow) = weight.multipliedReportingOverflow(by: base - t)
        guard !weightOverflow else { return nil }
        weight = next
        k += base
      }
      bias = adapt(i - old, output.count + 1, old == 0)
      // RFC 3492 §6.2: fail on overflow (here, past the last code point) rather than wrap or trap.
      guard i / (output.count + 1) <= 0x10FFFF - n else { return nil }
      n += i / (output.count + 1)
      i %= output.count + 1
      guard n < 0x110000, Unicode.Scalar(UInt32(n)) != nil, output.count < 63 else { return nil }
      output.insert(n, at: i)
      i += 1
    }
    var scalars = String.UnicodeScalarView()
    for value in output {
      guard let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
      scalars.append(scalar)
    }
    return String(scalars)
  }

  /// `bücher.example (xn--bcher-kva.example)` for a name with `xn--` labels that decode; the name as
  /// it is otherwise. Reports keep the ASCII form; people read the other.
  public static func bothForms(_ name: String) -> String {
    let labels = name.split(separator: ".", omittingEmptySubsequences: false)
    var changed = false
    let unicode = labels.map { label -> String in
      guard label.lowercased().hasPrefix("xn--"), let decoded = decode(String(label.dropFirst(4))) else {
        return String(label)
      }
      changed = true
      return decoded
    }
    return changed ? "\(unicode.joined(separator: ".")) (\(name))" : name
  }

  public static func encode(_ label: String) -> String? {
    let scalars = label.unicodeScalars.map { Int($0.value) }
    var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
    let basicCount = output.count
    if basicCount > 0 { output.append("-") }
    var n = 0x80
    var delta = 0
    var bias = 72
    var handled = basicCount
    func digit(_ d: Int) -> Character {
      Character(Unicode.Scalar(UInt8(d < 26 ? d + 97 : d + 22)))
    }
    while handled < scalars.count {
      guard let m = scalars.filter({ $0 >= n }).min() else { return nil }
      let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
      guard !overflow else { return nil }
      delta += product
      n = m
      for c in scalars {
        if c < n { delta += 1 }
        if c == n {
          var q = delta
          var k = base
          while true {
            let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
            if q < t { break }
            output.append(digit(t + (q - t) % (base - t)))
            q = (q - t) / (base - t)
            k += base
          }
          output.append(digit(q))
          bias = adapt(delta, handled + 1, handled == basicCount)
          delta = 0
          handled += 1
        }
      }
      delta += 1
      n += 1
    }
    return String(output)
  }
}
