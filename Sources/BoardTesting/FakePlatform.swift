import BoardCore
import BoardSpec

/// `platform: fake`: a board whose objects live in memory (`FakeRemote`), for engine tests that
/// plan and apply in-process. Each posting becomes an `item` with its title and description; the
/// remote can be edited behind boardctl's back and made to fail.
public struct FakePlatform: PostingPlatform {
  public let remote: FakeRemote

  public init(remote: FakeRemote = FakeRemote()) { self.remote = remote }

  public static let id = "fake"

  public let descriptor = PlatformDescriptor(
    id: FakePlatform.id, summary: "An in-memory board for tests.",
    settings: ObjectSchema("fake settings", [FieldSchema("label", .string(), "A label copied onto every item.")]),
    needsCredential: false)

  public let placementKind: ObjectKind = "item"

  public func problems(with posting: ResolvedPosting, today: CalendarDate) -> [PostingProblem] { [] }

  public func connect(_ board: Board, environment: BoardEnvironment) throws -> any BoardConnection {
    FakeBoard(board: board, environment: environment, remote: remote)
  }
}

/// One fake board: desired items from postings, refresh from the remote, apply into it.
struct FakeBoard: PlacementBoard {
  let board: Board
  let environment: BoardEnvironment
  let remote: FakeRemote

  func desired(_ posting: ResolvedPosting, context: PlacementContext) -> DesiredResource {
    var attributes: Attributes = [:]
    attributes.set("title", posting.title)
    attributes.set("description", posting.description)
    attributes.set("label", (try? board.settings(as: FakeSettings.self))?.label)
    return DesiredResource(
      address: Address(board: board.name, object: "item", name: posting.posting.name), platform: FakePlatform.id,
      attributes: attributes, onRemove: posting.posting.onRemove, source: posting.posting.source.root.location)
  }

  func refresh(prior: [StateRecord]) async throws -> BoardReading {
    let items = await remote.items(board: board.name)
    return BoardReading(resources: items.map { LiveResource(address: $0.key, attributes: $0.value) })
  }

  func check() async -> ConnectionCheck { ConnectionCheck(ok: true, summary: "in memory") }

  func apply(
    _ changes: [PlannedChange], desired: [Address: DesiredResource], prior: [Address: StateRecord],
    journal: any ApplyJournal
  ) async throws -> [Address: StateRecord?] {
    var completed: [Address: StateRecord?] = [:]
    for change in changes {
      let entry = try await journal.begin(change.address, action: change.action)
      do {
        let record = try await perform(change, desired: desired[change.address], prior: prior[change.address])
        try await journal.finish(entry, saving: [change.address: record])
        completed[change.address] = record
      } catch {
        try? await journal.finish(entry, error: "\(error)")
        throw BoardApplyError("\(error)", completed: completed)
      }
    }
    return completed
  }

  private func perform(_ change: PlannedChange, desired: DesiredResource?, prior: StateRecord?) async throws
    -> StateRecord?
  {
    switch change.action {
    case .create, .update, .replace, .import:
      guard let desired else { return prior }
      try await remote.put(change.address, desired.attributes)
      return StateRecord(
        address: change.address, platform: FakePlatform.id, attributes: desired.attributes, status: .open,
        onRemove: desired.onRemove, remoteID: change.address.name,
        firstPublished: prior?.firstPublished ?? environment.today.description, updatedAt: environment.now)
    case .close:
      try await remote.remove(change.address)
      guard var record = prior else { return nil }
      record.status = .closed
      record.updatedAt = environment.now
      return record
    case .delete:
      try await remote.remove(change.address)
      return nil
    case .forget:
      return nil
    }
  }
}

/// The fake platform's objects, by address, with writes that can be made to fail.
public actor FakeRemote {
  private var objects: [Address: Attributes] = [:]
  private var failAfter: Int?
  /// Writes done, successful or not.
  public private(set) var writes = 0

  public init() {}

  /// Makes every write after the next `count` fail.
  public func failWrites(after count: Int?) { failAfter = count }

  public func items(board: String) -> [Address: Attributes] { objects.filter { $0.key.board == board } }

  /// An edit made on the platform, outside boardctl.
  public func edit(_ address: Address, _ key: String, _ value: AttributeValue) { objects[address]?[key] = value }

  func put(_ address: Address, _ attributes: Attributes) throws {
    try admit()
    objects[address] = attributes
  }

  func remove(_ address: Address) throws {
    try admit()
    objects[address] = nil
  }

  private func admit() throws {
    writes += 1
    if let failAfter {
      guard failAfter > 0 else { throw FakeRemoteFailure() }
      self.failAfter = failAfter - 1
    }
  }
}

/// The fake platform refused a write.
public struct FakeRemoteFailure: Error, CustomStringConvertible {
  public var description: String { "the fake platform refused the write" }
}

/// A fake board's settings.
struct FakeSettings: Decodable {
  var label: String?
}
