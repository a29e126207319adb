import MailFlowCLI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

exit(await MailflowMain.run(Array(CommandLine.arguments.dropFirst())))
