import Foundation
import Synchronization

/// Data-parallel helpers for work that is independent per item (parsing files, reading pages).
public enum Parallel {
  /// `transform` applied to every element on all cores; results in input order.
  public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard items.count > 1, cores > 1 else { return items.map(transform) }
    // A few contiguous chunks per core: one lock and one task per chunk, not per item.
    let chunks = min(items.count, cores * 4)
    let size = (items.count + chunks - 1) / chunks
    let results = ResultSlots<[R]>(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      let range = min(chunk * size, items.count)..<min((chunk + 1) * size, items.count)
      results.set(chunk, items[range].map(transform))
    }
    return results.values.flatMap { $0 }
  }
}

/// Result slots filled from several threads; each index is written once, under a lock.
final class ResultSlots<R: Sendable>: Sendable {
  private let slots: Mutex<[R?]>

  init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

  func set(_ index: Int, _ value: R) { slots.withLock { $0[index] = value } }

  var values: [R] { slots.withLock { $0.map { $0! } } }
}
