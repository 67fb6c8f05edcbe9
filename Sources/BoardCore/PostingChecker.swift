import BoardSpec
import BoardSupport

/// Resolves every (posting, board) pair and checks it against the board's platform rules, so
/// format rejections surface at validate and plan time with the posting's file position.
public enum PostingChecker {
  public struct Result: Sendable {
    public var placements: [ResolvedPosting]
    /// Placements whose `valid_through` has passed: not published; closed where they are.
    public var expired: [ResolvedPosting] = []
    public var diagnostics: [Diagnostic]
  }

  public static func check(config: Config, platforms: [String: any Platform], today: CalendarDate) -> Result {
    let publishers = platforms.compactMapValues { $0 as? any PostingPlatform }
    let resolver = PostingResolver(config: config)
    var diagnostics = resolver.diagnostics
    var placements: [ResolvedPosting] = []
    for board in config.boards {
      diagnostics += platforms[board.platform]?.problems(with: board, in: config) ?? []
    }
    // Postings are independent: resolve and check them on all cores, keeping their order.
    let checked = Parallel.map(config.postings) { posting -> ([ResolvedPosting], [ResolvedPosting], [Diagnostic]) in
      var placements: [ResolvedPosting] = []
      var expired: [ResolvedPosting] = []
      var diagnostics: [Diagnostic] = []
      for boardName in posting.boards {
        guard let board = config.board(named: boardName), platforms[board.platform] != nil else { continue }
        guard let platform = publishers[board.platform] else {
          diagnostics.append(
            .error(
              "board '\(board.name)' (\(board.platform)) does not publish postings; remove it from this posting's boards",
              at: boardLocation(boardName, in: posting)))
          continue
        }
        let resolved = resolver.resolve(posting, on: board)
        // Past its valid_through a posting comes down: closed where it is published, never an
        // error that blocks every other change from the day it expires.
        if let date = resolved.expiry, date < today {
          expired.append(resolved)
          continue
        }
        for problem in platform.problems(with: resolved, today: today) {
          var diagnostic = Diagnostic(
            problem.severity,
            "posting '\(posting.name)' on board '\(board.name)' (\(board.platform)): \(problem.message)",
            at: location(of: problem.field, in: posting, board: board.name))
          diagnostic.rule = "on board '\(board.name)' (\(board.platform)): \(problem.message)"
          diagnostic.subject = posting.name
          diagnostics.append(diagnostic)
        }
        placements.append(resolved)
      }
      if let first = expired.first, let text = first.fields.validThrough {
        diagnostics.append(
          .warning(
            "posting '\(posting.name)' expired on \(text) (valid_through): it is closed on \(expired.map { "'\($0.board.name)'" }.joined(separator: ", ")) and not published again; extend valid_through to reopen it",
            at: location(of: "valid_through", in: posting, board: first.board.name)))
      }
      return (placements, expired, diagnostics)
    }
    placements.reserveCapacity(checked.reduce(0) { $0 + $1.0.count })
    var expired: [ResolvedPosting] = []
    for (resolved, ended, problems) in checked {
      placements += resolved
      expired += ended
      diagnostics += problems
    }
    return Result(placements: placements, expired: expired, diagnostics: diagnostics.sortedByLocation())
  }

  /// Where a posting names `board` in its `boards` list.
  public static func boardLocation(_ board: String, in posting: Posting) -> SourceLocation {
    posting.source.root["boards"]?.array?.first { $0.string == board }?.location
      ?? posting.source.location(of: "boards")
  }

  /// The override for this board if it sets the field, else the posting's own key, else the
  /// closest enclosing key that exists.
  static func location(of field: String, in posting: Posting, board: String) -> SourceLocation {
    let root = posting.source.root
    let overridePath = "overrides.\(board).\(field)"
    if exists(overridePath, in: root) { return posting.source.location(of: overridePath) }
    if exists(field, in: root) { return posting.source.location(of: field) }
    let parent = field.split(separator: ".").dropLast().joined(separator: ".")
    if !parent.isEmpty, exists(parent, in: root) { return posting.source.keyLocation(of: parent) }
    return posting.source.keyLocation(of: "name")
  }

  static func exists(_ path: String, in root: YAMLValue) -> Bool {
    var current = root
    for key in path.split(separator: ".") {
      guard let next = current[String(key)] else { return false }
      current = next
    }
    return true
  }
}
