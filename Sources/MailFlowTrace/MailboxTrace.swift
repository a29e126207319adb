import MailFlowModel

/// Each message of a mailbox traced on its own: a header section in, its journey or the reason it was
/// left out. Batches are traced on every core; the results come back in order.
public enum MailboxTrace {
  public enum Outcome: Sendable {
    case traced(TraceReport)
    case skipped(String)
  }

  /// One message; reasons are a few fixed words, so the summary can count them.
  public static func trace(_ header: [UInt8], skipped: String? = nil, organisations: Organisations = .plain)
    -> Outcome
  {
    if let skipped { return .skipped(skipped) }
    let section: HeaderSection
    do {
      section = try HeaderSection.parse(header)
    } catch {
      switch error {
      case .empty: return .skipped("empty message")
      case .noHeaderSection: return .skipped("no header section")
      case .notAHeader: return .skipped("not an e-mail message")
      }
    }
    do {
      return .traced(try TraceAnalyzer.analyze(section, organisations: organisations))
    } catch {
      return .skipped("no Received fields")
    }
  }

  /// Many messages, in order, on every core.
  public static func trace(
    _ batch: [(header: [UInt8], skipped: String?)], organisations: Organisations = .plain
  )
    -> [Outcome]
  {
    // A message is a large piece of work: handed out a few at a time.
    return ParallelMap.map(batch, minimumChunk: 1, sequentialBelow: 2) {
      trace($0.header, skipped: $0.skipped, organisations: organisations)
    }
  }
}
