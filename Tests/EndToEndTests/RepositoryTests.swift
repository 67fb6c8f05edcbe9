import BoardSupport
import BoardTesting
import Foundation
import Testing

/// The repository's own configurations, docs and schema stay true to the code.
@Suite("Repository examples and docs")
struct RepositoryTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static var configurations: [String] {
    let examples = (try? FileManager.default.contentsOfDirectory(atPath: root + "/examples")) ?? []
    return ["boards.d"]
      + examples.sorted().filter { !FileManager.default.fileExists(atPath: root + "/examples/\($0)/run") }
      .map { "examples/\($0)/boards.d" }
      .filter { FileManager.default.fileExists(atPath: root + "/" + $0) }
  }

  /// Examples that need more than a config folder (a simulator, a key) ship a `run` script.
  static var scripted: [String] {
    let examples = (try? FileManager.default.contentsOfDirectory(atPath: root + "/examples")) ?? []
    return examples.sorted().filter { FileManager.default.isExecutableFile(atPath: root + "/examples/\($0)/run") }
  }

  /// A copy of the repository's configuration in a temp folder, so tests never write into the checkout.
  static func copy(_ config: String) async throws -> TemporaryFolder {
    let folder = TemporaryFolder()
    let source = URL(fileURLWithPath: root + "/" + config).deletingLastPathComponent()
    for entry in try FileManager.default.contentsOfDirectory(atPath: source.path)
    where !["public", ".boardctl"].contains(entry) {
      try FileManager.default.copyItem(atPath: source.path + "/" + entry, toPath: folder.path + "/" + entry)
    }
    return folder
  }

  @Test("boards.d and every example validate, apply, and then plan no changes", arguments: configurations)
  func examplesWork(_ config: String) async throws {
    let folder = try await Self.copy(config)
    let boardctl = Boardctl(folder)
    let validate = try await boardctl.run("validate")
    #expect(validate.status == 0, "\(validate.stderr)")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
  }

  @Test("examples with a run script run to the end: the last plan has no changes", arguments: scripted)
  func scriptedExamplesRun(_ example: String) async throws {
    var environment = ProcessInfo.processInfo.environment
    environment["BOARDCTL_BIN_DIR"] = URL(fileURLWithPath: Boardctl.binary).deletingLastPathComponent().path
    let run = try await ChildProcess(Self.root + "/examples/\(example)/run", environment: environment).run()
    let output = run.standardOutput
    #expect(run.status == 0, "\(output)\(run.standardError)")
    let last = output.split(separator: "\n").last ?? ""
    #expect(
      last == "No changes. The boards match the configuration."
        || last == "Plan: 0 to add, 0 to change, 0 to close, 0 to destroy. Sync: nothing to move.", "\(output)")
  }

  /// Checks that every configuration file under the folder it runs in starts with the
  /// yaml-language-server modeline and that each document validates against the JSON Schema the
  /// modeline names; prints how many documents it checked.
  static let schemaCheck = """
    import glob, json, os, sys, yaml, jsonschema
    files = sorted(f for pattern in sys.argv[1:] for f in glob.glob(pattern, recursive=True))
    count = 0
    for path in files:
        text = open(path).read()
        assert text.startswith('# yaml-language-server: $schema='), path
        target = os.path.normpath(os.path.join(os.path.dirname(path), text.split('\\n')[0].split('$schema=')[1]))
        schema = json.load(open(target))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for doc in yaml.safe_load_all(text):
            if doc is None: continue
            # YAML dates load as date objects; the schema sees the text, as editors do.
            doc = json.loads(json.dumps(doc, default=str))
            errors = list(validator.iter_errors(doc))
            assert not errors, (path, [e.message for e in errors])
            count += 1
    print(count)
    """

  /// Runs `schemaCheck` in `directory` on the files matching `patterns`: the documents checked.
  static func checkSchema(in directory: String, _ patterns: [String]) async throws -> Int {
    let run = try await ChildProcess("/usr/bin/env", ["python3", "-c", schemaCheck] + patterns, directory: directory)
      .run()
    #expect(run.status == 0, "\(run.standardError)")
    return Int(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
  }

  @Test("every configuration file carries the yaml-language-server modeline and validates against the JSON Schema")
  func jsonSchema() async throws {
    let count = try await Self.checkSchema(in: Self.root, ["boards.d/**/*.yaml", "examples/*/boards.d/**/*.yaml"])
    #expect(count >= 15)
  }

  @Test("schema/boards.schema.json is what boardctl schema prints")
  func committedSchema() async throws {
    let folder = TemporaryFolder()
    let printed = try await Boardctl(folder).run("schema").stdout
    let committed = try String(contentsOfFile: Self.root + "/schema/boards.schema.json", encoding: .utf8)
    #expect(printed == committed, "regenerate with: boardctl schema > schema/boards.schema.json")
  }

  @Test("docs/configuration.md holds the reference boardctl generates")
  func configurationReference() async throws {
    let folder = TemporaryFolder()
    let printed = try await Boardctl(folder).run("schema", "--format", "markdown").stdout
    let docs = try String(contentsOfFile: Self.root + "/docs/configuration.md", encoding: .utf8)
    #expect(
      docs.hasSuffix(printed), "regenerate the tail of docs/configuration.md with: boardctl schema --format markdown")
  }
}
