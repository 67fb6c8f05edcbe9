import BoardSupport
import Foundation
import Hummingbird

/// Members v1: list, query, get, create. Every member has a contact, as on a real site.
extension WixSite {
  static let memberSchema = WixQuerySchema(
    fields: [
      "id": WixFilter.Operator.equality, "profile.nickname": WixFilter.Operator.text,
      "profile.slug": WixFilter.Operator.text, "contact.firstName": WixFilter.Operator.text,
      "contact.lastName": WixFilter.Operator.text, "privacyStatus": WixFilter.Operator.equality,
      "loginEmail": WixFilter.Operator.text, "createdDate": WixFilter.Operator.range,
      "status": WixFilter.Operator.equality, "userId": WixFilter.Operator.equality,
    ],
    sortable: ["createdDate", "profile.nickname", "loginEmail", "contact.firstName", "contact.lastName"],
    defaultSort: [.init(field: "createdDate", ascending: true)])

  @discardableResult
  func addMember(loginEmail: String, first: String, last: String, id: String?) -> String {
    let time = now()
    let email = loginEmail.lowercased()
    let existing = contacts.values.first { $0["primaryInfo"]?["email"]?.string == email }
    let contactID =
      existing?["id"]?.string
      ?? insertContact(
        info: [
          "name": ["first": .string(first), "last": .string(last)],
          "emails": ["items": [["tag": "MAIN", "email": .string(email)]]],
        ],
        now: time)["id"]?.string ?? ""
    let memberID = id ?? newID()
    let nickname = [first, last].filter { !$0.isEmpty }.joined(separator: " ")
    let member: Object = [
      "id": .string(memberID), "loginEmail": .string(email), "status": "APPROVED", "contactId": .string(contactID),
      "contact": [
        "contactId": .string(contactID), "firstName": .string(first), "lastName": .string(last), "phones": [],
        "emails": [.string(email)], "addresses": [], "customFields": [:],
      ],
      "profile": [
        "nickname": .string(nickname.isEmpty ? email : nickname),
        "slug": .string(Self.slug(nickname.isEmpty ? email : nickname)),
      ],
      "privacyStatus": "PUBLIC", "activityStatus": "ACTIVE", "createdDate": .string(time), "updatedDate": .string(time),
    ]
    members[memberID] = member
    announce(.memberCreated, member)
    return memberID
  }

  /// `PUBLIC` (the default) shows only the id and profile; `FULL` and `EXTENDED` everything.
  static func render(member: Object, fieldsets: [String]) -> JSONValue {
    if fieldsets.contains("FULL") || fieldsets.contains("EXTENDED") { return .object(member) }
    return [
      "id": member["id"] ?? .null, "profile": member["profile"] ?? [:], "privacyStatus": "UNKNOWN",
      "activityStatus": "UNKNOWN", "status": "UNKNOWN",
    ]
  }

  private func memberPage(_ query: WixQuery, fieldsets: [String]) -> JSONValue {
    let (items, metadata) = query.page(members.values.map { .object($0) }, schema: Self.memberSchema)
    return [
      "members": .array(items.compactMap { $0.object.map { Self.render(member: $0, fieldsets: fieldsets) } }),
      "metadata": [
        "count": metadata["count"] ?? 0, "offset": metadata["offset"] ?? 0, "total": metadata["total"] ?? 0,
        "tooManyToCount": false,
      ],
    ]
  }

  func listMembers(limit: JSONValue?, offset: JSONValue?, fieldsets: [String]) throws -> JSONValue {
    let query = try WixQuery(
      ["paging": ["limit": limit ?? .null, "offset": offset ?? .null]], schema: Self.memberSchema)
    return memberPage(query, fieldsets: fieldsets)
  }

  func queryMembers(_ body: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(body?["query"], schema: Self.memberSchema)
    return memberPage(query, fieldsets: Self.fieldsets(body))
  }

  func member(_ id: String, fieldsets: [String]) throws -> JSONValue {
    guard let member = members[id] else { throw WixError.notFound("Member", id) }
    return ["member": Self.render(member: member, fieldsets: fieldsets)]
  }

  func createMember(_ body: JSONValue?) throws -> JSONValue {
    guard let email = body?["member"]?["loginEmail"]?.string, !email.isEmpty else {
      throw WixError.invalid("member.loginEmail", "is required", rule: .requiredField)
    }
    guard email.contains("@") else { throw WixError.invalid("member.loginEmail", "must be an email", rule: .format) }
    if members.values.contains(where: { $0["loginEmail"]?.string == email.lowercased() }) {
      throw WixError.application(
        .conflict, "A member with login email \(email) already exists", code: "EMAIL_ALREADY_EXISTS")
    }
    let contact = body?["member"]?["contact"]
    let id = addMember(
      loginEmail: email, first: contact?["firstName"]?.string ?? "", last: contact?["lastName"]?.string ?? "",
      id: nil)
    return ["member": .object(members[id]!)]
  }

  /// The `fieldsets` of a request body (a list of names).
  static func fieldsets(_ body: JSONValue?) -> [String] {
    (body?["fieldsets"]?.array ?? []).compactMap(\.string)
  }
}
