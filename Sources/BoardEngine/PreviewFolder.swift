import BoardCore
import BoardSpec
import Foundation

/// The folder `boardctl preview` serves: the careers site rendered from boards.d into a
/// temporary folder, rendered again when a file of boards.d or a layout changes (looked at,
/// at most twice a second, when a page is asked for).
public actor PreviewFolder {
  public let layout: ProjectLayout
  public let boardName: String?
  private let root: String
  private var generation = 0
  private var current: String?
  private var fingerprint = ""
  private var layouts: [String] = []
  private var lastLook: ContinuousClock.Instant?
  /// Why the last render failed, while it stays failed: the preview shows it instead of a page.
  private var failure: String?

  /// Creates the temporary folder; nothing is rendered until `site()`.
  public init(layout: ProjectLayout, board: String?) throws {
    self.layout = layout
    boardName = board
    let base = FileManager.default.temporaryDirectory.path + "/boardctl-preview-XXXXXX"
    var template = Array(base.utf8CString)
    guard let made = mkdtemp(&template) else {
      throw EngineError.user("cannot create a folder for the preview in \(FileManager.default.temporaryDirectory.path)")
    }
    root = String(cString: made)
  }

  /// What a request sees: the folder of the latest good render and its board and page count, or
  /// why rendering failed.
  public enum Site: Sendable {
    case rendered(folder: String, board: String, pages: Int)
    case failed(String)
  }

  private var rendered: (board: String, pages: Int)?

  /// The site, rendered again first when its inputs changed since the last look.
  public func site() async -> Site {
    let now = ContinuousClock.now
    if let lastLook, now - lastLook < .milliseconds(500), let current, let rendered, failure == nil {
      return .rendered(folder: current, board: rendered.board, pages: rendered.pages)
    }
    lastLook = now
    let seen = inputsFingerprint()
    if seen != fingerprint || (current == nil && failure == nil) {
      fingerprint = seen
      await render()
    }
    if let failure { return .failed(failure) }
    guard let current, let rendered else { return .failed("nothing rendered yet") }
    return .rendered(folder: current, board: rendered.board, pages: rendered.pages)
  }

  /// The first render: a configuration that does not load is the command's error, not a page.
  public func start() async throws -> (board: String, pages: Int) {
    lastLook = ContinuousClock.now
    fingerprint = inputsFingerprint()
    try await renderNext()
    return rendered!
  }

  private func render() async {
    do {
      try await renderNext()
      failure = nil
    } catch {
      let diagnostics = (error as? EngineError)?.diagnostics.sortedByLocation() ?? []
      failure = (diagnostics.map(\.description) + ["\(error)"]).joined(separator: "\n")
    }
  }

  private func renderNext() async throws {
    generation += 1
    let mine = generation
    let folder = root + "/\(generation)"
    do {
      let workspace = try CheckedWorkspace.load(layout)
      let preview = try SitePreview(workspace, board: boardName)
      layouts = ["layout", "index_layout"].compactMap { preview.board.settings?[$0]?.string }.map {
        workspace.environment.resolve($0)
      }
      let pages = try await preview.render(into: folder)
      // Requests can overlap a render: one that began later has the newer files, so it wins.
      guard mine == generation else {
        try? FileManager.default.removeItem(atPath: folder)
        return
      }
      if let old = current { try? FileManager.default.removeItem(atPath: old) }
      current = folder
      rendered = (preview.board.name, pages)
    } catch {
      try? FileManager.default.removeItem(atPath: folder)
      throw error
    }
  }

  /// Size and modification time of every file under boards.d and of the board's layouts: any
  /// edit changes it.
  private func inputsFingerprint() -> String {
    var parts: [String] = []
    let base = layout.configDirectory
    if let walker = FileManager.default.enumerator(atPath: base) {
      while let relative = walker.nextObject() as? String {
        parts.append(relative + "=" + Self.stamp(base + "/" + relative))
      }
    }
    for path in layouts { parts.append(path + "=" + Self.stamp(path)) }
    return parts.sorted().joined(separator: "\n")
  }

  private static func stamp(_ path: String) -> String {
    var info = stat()
    guard stat(path, &info) == 0 else { return "-" }
    return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
  }

  /// Removes the temporary folder.
  public func remove() {
    try? FileManager.default.removeItem(atPath: root)
  }
}
