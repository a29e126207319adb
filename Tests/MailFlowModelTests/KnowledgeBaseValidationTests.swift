import Foundation
import MailFlowAssets
import MailFlowModel
import Testing

/// Each kind of broken knowledge base gives one precise message: file, key path, problem, position.
@Suite("Knowledge-base validation")
struct KnowledgeBaseValidationTests {
  /// The built-in files with one textual edit applied to one of them.
  func load(editing file: String, replace old: String, with new: String) -> KnowledgeBaseError? {
    var files = BuiltinKnowledge.files
    let original = files[file]!
    precondition(original.contains(old), "fixture text not found in \(file): \(old)")
    files[file] = original.replacingFirst(old, with: new)
    do {
      _ = try KnowledgeBaseLoader.load(files: files)
      return nil
    } catch {
      return error
    }
  }

  @Test func unknownRoleInAHop() throws {
    let error = try #require(load(editing: "hops.json", replace: #""to": ["MSA"]"#, with: #""to": ["MSX"]"#))
    #expect(error.file == "hops.json")
    #expect(error.path == "hops[0].to[0]")
    #expect(error.problem == #"unknown role "MSX" (did you mean "MSA"?)"#)
    #expect(error.location?.line == 9)
  }

  @Test func rfcReferencedButNotCatalogued() throws {
    let error = try #require(
      load(
        editing: "roles.json", replace: #""rfcs": [5598, 6409, 8314]"#, with: #""rfcs": [5598, 6409, 8315]"#))
    #expect(
      error.description.hasPrefix(
        "roles.json: roles[0].rfcs[2]: RFC 8315 is referenced but not in the catalogue"))
  }

  @Test func portOutOfRange() throws {
    let error = try #require(
      load(editing: "protocols.json", replace: #""port": 25,"#, with: #""port": 70000,"#))
    #expect(error.path == "protocols[0].port")
    #expect(error.problem == "70000 is out of range (1–65535)")
  }

  @Test func portThatIsNotAnInteger() throws {
    let error = try #require(
      load(editing: "protocols.json", replace: #""port": 25,"#, with: #""port": 25.5,"#))
    #expect(error.problem == "expected an integer, found 25.5")
  }

  @Test func duplicateID() throws {
    let error = try #require(load(editing: "roles.json", replace: #""id": "MSA""#, with: #""id": "MUA""#))
    #expect(error.description.hasPrefix(#"roles.json: roles[1]: duplicate id "MUA" (first at roles[0])"#))
  }

  @Test func duplicateRFCNumber() throws {
    let error = try #require(
      load(editing: "rfcs.json", replace: #""number": 2033"#, with: #""number": 1939"#))
    #expect(error.problem.hasPrefix(#"duplicate id "1939""#))
  }

  @Test func badJSONSyntaxIsLocated() throws {
    let error = try #require(
      load(editing: "modes.json", replace: #""rating": "weak","#, with: #""rating": "weak""#))
    #expect(error.file == "modes.json")
    #expect(error.problem == #"invalid JSON: expected ',' or '}' after member "rating", found '"'"#)
    #expect(error.location == SourceLocation(line: 20, column: 7))
  }

  @Test func missingFile() throws {
    var files = BuiltinKnowledge.files
    files["threats.json"] = nil
    #expect(throws: KnowledgeBaseError(file: "threats.json", path: "", problem: "file is missing")) {
      try KnowledgeBaseLoader.load(files: files)
    }
  }

  @Test func unknownMemberWithSuggestion() throws {
    let error = try #require(
      load(editing: "hops.json", replace: #""direction": "pull""#, with: #""directon": "pull""#))
    #expect(error.problem == #"unknown member "directon" (did you mean "direction"?)"#)
    #expect(error.path == "hops[4]")
  }

  @Test func missingRequiredMember() throws {
    let error = try #require(
      load(editing: "roles.json", replace: #""name": "Message Store","#, with: ""))
    #expect(error.path == "roles[5].name")
    #expect(error.problem == "missing required member")
  }

  @Test func wrongType() throws {
    let error = try #require(
      load(editing: "protocols.json", replace: #""implicitTLS": true"#, with: #""implicitTLS": "yes""#))
    #expect(error.problem == "expected true or false, found a string")
  }

  @Test func unknownRatingWord() throws {
    let error = try #require(
      load(editing: "modes.json", replace: #""rating": "weak""#, with: #""rating": "meh""#))
    #expect(error.problem.hasPrefix(#""meh" is not one of "secure", "weak""#))
  }

  @Test func measurementRatingInAMode() throws {
    let error = try #require(
      load(editing: "modes.json", replace: #""rating": "weak""#, with: #""rating": "unknown""#))
    #expect(error.problem.hasPrefix(#""unknown" describes a measurement"#))
  }

  @Test func missingRequiredHop() throws {
    let error = try #require(
      load(editing: "hops.json", replace: #""id": "outbound""#, with: #""id": "outgoing""#))
    #expect(error.problem == #"required hop "outbound" is missing"#)
  }

  @Test func unknownModeInAnOptionSuggestsTheRightOne() throws {
    let error = try #require(
      load(
        editing: "hops.json", replace: #"{ "protocol": "smtp", "mode": "starttls" }"#,
        with: #"{ "protocol": "smtp", "mode": "startls" }"#))
    #expect(error.path == "hops[2].options[1].mode")
    #expect(error.problem == #"unknown mode "startls" (did you mean "starttls"?)"#)
  }

  @Test func networkOptionWithoutProtocol() throws {
    let error = try #require(
      load(
        editing: "hops.json", replace: #"{ "protocol": "smtp", "mode": "cleartext" }"#,
        with: #"{ "mode": "cleartext" }"#))
    #expect(error.path == "hops[2].options[0].protocol")
  }

  @Test func threatThatBothFallsToAndStopsAMode() throws {
    let error = try #require(
      load(
        editing: "threats.json", replace: #""affects": ["cleartext"],"#,
        with: #""affects": ["cleartext", "starttls"],"#))
    #expect(error.problem == #"mode "starttls" is listed both in affects and defendedBy"#)
  }

  @Test func emptyString() throws {
    let error = try #require(
      load(editing: "roles.json", replace: #""name": "Mail Exchanger""#, with: #""name": "  ""#))
    #expect(error.problem == "must not be empty")
  }

  @Test func idWithSpaces() throws {
    let error = try #require(
      load(editing: "threats.json", replace: #""id": "mx-spoofing""#, with: #""id": "mx spoofing""#))
    #expect(error.problem.contains("may contain only letters, digits and '-'"))
  }

  @Test func messageIsOneLine() throws {
    let error = try #require(load(editing: "hops.json", replace: #""to": ["MSA"]"#, with: #""to": ["MSX"]"#))
    #expect(!error.description.contains("\n"))
    #expect(
      error.description
        == #"hops.json: hops[0].to[0]: unknown role "MSX" (did you mean "MSA"?) (line 9, column 14)"#)
  }
}

extension String {
  func replacingFirst(_ old: String, with new: String) -> String {
    guard let range = range(of: old) else { return self }
    return replacingCharacters(in: range, with: new)
  }
}
