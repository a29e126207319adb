import Foundation
import Testing

/// Compares text with a snapshot file stored beside the test (`__Snapshots__/NAME.txt`).
///
/// A missing snapshot, or any snapshot while `RECORD_SNAPSHOTS=1`, is written and the test fails, so a
/// recording run can never pass by accident. Review the new file, then run the tests again.
public func assertSnapshot(
  _ actual: String, named name: String, extension pathExtension: String = "txt", filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent(
    "__Snapshots__")
  let file = directory.appendingPathComponent("\(name).\(pathExtension)")
  let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
  guard !recording, let expected = try? String(contentsOf: file, encoding: .utf8) else {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try actual.write(to: file, atomically: true, encoding: .utf8)
      Issue.record(
        "Recorded snapshot \(file.path); review it and run the tests again.", sourceLocation: sourceLocation)
    } catch {
      Issue.record("Cannot record snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
    }
    return
  }
  guard actual != expected else { return }
  let actualLines = actual.components(separatedBy: "\n")
  let expectedLines = expected.components(separatedBy: "\n")
  let line =
    zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    ?? min(actualLines.count, expectedLines.count)
  let got = line < actualLines.count ? actualLines[line] : "<end>"
  let want = line < expectedLines.count ? expectedLines[line] : "<end>"
  Issue.record(
    """
    Snapshot \(name) differs at line \(line + 1):
      expected: \(want)
      actual:   \(got)
    (RECORD_SNAPSHOTS=1 re-records after a deliberate change.)
    """, sourceLocation: sourceLocation)
}

/// The built `mailflow` executable, next to the test bundle in the build products folder.
public var mailflowExecutable: URL { builtExecutable("mailflow") }

/// A product built with the tests, next to the test bundle in the build products folder.
public func builtExecutable(_ name: String) -> URL {
  let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  var directory = own.deletingLastPathComponent()
  // The test runner may live inside `NAME.xctest/` on some platforms.
  while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" {
    directory.deleteLastPathComponent()
  }
  return directory.appendingPathComponent(name)
}

/// The result of running the real binary.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Runs `mailflow` with arguments, environment and working directory, and waits for it.
public func runMailflow(
  _ arguments: [String], environment: [String: String] = ["LANG": "C.UTF-8"], directory: String? = nil,
  stdin: String? = nil, executable: URL = mailflowExecutable
) throws -> ProcessResult {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  process.environment = environment
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  if let stdin {
    let input = Pipe()
    process.standardInput = input
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
  } else {
    process.standardInput = FileHandle.nullDevice
  }
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return ProcessResult(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary folder, removed by the caller.
public func makeTemporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "mailflow-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The header of a message with `fields` Received fields (20,000 make 2.9 MB, seconds to read in a
/// debug build), for tests that need a message that is slow to open.
public func hugeMessage(fields: Int = 20_000) -> String {
  var text = ""
  for i in 0..<fields {
    text +=
      "Received: from mx\(i).example.org (mx\(i).example.org [192.0.2.\(i % 250)]) by "
      + "mx\(i + 1).example.net with ESMTPS id X\(i); Mon, 30 Nov 2026 10:00:00 +0000\r\n"
  }
  return text + "Subject: huge\r\n\r\nbody\r\n"
}
