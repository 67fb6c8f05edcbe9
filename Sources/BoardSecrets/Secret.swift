import BoardCore
import CSodium
import Foundation

/// A credential value in memory. Every way of printing, encoding, reflecting or logging it says
/// `(sensitive value)`; the bytes are zeroed when the last reference goes. The only way to the
/// value is `reveal`, which the code that builds a request's authentication calls.
public final class Secret: @unchecked Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable,
  Encodable, Hashable
{
  public static let redacted = "(sensitive value)"

  // Written once in init, read-only afterwards, zeroed in deinit: safe to share across threads.
  private let storage: UnsafeMutableBufferPointer<UInt8>

  public init(_ bytes: [UInt8]) {
    storage = .allocate(capacity: max(bytes.count, 1))
    _ = storage.initialize(from: bytes)
    count = bytes.count
  }

  public convenience init(_ text: String) { self.init(Array(text.utf8)) }

  /// The number of bytes; not secret.
  public let count: Int

  deinit {
    sodium_memzero(storage.baseAddress, storage.count)
    storage.deallocate()
  }

  /// Calls `body` with the value. Keep what it builds (a header) as short-lived as the request.
  public func reveal<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
    try body(UnsafeBufferPointer(rebasing: storage[0..<count]))
  }

  /// The value as text, for an authentication header.
  public func revealText() -> String { reveal { String(decoding: $0, as: UTF8.self) } }

  public var description: String { Self.redacted }
  public var debugDescription: String { Self.redacted }
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(Self.redacted)
  }

  /// Constant-time comparison.
  public static func == (lhs: Secret, rhs: Secret) -> Bool {
    lhs.count == rhs.count && sodium_memcmp(lhs.storage.baseAddress, rhs.storage.baseAddress, lhs.count) == 0
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(count) }
}

extension Secret: SensitiveValue {}
