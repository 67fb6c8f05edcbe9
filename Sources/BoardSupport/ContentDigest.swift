import Crypto
import Foundation

/// A running SHA-256 of several strings, each length-prefixed so boundaries count: saved plans
/// bind the configuration's digest, and file boards compare what is on disk with what they wrote.
/// Not used for secrets.
public struct ContentDigest: Sendable {
  private var hasher = SHA256()

  public init() {}

  public mutating func update(_ text: String) {
    var prefix = "\(text.utf8.count):"
    prefix.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    var text = text
    text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
  }

  public var hexDigest: String { hasher.finalize().hexString }

  /// The SHA-256 of `text`'s UTF-8 bytes, as lowercase hex.
  public static func sha256(_ text: String) -> String {
    var text = text
    return text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }.hexString
  }
}

extension Sequence where Element == UInt8 {
  /// Lowercase hex of the bytes.
  public var hexString: String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(underestimatedCount * 2)
    for byte in self {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0xf)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
