import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP socket on 127.0.0.1 and an ephemeral port, held until closed: bound only, connecting
/// is refused (and no other test's server can take the port meanwhile); listening, the kernel
/// completes connections and nothing ever answers.
public final class LoopbackSocket: Sendable {
  public let descriptor: Int32
  public let port: Int
  private let closed = Mutex(false)

  public init(listening: Bool) throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ready = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && (!listening || listen(descriptor, 8) == 0)
          && getsockname(descriptor, $0, &length) == 0
      }
    }
    guard descriptor >= 0, ready else {
      _ = Glibc.close(descriptor)
      throw CocoaError(.featureUnsupported)
    }
    self.descriptor = descriptor
    port = Int(UInt16(bigEndian: address.sin_port))
  }

  /// A port that was free a moment ago (for a server a test starts itself).
  public static func freePort() throws -> Int { try LoopbackSocket(listening: false).port }

  /// Closes it once, however often it is called (a descriptor closed twice may be another's).
  public func close() {
    closed.withLock { closed in
      if !closed { _ = Glibc.close(descriptor) }
      closed = true
    }
  }

  deinit { close() }
}
