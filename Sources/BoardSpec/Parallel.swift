import Foundation

/// Data-parallel helpers for work that is independent per item (parsing files, reading pages).
public enum Parallel {
  /// `transform` applied to every element on all cores; results in input order.
  public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
      results.set(index, transform(items[index]))
    }
    return results.values
  }
}

/// Result slots filled from several threads; each index is written once, under a lock.
final class ResultSlots<R: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [R?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: R) { lock.withLock { slots[index] = value } }

  var values: [R] { lock.withLock { slots.map { $0! } } }
}
