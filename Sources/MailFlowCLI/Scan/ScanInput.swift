import MailFlowDNS

/// A scan's list of domains: one per line, blank lines and `#` comments skipped, each domain checked
/// (a bad line is reported with its number and skipped, never fatal) and probed once however often it
/// appears.
struct ScanInput: Equatable {
  struct BadLine: Equatable {
    var number: Int
    var reason: String
  }

  /// In the order given, each once: the domain as DNS sends it (ASCII, no trailing dot).
  var domains: [String] = []
  var badLines: [BadLine] = []
  var duplicates = 0

  init(_ text: String) {
    var seen: Set<String> = []
    var number = 0
    // "\r\n" is one Character: split on every line ending, CRLF included.
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      number += 1
      // A comment may follow the domain on its line.
      let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let word = content.trimmingCharacters(in: " \t\r")
      guard !word.isEmpty else { continue }
      guard !word.contains(" ") && !word.contains("\t") else {
        badLines.append(BadLine(number: number, reason: "more than one word"))
        continue
      }
      do {
        let name = try DomainName(word)
        let ascii = String(name.ascii.dropLast())
        guard ascii.contains(".") else {
          badLines.append(BadLine(number: number, reason: "'\(word)' has a single label"))
          continue
        }
        if seen.insert(ascii).inserted { domains.append(ascii) } else { duplicates += 1 }
      } catch {
        badLines.append(BadLine(number: number, reason: "'\(word)' is not a domain: \(error)"))
      }
    }
  }
}

/// `--shard K/N`: the domains whose stable hash falls in shard K (0 to N-1) of N, so N machines or
/// processes split one list without talking to each other (a Kubernetes Indexed Job passes its
/// `JOB_COMPLETION_INDEX` as K). The hash is FNV-1a over the domain's ASCII form: the same on every
/// machine and in every version.
struct ScanShard: Equatable {
  var index: Int
  var count: Int

  init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
      count <= 1_000_000,
      (0..<count).contains(index)
    else { return nil }
    self.index = index
    self.count = count
  }

  func contains(_ domain: String) -> Bool { Int(Self.hash(domain) % UInt64(count)) == index }

  static func hash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.lowercased().utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0100_0000_01b3
    }
    return hash
  }
}
