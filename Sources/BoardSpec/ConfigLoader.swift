import BoardSupport
import Foundation

/// Reads every `*.yaml`/`*.yml` file under the config folder, validates each document against its
/// kind's schema, resolves references, and decodes the typed model from the same value trees.
///
/// Every problem in every file is collected; the result has a `Config` only when none is an error.
public struct ConfigLoader: Sendable {
  public var platforms: [PlatformDescriptor]

  public init(platforms: [PlatformDescriptor]) {
    self.platforms = platforms
  }

  public struct Result: Sendable {
    public var config: Config?
    public var diagnostics: [Diagnostic]
    /// The Workspace document if it was valid, even when other documents were not.
    public var workspace: Workspace?
    /// Every document that was valid on its own, even when others were not: later checks run on
    /// it so that one run reports as many problems as possible.
    public var partial: Config?

    public init(config: Config?, diagnostics: [Diagnostic], workspace: Workspace? = nil, partial: Config? = nil) {
      self.config = config
      self.diagnostics = diagnostics
      self.workspace = workspace
      self.partial = partial
    }
  }

  /// Loads the folder at `directory` (as the user typed it; positions are reported relative to it).
  public func load(directory: String) -> Result {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
      return Result(
        config: nil,
        diagnostics: [
          .error(
            "config folder '\(directory)' does not exist", at: nil,
            notes: ["run boardctl from the repository root, or pass --config DIR (or set BOARDCTL_CONFIG)"])
        ])
    }
    guard isDirectory.boolValue else {
      return Result(config: nil, diagnostics: [.error("'\(directory)' is a file; --config takes a folder", at: nil)])
    }
    let files: [String]
    do {
      files = try Self.yamlFiles(in: directory)
    } catch {
      return Result(
        config: nil,
        diagnostics: [.error("cannot list config folder '\(directory)': \(error.localizedDescription)", at: nil)])
    }
    var inputs: [(path: String, text: String)] = []
    var diagnostics: [Diagnostic] = []
    var digest = ContentDigest()
    for path in files {
      guard let data = FileManager.default.contents(atPath: path) else {
        diagnostics.append(
          .error("cannot read file (check its permissions)", at: SourceLocation(file: path, line: 1, column: 1)))
        continue
      }
      guard let text = String(data: data, encoding: .utf8) else {
        diagnostics.append(.error("file is not UTF-8 text", at: SourceLocation(file: path, line: 1, column: 1)))
        continue
      }
      digest.update(path)
      digest.update(text)
      inputs.append((path, text))
    }
    var result = load(files: inputs)
    result.diagnostics = (diagnostics + result.diagnostics).sortedByLocation()
    if diagnostics.hasErrors { result.config = nil }
    result.config?.directory = directory
    result.config?.contentDigest = digest.hexDigest
    return result
  }

  /// The Workspace document alone, for commands that only need to find the state (`state`,
  /// `history`, `force-unlock`): only files that mention `Workspace` are parsed, and problems in
  /// other documents do not matter.
  public func loadWorkspace(directory: String) -> Workspace? {
    guard let files = try? Self.yamlFiles(in: directory) else { return nil }
    for path in files {
      guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
        text.contains("Workspace")
      else { continue }
      if let workspace = load(files: [(path, text)]).workspace { return workspace }
    }
    return nil
  }

  /// Loads already-read files (path, text); the pure core of `load(directory:)`.
  public func load(files: [(path: String, text: String)]) -> Result {
    // Files parse independently, so they parse in parallel; assembly stays in file order.
    let reads = Parallel.map(files.map { FileText(path: $0.path, text: $0.text) }) {
      YAMLDocumentReader.read($0.text, file: $0.path)
    }
    var assembler = ConfigAssembler(platforms: platforms)
    for (read, (path, _)) in zip(reads, files) {
      assembler.diagnostics += read.diagnostics
      for document in read.documents {
        assembler.add(document, file: path)
      }
    }
    var result = assembler.finish()
    result.config?.files = files.map(\.path)
    result.diagnostics = result.diagnostics.sortedByLocation()
    return result
  }

  /// Every YAML file under `directory`, depth-first, in byte order of their relative paths;
  /// hidden files and folders are skipped.
  static func yamlFiles(in directory: String) throws -> [String] {
    let manager = FileManager.default
    var found: [String] = []
    func walk(_ folder: String) throws {
      for entry in try manager.contentsOfDirectory(atPath: folder).sorted(by: {
        $0.utf8.lexicographicallyPrecedes($1.utf8)
      }) where !entry.hasPrefix(".") {
        let path = folder.hasSuffix("/") ? folder + entry : folder + "/" + entry
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
        if isDirectory.boolValue {
          try walk(path)
        } else if entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
          found.append(path)
        }
      }
    }
    try walk(directory)
    return found
  }
}

struct FileText: Sendable {
  var path: String
  var text: String
}
