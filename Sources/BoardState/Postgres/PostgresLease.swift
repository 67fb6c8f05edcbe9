import Foundation
import PostgresNIO
import Synchronization

/// The lock this store holds: who, the `generation` it was acquired at (the fencing token every
/// write checks), and a task that renews the lease at a third of its length until stopped.
/// Renewal only extends `expires_at` (by the database's clock), never the generation, so it
/// cannot race the store's own writes.
final class PostgresLease: Sendable {
  let lock: LockInfo
  let generation: Int64
  private let renewal: Task<Void, Never>
  private let status: Status

  init(lock: LockInfo, generation: Int64, length: Duration, gateway: PostgresGateway) {
    self.lock = lock
    self.generation = generation
    let status = Status()
    self.status = status
    let seconds = Double(length.components.seconds) + Double(length.components.attoseconds) / 1e18
    renewal = Task {
      while !Task.isCancelled {
        do {
          try await Task.sleep(for: length / 3)
        } catch {
          return
        }
        do {
          let renewed = try await gateway.withConnection { connection in
            try await connection.rows(
              """
              UPDATE boardctl_lock SET expires_at = now() + make_interval(secs => \(seconds))
              WHERE singleton = 1 AND id = \(lock.id) AND generation = \(generation)
              RETURNING generation
              """
            ).count == 1
          }
          if !renewed {
            // Taken over or force-unlocked: writes now fail their fencing check anyway.
            status.markLost()
            return
          }
        } catch {
          // A blip (a restart, a dropped connection): the next tick is still well inside the lease.
          continue
        }
      }
    }
  }

  deinit {
    renewal.cancel()
  }

  /// Whether renewal found the lock taken by someone else.
  var isLost: Bool { status.isLost }

  /// Stops renewing and waits until no renewal is in flight.
  func stop() async {
    renewal.cancel()
    await renewal.value
  }

  /// Stops renewing without waiting (from `deinit`s).
  func cancel() {
    renewal.cancel()
  }

  private final class Status: Sendable {
    private let lost = Mutex(false)
    func markLost() { lost.withLock { $0 = true } }
    var isLost: Bool { lost.withLock { $0 } }
  }
}
