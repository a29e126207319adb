import Foundation
import MailFlowCLI

exit(await MailflowMain.run(Array(CommandLine.arguments.dropFirst())))
