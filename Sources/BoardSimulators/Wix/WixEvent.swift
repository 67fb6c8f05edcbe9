import BoardSupport
import Foundation

/// Something that happened on the simulated site and that Wix reports to an app's webhook: an
/// object created or updated, with a copy of it as it was then (FACTS.md, Wix "Webhook JWT").
struct WixEvent: Sendable {
  /// The events the simulator emits, each with Wix's names for it.
  enum Kind: Sendable, CaseIterable {
    case contactCreated, contactUpdated, submissionCreated, memberCreated

    var eventType: String {
      switch self {
      case .contactCreated: "wix.contacts.v4.contact_created"
      case .contactUpdated: "wix.contacts.v4.contact_updated"
      case .submissionCreated: "wix.forms.v4.submission_created"
      case .memberCreated: "wix.members.v1.member_created"
      }
    }

    var entityFqdn: String {
      switch self {
      case .contactCreated, .contactUpdated: "wix.contacts.v4.contact"
      case .submissionCreated: "wix.forms.v4.submission"
      case .memberCreated: "wix.members.v1.member"
      }
    }

    var slug: String { self == .contactUpdated ? "updated" : "created" }
  }

  /// The event's own id, a receiver's key for dropping duplicates.
  let id: String
  let kind: Kind
  /// The object as it was when the event happened.
  let entity: [String: JSONValue]
  /// When it happened, in Wix's form (`2026-11-22T10:00:00.123Z`).
  let time: String

  var entityID: String { entity["id"]?.string ?? "" }

  /// The JSON text Wix puts in the JWT's `data` claim: `{eventType, instanceId, data, identity}`,
  /// where `data` and `identity` are themselves JSON text, and so is the entity inside `data`.
  func envelope(instanceID: String, appID: String) -> String {
    let entityJSON = JSONValue.string(Self.text(.object(entity)))
    let change: (String, JSONValue) =
      kind.slug == "updated"
      ? ("updatedEvent", ["currentEntityAsJson": entityJSON]) : ("createdEvent", ["entityAsJson": entityJSON])
    let inner: JSONValue = .object([
      "id": .string(id), "entityFqdn": .string(kind.entityFqdn), "slug": .string(kind.slug),
      "entityId": .string(entityID), "eventTime": .string(time), "triggeredByAnonymizeRequest": false,
      change.0: change.1,
    ])
    let identity: JSONValue = ["identityType": "APP", "appId": .string(appID)]
    return Self.text([
      "eventType": .string(kind.eventType), "instanceId": .string(instanceID), "data": .string(Self.text(inner)),
      "identity": .string(Self.text(identity)),
    ])
  }

  private static func text(_ value: JSONValue) -> String { String(decoding: value.data, as: UTF8.self) }
}
