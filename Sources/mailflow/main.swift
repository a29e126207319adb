import Foundation
import MailFlowCLI

exit(MailflowMain.run(Array(CommandLine.arguments.dropFirst())))
