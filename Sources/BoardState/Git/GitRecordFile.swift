import BoardCore
import BoardSpec

/// One resource's file on the state branch: a header of the record's fields, a blank line, then
/// its attributes as `AttributeCodec` writes them (one per line, keys sorted), so a change shows
/// in `git log -p` as the lines that changed.
///
///     address careers.page.backend
///     platform careers-site
///     status open
///     on-remove delete
///     updated-at 2026-11-21T10:00:00Z
///     remote-id public/backend.html
///
///     title	sBackend Engineer
///
/// An optional field that is nil has no line; one that is empty has its key alone.
enum GitRecordFile {
  static func encode(_ record: StateRecord) -> String {
    var text = "address \(GitText.escape(record.address.description))\n"
    text += "platform \(GitText.escape(record.platform))\n"
    text += "status \(record.status.rawValue)\n"
    text += "on-remove \(record.onRemove.rawValue)\n"
    text += "updated-at \(GitText.escape(record.updatedAt))\n"
    func optional(_ key: String, _ value: String?) {
      if let value { text += "\(key) \(GitText.escape(value))\n" }
    }
    optional("remote-id", record.remoteID)
    optional("first-published", record.firstPublished)
    optional("render-key", record.renderKey)
    optional("digest", record.digest)
    optional("stamp", record.stamp)
    return text + "\n" + AttributeCodec.encode(record.attributes)
  }

  /// Nil when the text is not a record file this build can read, or not the one of `address`
  /// (its path says which: an address's text alone is ambiguous when a board's name has a dot).
  /// `keys` interns attribute names across the records of one snapshot.
  static func decode(_ text: String, at address: Address, keys: inout [String: String]) -> StateRecord? {
    var text = text
    return text.withUTF8 { decode(bytes: $0, at: address, keys: &keys) }
  }

  /// Works on the bytes: a cold read of a large state decodes 20,000 of these, and walking
  /// them as characters cost more than reading them from git.
  private static func decode(bytes: UnsafeBufferPointer<UInt8>, at address: Address, keys: inout [String: String])
    -> StateRecord?
  {
    var named: String?
    var platform: String?
    var status: StateRecord.Status?
    var onRemove: Posting.OnRemove?
    var updatedAt: String?
    var remoteID: String?
    var firstPublished: String?
    var renderKey: String?
    var digest: String?
    var stamp: String?
    let count = bytes.count
    var position = 0
    while position < count {
      var end = position
      while end < count, bytes[end] != 10 { end += 1 }
      if end == position {
        position += 1
        break
      }
      var space = position
      while space < end, bytes[space] != 32 { space += 1 }
      // Keys are short: they stay small strings, with no allocation.
      let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<space]), as: UTF8.self)
      let value = space < end ? GitText.unescape(UnsafeBufferPointer(rebasing: bytes[(space + 1)..<end])) : ""
      position = end + 1
      switch key {
      case "address": named = value
      case "platform": platform = value
      case "status": status = StateRecord.Status(rawValue: value)
      case "on-remove": onRemove = Posting.OnRemove(rawValue: value)
      case "updated-at": updatedAt = value
      case "remote-id": remoteID = value
      case "first-published": firstPublished = value
      case "render-key": renderKey = value
      case "digest": digest = value
      case "stamp": stamp = value
      default: continue
      }
    }
    guard let named, named == address.description, let platform, let status, let onRemove, let updatedAt else {
      return nil
    }
    let attributes = String(decoding: UnsafeBufferPointer(rebasing: bytes[min(position, count)...]), as: UTF8.self)
    return StateRecord(
      address: address, platform: platform, attributes: AttributeCodec.decode(attributes, keys: &keys),
      renderKey: renderKey, digest: digest, stamp: stamp, status: status, onRemove: onRemove, remoteID: remoteID,
      firstPublished: firstPublished, updatedAt: updatedAt)
  }
}
