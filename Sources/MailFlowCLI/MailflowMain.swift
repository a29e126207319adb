import ArgumentParser
import TerminalUI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Runs the command line and turns every outcome into the documented exit status, with errors on one
/// line of stderr. Never lets an error escape as a trap.
public enum MailflowMain {
  @MainActor public static func run(_ arguments: [String]) async -> Int32 {
    if arguments == ["--version"] {
      // ArgumentParser's answer, without building the command tree and its help only to print one line.
      print(MailflowCommand.configuration.version)
      return CLIError.ExitStatus.success.rawValue
    }
    do {
      var command = try MailflowCommand.parseCommand(arguments)
      if var asynchronous = command as? any AsyncParsableCommand {
        try await asynchronous.run()
      } else {
        try command.run()
      }
      return CLIError.ExitStatus.success.rawValue
    } catch let error as CLIError {
      report(error.message)
      return error.status.rawValue
    } catch {
      let code = MailflowCommand.exitCode(for: error)
      if code == .success {
        // --help and --version are requests, not failures.
        print(MailflowCommand.fullMessage(for: error))
        return CLIError.ExitStatus.success.rawValue
      }
      if let exit = error as? ExitCode { return exit.rawValue }
      let message = MailflowCommand.message(for: error)
      if code == .validationFailure {
        report("\(message) (see 'mailflow --help')")
        return CLIError.ExitStatus.badInput.rawValue
      }
      report(message)
      return CLIError.ExitStatus.internalFailure.rawValue
    }
  }

  static func report(_ message: String) {
    // Errors quote file names, arguments and server text: shown safely like all other output.
    let line = TerminalSafe.visible(message.split(separator: "\n").joined(separator: " "))
    FilePath.writeStandardError("mailflow: error: \(line)\n")
  }
}
