import BoardCore
import BoardState

/// What state holds before a plan: records, lineage and serial.
public struct PriorState: Sendable {
  public var records: [StateRecord] = []
  public var lineage: String?
  public var serial = 0

  public init(records: [StateRecord] = [], lineage: String? = nil, serial: Int = 0) {
    self.records = records
    self.lineage = lineage
    self.serial = serial
  }

  /// Reads `state` (nothing when there is none yet).
  public static func read(_ state: (any StateStore)?) async throws -> PriorState {
    guard let state else { return PriorState() }
    var phase = Phase()
    guard let read = try await EngineError.mappingState({ try await state.snapshot() }) else { return PriorState() }
    phase.end("read state (\(read.records.count) records)")
    return PriorState(records: read.records, lineage: read.lineage, serial: read.serial)
  }
}
