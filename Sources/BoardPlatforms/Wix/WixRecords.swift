import BoardSupport
import BoardSync

/// Wix objects as sync records, by the field names rules use (`email`, `first_name`, …), and
/// target values back into a contact's `info`.
enum WixRecords {
  /// The prefix of a contact's extended fields in rules (`extended.boardctl-link` is
  /// `custom.boardctl-link` in Wix).
  static let extendedPrefix = "extended."

  /// The label keys a contact carries.
  static func labelKeys(_ contact: JSONValue) -> [String] {
    (contact["info"]?["labelKeys"]?["items"]?.array ?? []).compactMap(\.string)
  }

  /// A contact as a record; its labels by display name where `labelNames` (key → name) has it.
  static func contact(_ contact: JSONValue, labelNames: [String: String]) -> SyncRecord? {
    guard let id = contact["id"]?.string else { return nil }
    let info = contact["info"] ?? [:]
    var fields: [String: String] = [:]
    fields["id"] = id
    fields["email"] = contact["primaryInfo"]?["email"]?.string ?? info["emails"]?["items"]?[0]?["email"]?.string
    fields["phone"] = contact["primaryInfo"]?["phone"]?.string ?? info["phones"]?["items"]?[0]?["phone"]?.string
    fields["first_name"] = info["name"]?["first"]?.string
    fields["last_name"] = info["name"]?["last"]?.string
    fields["company"] = info["company"]?.string
    fields["job_title"] = info["jobTitle"]?.string
    let labels = labelKeys(contact).map { labelNames[$0] ?? labelName($0) }.sorted()
    if !labels.isEmpty { fields["labels"] = labels.joined(separator: ", ") }
    for (key, value) in info["extendedFields"]?["items"]?.object ?? [:] where key.hasPrefix("custom.") {
      fields[extendedPrefix + key.dropFirst("custom.".count)] = text(value)
    }
    fields["created_at"] = contact["createdDate"]?.string
    fields["updated_at"] = contact["updatedDate"]?.string
    return SyncRecord(id: id, updatedAt: contact["updatedDate"]?.string ?? "", fields: fields.compactMapValues { $0 })
  }

  /// A label's name when the site's list lacks it: `custom.interviewing` → `interviewing`; Wix's
  /// own labels keep their key.
  static func labelName(_ key: String) -> String { key.hasPrefix("custom.") ? String(key.dropFirst(7)) : key }

  /// `info` with target `values` written in (labels are added separately: they have their own
  /// endpoint and must exist first). Extended fields are keyed `custom.<name>`.
  static func info(_ old: JSONValue, writing values: [String: String]) -> JSONValue {
    var info = old.object ?? [:]
    var name = info["name"]?.object ?? [:]
    for (field, value) in values {
      switch field {
      case "first_name": name["first"] = .string(value)
      case "last_name": name["last"] = .string(value)
      case "company": info["company"] = .string(value)
      case "job_title": info["jobTitle"] = .string(value)
      case "email":
        var items = info["emails"]?["items"]?.array ?? []
        if items.isEmpty {
          items = [["tag": "MAIN", "email": .string(value)]]
        } else {
          items[0] = replacing(items[0], "email", value)
        }
        info["emails"] = ["items": .array(items)]
      case "phone":
        var items = info["phones"]?["items"]?.array ?? []
        if items.isEmpty {
          items = [["tag": "MAIN", "phone": .string(value)]]
        } else {
          items[0] = replacing(items[0], "phone", value)
        }
        info["phones"] = ["items": .array(items)]
      default:
        guard field.hasPrefix(extendedPrefix) else { continue }
        var extended = info["extendedFields"]?["items"]?.object ?? [:]
        extended["custom." + field.dropFirst(extendedPrefix.count)] = .string(value)
        info["extendedFields"] = ["items": .object(extended)]
      }
    }
    if !name.isEmpty { info["name"] = .object(name) }
    return .object(info)
  }

  private static func replacing(_ item: JSONValue, _ key: String, _ value: String) -> JSONValue {
    var object = item.object ?? [:]
    object[key] = .string(value)
    return .object(object)
  }

  static func submission(_ submission: JSONValue) -> SyncRecord? {
    guard let id = submission["id"]?.string else { return nil }
    var fields: [String: String] = [:]
    for (key, value) in submission["submissions"]?.object ?? [:] { fields[key] = text(value) }
    fields["id"] = id
    fields["form"] = submission["formId"]?.string
    fields["status"] = submission["status"]?.string
    fields["contact_id"] = submission["contactId"]?.string
    fields["member_id"] = submission["submitter"]?["memberId"]?.string
    fields["created_at"] = submission["createdDate"]?.string
    fields["updated_at"] = submission["updatedDate"]?.string
    return SyncRecord(
      id: id, updatedAt: submission["updatedDate"]?.string ?? "", fields: fields.compactMapValues { $0 })
  }

  static func member(_ member: JSONValue) -> SyncRecord? {
    guard let id = member["id"]?.string else { return nil }
    var fields: [String: String] = [:]
    fields["id"] = id
    fields["email"] = member["loginEmail"]?.string
    fields["first_name"] = member["contact"]?["firstName"]?.string
    fields["last_name"] = member["contact"]?["lastName"]?.string
    fields["nickname"] = member["profile"]?["nickname"]?.string
    fields["status"] = member["status"]?.string
    fields["contact_id"] = member["contactId"]?.string
    fields["created_at"] = member["createdDate"]?.string
    fields["updated_at"] = member["updatedDate"]?.string
    return SyncRecord(id: id, updatedAt: member["updatedDate"]?.string ?? "", fields: fields.compactMapValues { $0 })
  }

  /// A value as rules see it: text as is, numbers and booleans written out, lists joined.
  static func text(_ value: JSONValue) -> String? {
    switch value {
    case .string(let s): return s
    case .number, .bool: return value.string ?? (value.bool.map { $0 ? "true" : "false" })
    case .array(let items): return items.compactMap(text).joined(separator: ", ")
    case .null, .object: return nil
    }
  }
}
