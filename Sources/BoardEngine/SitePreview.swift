import BoardCore
import BoardPlatforms
import BoardSpec
import BoardState
import Foundation

/// `boardctl preview`: the careers site as the configuration would publish it, written to a
/// folder of its own (never the board's output, never state) by the same code apply runs.
public struct SitePreview: Sendable {
  public let workspace: CheckedWorkspace
  /// The careers-site board shown.
  public let board: Board

  /// The careers-site board named `board`, or the only one.
  public init(_ workspace: CheckedWorkspace, board name: String?) throws {
    self.workspace = workspace
    let sites = workspace.config.boards.filter { $0.platform == CareersSite.id }
    if let name {
      guard let board = workspace.config.board(named: name) else {
        let known = workspace.config.boards.map(\.name)
        let guess = Suggestion.closest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""
        throw EngineError.user("--board \(name): no board of that name in boards.d\(guess)")
      }
      guard board.platform == CareersSite.id else {
        throw EngineError.user(
          "--board \(name): board '\(name)' is \(board.platform); preview shows a careers-site board (\(sites.map(\.name).joined(separator: ", ")))"
        )
      }
      self.board = board
    } else if sites.count == 1, let site = sites.first {
      board = site
    } else if sites.isEmpty {
      throw EngineError.user("preview shows a careers-site board, and boards.d has none")
    } else {
      throw EngineError.user(
        "boards.d has \(sites.count) careers-site boards (\(sites.map(\.name).joined(separator: ", "))); name one with --board"
      )
    }
  }

  /// Writes every page, the index and the sitemap into `folder`; returns how many pages.
  /// Dates a posting was first published come from `prior` (state) when given, else today.
  public func render(into folder: String, prior: [StateRecord] = []) async throws -> Int {
    var board = self.board
    board.settings = Self.replacing("output", with: folder, in: board.settings)
    let connection = try CareersSite().connect(board, environment: workspace.environment)
    guard let publisher = connection as? any PlacementBoard else { return 0 }
    var known: [Address: StateRecord] = [:]
    for record in prior where record.address.board == board.name { known[record.address] = record }
    let desired = workspace.placements.filter { $0.board.name == board.name }.map { placement in
      let address = Address(board: board.name, object: CareersSite().placementKind, name: placement.posting.name)
      var context = PlacementContext(prior: known[address], today: workspace.environment.today)
      context.prior?.attributes = [:]  // only the first-published date is wanted from state
      return publisher.desired(placement, context: context)
    }
    let plan = Diff.plan(DiffInput(desired: desired, prior: [], live: [], refreshedBoards: [board.name]))
    let byAddress = Dictionary(desired.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
    _ = try await connection.apply(plan.changes, desired: byAddress, prior: [:], journal: DiscardingJournal())
    return desired.count
  }

  /// `settings` with `key` set to the string `value`.
  static func replacing(_ key: String, with value: String, in settings: YAMLValue?) -> YAMLValue {
    let location = settings?.location ?? SourceLocation(file: "", line: 0, column: 0)
    guard case .mapping(var pairs, _) = settings else {
      return .mapping(
        [YAMLValue.Pair(key: key, keyLocation: location, value: .scalar(value, .string, location))], location)
    }
    let scalar = YAMLValue.scalar(value, .string, location)
    if let index = pairs.firstIndex(where: { $0.key == key }) {
      pairs[index].value = scalar
    } else {
      pairs.append(YAMLValue.Pair(key: key, keyLocation: location, value: scalar))
    }
    return .mapping(pairs, location)
  }

  /// A journal that records nothing: a preview is not an apply.
  struct DiscardingJournal: ApplyJournal {
    func begin(_ address: Address, action: PlanAction) async throws -> Int64 { 0 }
    func finish(_ entry: Int64, error: String?) async throws {}
    func finish(_ entry: Int64, saving records: [Address: StateRecord?]) async throws {}
    var interrupted: Set<Address> { [] }
  }
}
