import BoardSpec

/// A Manatal board's `settings`, decoded once.
struct ManatalSettings: Decodable, Sendable {
  /// One Manahook registration the board manages.
  struct Webhook: Decodable, Sendable, Hashable {
    var model: String
    var action: String
    var targetURL: String
    enum CodingKeys: String, CodingKey {
      case model, action
      case targetURL = "target_url"
    }
  }

  var remote: RemoteSettings
  var organization: String?
  var createOrganization: Bool
  var platformOwned: [String]?
  /// Keys boardctl keeps in each job's `custom_fields`, sorted.
  var customFields: [(key: String, value: String)]
  var webhooksEndpoint: String
  /// Whether `webhooks_endpoint` is written in the settings (not the default).
  var webhooksEndpointIsSet: Bool
  var webhooks: [Located<Webhook>]

  enum CodingKeys: String, CodingKey {
    case organization, webhooks
    case createOrganization = "create_organization"
    case platformOwned = "platform_owned"
    case customFields = "custom_fields"
    case webhooksEndpoint = "webhooks_endpoint"
  }

  init(from decoder: any Decoder) throws {
    remote = try RemoteSettings(from: decoder)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    organization = try container.decodeIfPresent(String.self, forKey: .organization)
    createOrganization = try container.decodeIfPresent(Bool.self, forKey: .createOrganization) ?? false
    platformOwned = try container.decodeIfPresent([String].self, forKey: .platformOwned)
    let fields = try container.decodeIfPresent([String: String].self, forKey: .customFields) ?? [:]
    customFields = fields.keys.sorted().map { ($0, fields[$0]!) }
    let written = try container.decodeIfPresent(String.self, forKey: .webhooksEndpoint)
    webhooksEndpointIsSet = written != nil
    var hooks = written ?? Manatal.defaultHooksEndpoint
    while hooks.hasSuffix("/") { hooks.removeLast() }
    webhooksEndpoint = hooks
    webhooks = try container.decodeIfPresent([Located<Webhook>].self, forKey: .webhooks) ?? []
  }

  /// The settings of `board`; the defaults when they do not decode (the schema pass reports why).
  static func of(_ board: Board) -> ManatalSettings {
    (try? board.settings(as: ManatalSettings.self)) ?? (try! YAMLValueDecoder().decode(Self.self, from: nil))
  }

  /// Fields recruiters own: their edits are never drift. `custom_fields` stands for every custom
  /// field key boardctl sets.
  var owned: Set<String> {
    guard let list = platformOwned else { return ["status"] }
    var owned = Set(list)
    if owned.remove("custom_fields") != nil {
      for (key, _) in customFields { owned.insert("custom_fields.\(key)") }
    }
    return owned
  }
}
