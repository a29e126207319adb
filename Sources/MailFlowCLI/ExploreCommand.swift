import ArgumentParser
import Foundation
import MailFlowExplorer
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

  @Flag(help: .hidden) var exitAfterFirstFrame = false

  func run() throws {
    let base = try global.knowledgeBase()
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
    let outcome = ExplorerLoop.run(
      &state, terminal: terminal, pendingSignal: terminal.takePendingSignal,
      afterFirstFrame: { exitAfterFirstFrame })
    terminal.end()
    if case .signal(let number) = outcome { throw ExitCode(128 + number) }
  }
}
