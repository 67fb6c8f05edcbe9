import CSodium

/// libsodium, initialised once.
enum Sodium {
  static let ready: Bool = sodium_init() >= 0

  static func randomBytes(_ count: Int) -> [UInt8] {
    precondition(ready, "libsodium failed to initialise")
    var bytes = [UInt8](repeating: 0, count: count)
    randombytes_buf(&bytes, count)
    return bytes
  }

  /// BLAKE2b (crypto_generichash) of `message`, keyed when `key` is given.
  static func hash(_ message: [UInt8], key: [UInt8]? = nil, length: Int = 32) -> [UInt8] {
    precondition(ready, "libsodium failed to initialise")
    var out = [UInt8](repeating: 0, count: length)
    if let key {
      crypto_generichash(&out, length, message, UInt64(message.count), key, key.count)
    } else {
      crypto_generichash(&out, length, message, UInt64(message.count), nil, 0)
    }
    return out
  }
}
