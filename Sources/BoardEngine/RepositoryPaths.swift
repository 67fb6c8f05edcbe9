import BoardCore
import BoardSpec
import BoardSupport
import Foundation

/// Keeps every path the configuration names inside the repository, and every board's output
/// clear of what boardctl must never overwrite. Configuration from a pull request is untrusted:
/// a layout of `/proc/self/environ` would publish the runner's environment, an `output` of
/// `.boardctl` or `boards.d` would overwrite the state or the configuration.
///
/// Paths resolve against the repository root (the config folder's parent); symbolic links are
/// followed as far as the path exists, so a link cannot lead outside either. A path outside is
/// allowed only when the person running boardctl says so (`BOARDCTL_ALLOW_OUTSIDE_REPOSITORY=1`),
/// never by the configuration itself.
struct RepositoryPaths {
  let layout: ProjectLayout
  /// The real path of the repository root.
  let root: String
  let allowOutside: Bool

  static let allowVariable = "BOARDCTL_ALLOW_OUTSIDE_REPOSITORY"

  init(layout: ProjectLayout, environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.layout = layout
    root = RealPath.of(layout.root)
    allowOutside = environment[Self.allowVariable] == "1"
  }

  /// One error per path that leaves the repository, and per output that overlaps the state,
  /// the configuration, the key folder, `.git` or another board's output.
  func check(_ config: Config, platforms: [String: any Platform]) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for setting in config.paths {
      if let problem = problem(with: setting.text) {
        diagnostics.append(
          .error(
            "'\(setting.key)' \(problem); paths in the configuration stay inside the repository (\(layout.root))",
            at: setting.location,
            notes: allowOutside ? [] : ["to write outside on purpose, run boardctl with \(Self.allowVariable)=1"]))
      }
    }
    // Outputs, by real path, against what must never be overwritten and against each other.
    var protected: [(path: String, what: String)] = [
      (
        RealPath.of(layout.root + "/" + URL(fileURLWithPath: layout.configDirectory).lastPathComponent),
        "the configuration"
      ),
      (RealPath.of(layout.root + "/.git"), "the git repository"),
      (RealPath.of(layout.keyFolder), "the private key folder"),
    ]
    let statePath = config.workspace?.state.path ?? StateSettings.defaultPath
    if (config.workspace?.state.backend ?? .sqlite) == .sqlite {
      protected.append((RealPath.of(layout.resolve(statePath)), "the state"))
      protected.append((RealPath.of(layout.resolve(".boardctl")), "boardctl's own folder"))
    }
    var claimed: [(path: String, board: Board)] = []
    for board in config.boards {
      for output in platforms[board.platform]?.outputs(of: board) ?? [] where !output.isEmpty {
        let path = RealPath.of(layout.resolve(output))
        let location = board.source.location(of: "settings.output")
        if let hit = protected.first(where: { Self.overlap($0.path, path) }) {
          diagnostics.append(
            .error(
              "board '\(board.name)' writes to '\(output)', which \(hit.path == path ? "is" : "overlaps") \(hit.what); give the board an output folder of its own",
              at: location))
        } else if let other = claimed.first(where: { Self.overlap($0.path, path) }) {
          diagnostics.append(
            .error(
              "board '\(board.name)' writes to '\(output)', which overlaps board '\(other.board.name)''s output; give each board its own output",
              at: location, notes: ["'\(other.board.name)' is defined at \(other.board.source.root.location)"]))
        } else {
          claimed.append((path, board))
        }
      }
    }
    return diagnostics
  }

  /// Why `text` may not be used, or nil when it stays inside the repository.
  func problem(with text: String) -> String? {
    if text.isEmpty { return "is empty" }
    if text.contains("\0") { return "contains a NUL character" }
    if allowOutside { return nil }
    if text.hasPrefix("/") || text.hasPrefix("~") { return "is absolute ('\(text)')" }
    let lexical = Self.normalized(text)
    if lexical == ".." || lexical.hasPrefix("../") { return "leaves the repository ('\(text)')" }
    let real = RealPath.of(layout.resolve(text))
    if !(real == root || real.hasPrefix(root == "/" ? "/" : root + "/")) {
      return "leads outside the repository through a symbolic link (to \(real))"
    }
    return nil
  }

  /// Whether one path is the other or contains it.
  static func overlap(_ a: String, _ b: String) -> Bool {
    a == b || a.hasPrefix(b == "/" ? "/" : b + "/") || b.hasPrefix(a == "/" ? "/" : a + "/")
  }

  /// `path` with `.` and `..` folded, without touching the file system.
  static func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." && !part.isEmpty {
      if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
    }
    return parts.joined(separator: "/")
  }
}
