import ArgumentParser
import Foundation
import MailFlowExplorer
import MailFlowModel
import TerminalCurses

/// `mailflow explore` (and `mailflow` alone): the full-screen explorer.
struct ExploreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explore",
    abstract: "Open the interactive explorer: the diagram, the hop table and the details, and journeys.",
    discussion: """
      Keys: arrows or h/j/k/l move, Tab changes pane, Enter opens, Esc goes back, J starts a journey
      (n/b step, c changes scenario, o shows what an on-path observer reads), ? lists every key, q quits.
      Needs a terminal of at least 80×24; colours follow --color and NO_COLOR.

      \(MailflowCommand.exitStatusHelp)
        130/143/129  ended by SIGINT/SIGTERM/SIGHUP (the terminal is restored first)
      """
  )

  @OptionGroup var global: GlobalOptions

  @Option(
    help: ArgumentHelp(
      "Open a message (.eml or mbox) and step through the journey it took.", valueName: "FILE"))
  var message: String?

  @Flag(help: .hidden) var exitAfterFirstFrame = false

  /// A message's journey for the explorer, or why it could not be read.
  static func journey(forMessageAt path: String) -> Result<Journey, MessageLoadError> {
    guard path != "-" else {
      return .failure(
        MessageLoadError("standard input is the terminal here: give the path of a message file"))
    }
    do {
      let report = try TraceCommand.load(path, requireRegularFile: true)
      return .success(TraceJourney.make(report, name: (path as NSString).lastPathComponent))
    } catch {
      return .failure(MessageLoadError(error.message))
    }
  }

  func run() throws {
    let base = try global.knowledgeBase()
    if message == "-" {
      throw CLIError("--message needs a file: standard input is the terminal in the explorer")
    }
    // A message that cannot be read is reported before the screen is taken over.
    let traced = try message.map { path throws(CLIError) in
      switch Self.journey(forMessageAt: path) {
      case .success(let journey): return journey
      case .failure(let error): throw CLIError(error.message)
      }
    }
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
      throw CLIError(
        "the explorer needs an interactive terminal (stdin and stdout); for text output use 'mailflow table'")
    }
    let environment = TerminalEnvironment.current()
    // Colour on a terminal unless NO_COLOR or --color never; the terminal may still lack colour.
    let style = global.style(environment)
    let terminal: CursesTerminal
    do {
      terminal = try CursesTerminal(color: style.color, unicode: !style.ascii)
    } catch {
      throw CLIError("\(error)")
    }
    var state = ExplorerState(knowledge: base, width: 0, height: 0, ascii: style.ascii)
    if let traced { _ = ExplorerReducer.reduce(&state, .messageLoaded(.success(traced))) }
    let outcome = ExplorerLoop.run(
      &state, terminal: terminal, pendingSignal: terminal.takePendingSignal,
      afterFirstFrame: { exitAfterFirstFrame },
      perform: { effect in
        switch effect {
        case .openMessage(let path): .messageLoaded(Self.journey(forMessageAt: path))
        case .quit: nil
        }
      })
    terminal.end()
    if case .signal(let number) = outcome { throw ExitCode(128 + number) }
  }
}
