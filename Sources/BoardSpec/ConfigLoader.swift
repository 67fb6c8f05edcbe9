import BoardSupport
import Foundation

/// Reads every `*.yaml`/`*.yml` file under the config folder, validates each document against its
/// kind's schema, resolves references, and decodes the typed model from the same value trees.
///
/// Every problem in every file is collected; the result has a `Config` only when none is an error.
public struct ConfigLoader: Sendable {
  public var platforms: [PlatformDescriptor]
  /// Walking stops with an error past this many folders.
  public var folderLimit = ConfigLoader.defaultFolderLimit

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
      files = try Self.yamlFiles(in: directory, folderLimit: folderLimit)
    } catch let error as WalkError {
      return Result(config: nil, diagnostics: [.error(error.description, at: nil)])
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
      if read.stopped { assembler.unparsedFiles.append(path) }
      for document in read.documents {
        assembler.add(document, file: path)
      }
    }
    var result = assembler.finish()
    result.config?.files = files.map(\.path)
    result.diagnostics = result.diagnostics.sortedByLocation()
    return result
  }

  /// Why walking the config folder stopped, naming the path.
  struct WalkError: Error, CustomStringConvertible {
    var description: String
  }

  /// Folders not worth walking even when the config folder contains them: the kernel's
  /// pseudo-file systems (`--config /` must neither hang nor read `/proc`).
  static let pseudoFileSystems: Set<String> = ["/proc", "/sys", "/dev", "/run"]
  /// More folders than any configuration has: `--config` points somewhere else.
  public static let defaultFolderLimit = 10_000

  /// Every YAML file under `directory`, depth-first, in byte order of their relative paths;
  /// hidden files and folders are skipped. Links are followed, each real folder once (a link
  /// back up does not loop). A YAML file or folder that cannot be read is an error naming it,
  /// never skipped: a posting silently missing would be closed by the next apply.
  static func yamlFiles(in directory: String, folderLimit: Int = defaultFolderLimit) throws -> [String] {
    let manager = FileManager.default
    var found: [String] = []
    var seen: Set<[UInt64]> = []
    func identity(_ path: String) -> [UInt64]? {
      var info = stat()
      guard stat(path, &info) == 0 else { return nil }
      return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }
    func walk(_ folder: String) throws {
      guard let id = identity(folder), seen.insert(id).inserted else { return }
      if pseudoFileSystems.contains(RealPath.of(folder)) { return }
      guard seen.count <= folderLimit else {
        throw WalkError(
          description:
            "the config folder holds more than \(folderLimit) folders; --config should name the folder of YAML files (boards.d)"
        )
      }
      let entries: [String]
      do {
        entries = try manager.contentsOfDirectory(atPath: folder)
      } catch {
        throw WalkError(description: "cannot list folder '\(folder)' (check its permissions)")
      }
      for entry in entries.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !entry.hasPrefix(".") {
        let path = folder.hasSuffix("/") ? folder + entry : folder + "/" + entry
        let isYAML = entry.hasSuffix(".yaml") || entry.hasSuffix(".yml")
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
          // A link whose target is gone: a YAML file that cannot be read is an error.
          if isYAML {
            throw WalkError(description: "cannot read '\(path)': it is a link to something that does not exist")
          }
          continue
        }
        if isDirectory.boolValue {
          try walk(path)
        } else if isYAML {
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
