import Foundation
import PackagePlugin

/// Compiles the package's `Assets/` folder into the target as Swift string literals, so the built-in
/// knowledge base travels inside the binary and never depends on where the source tree was.
@main
struct EmbedAssets: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let assets = context.package.directoryURL.appending(path: "Assets")
    let names = try FileManager.default.contentsOfDirectory(atPath: assets.path(percentEncoded: false))
      .filter { $0.hasSuffix(".json") }
      .sorted()
    let inputs = names.map { assets.appending(path: $0) }
    let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinAssets.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(names.count) knowledge-base files from Assets/",
        executable: try context.tool(named: "AssetEmbedder").url,
        arguments: [output.path(percentEncoded: false)] + inputs.map { $0.path(percentEncoded: false) },
        inputFiles: inputs,
        outputFiles: [output]
      )
    ]
  }
}
