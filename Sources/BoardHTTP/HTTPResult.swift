import Foundation

/// A response, body read in full.
public struct HTTPResult: Sendable {
  public var status: Int
  public var headers: [(String, String)]
  public var body: Data

  /// The first value of header `name`, compared without case.
  public func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  /// Whether the status is 2xx.
  public var succeeded: Bool { (200...299).contains(status) }
}
