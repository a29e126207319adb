/// A failure the user can act on: one line of explanation and the documented exit status.
public struct CLIError: Error, Sendable, Equatable {
  /// Exit statuses, as documented in `mailflow --help` and the README.
  public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// Something went wrong inside mailflow itself.
    case internalFailure = 1
    /// The command line, a file or another input was wrong.
    case badInput = 2
  }

  public var message: String
  public var status: ExitStatus

  public init(_ message: String, status: ExitStatus = .badInput) {
    self.message = message
    self.status = status
  }
}
