import ArgumentParser
import MailFlowTrace

/// `mailflow trace FILE`: the journey a delivered message actually took, from its Received fields.
struct TraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Reconstruct a delivered message's journey from its Received fields and rate each hop.",
    discussion: """
      FILE is a message (.eml, or an mbox holding one message); '-' reads standard input. Only the
      header section is read. Each Received field is one hop, oldest first, mapped to a pipeline step
      (submission, outbound, relay, delivery) and rated by what happened to this message there: TLS 1.2 or
      newer recorded ✔, older TLS ✘, no TLS between hosts ✘✘, internal handling -, too little evidence ?.

      \(MailflowCommand.exitStatusHelp)
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The message file, or - for standard input.")
  var file: String

  @Flag(help: "Print JSON (schemaVersion, message, hops[], authentication, overall, totalSeconds).")
  var json = false

  func run() throws {
    let report = try Self.load(file)
    if json {
      print(try JSONOutput.render(report), terminator: "")
    } else {
      let base = try global.knowledgeBase()
      let style = global.style(.current())
      print(TraceFormatter.render(report, knowledge: base, style: style), terminator: "")
    }
  }

  /// Reads and analyses a message, turning every failure into a one-line error.
  static func load(_ file: String, requireRegularFile: Bool = false) throws(CLIError) -> TraceReport {
    let (bytes, _) = try HeaderFileReader.read(path: file, requireRegularFile: requireRegularFile)
    let name = file == "-" ? "standard input" : file
    do {
      let header = try HeaderSection.parse(bytes)
      return try TraceAnalyzer.analyze(header)
    } catch let error as HeaderSection.ParseError {
      throw CLIError("\(name): \(error)")
    } catch let error as TraceAnalyzer.Failure {
      throw CLIError("\(name): \(error)")
    } catch {
      throw CLIError("\(name): \(error)")
    }
  }
}
