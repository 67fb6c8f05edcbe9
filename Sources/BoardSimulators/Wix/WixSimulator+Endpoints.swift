import BoardSupport
import Foundation
import Hummingbird

/// What each route does: request bodies and query parameters into the site's operations.
extension WixSimulator {
  func perform(_ action: WixRoute.Action, values: [String: String], query: Parameters, json: JSONValue?)
    async throws -> JSONValue
  {
    let id = values["id"] ?? ""
    func parameter(_ name: String) -> JSONValue? { query[Substring(name)].map { .string(String($0)) } }
    let fieldsets = query[values: "fieldsets"].flatMap { $0.split(separator: ",").map(String.init) }
    switch action {
    case .createDraftPost:
      if configuration.createLatency > .zero { try await Task.sleep(for: configuration.createLatency) }
      return try await site.createDraftPost(json)
    case .bulkCreateDraftPosts:
      if configuration.createLatency > .zero { try await Task.sleep(for: configuration.createLatency) }
      return try await site.bulkCreateDraftPosts(json)
    case .getDraftPost: return try await site.draftPost(id, fieldsets: fieldsets)
    case .updateDraftPost: return try await site.updateDraftPost(id, json)
    case .deleteDraftPost:
      return try await site.deleteDraftPost(id, permanent: parameter("permanent")?.string == "true")
    case .publishDraftPost: return try await site.publish(id)
    case .unpublishDraftPost: return try await site.unpublish(id)
    case .queryDraftPosts: return try await site.queryDraftPosts(json)
    case .listDraftPosts:
      return try await site.listDraftPosts(
        status: parameter("status")?.string, language: parameter("language")?.string,
        limit: parameter("paging.limit"), offset: parameter("paging.offset"), fieldsets: fieldsets)
    case .restoreDraftPost: return try await site.restoreDraftPost(id)
    case .queryPosts: return try await site.queryPosts(json)
    case .getPost: return try await site.post(id, fieldsets: fieldsets)
    case .listCategories:
      let answer = try await site.queryCategories([
        "paging": ["limit": parameter("paging.limit") ?? .null, "offset": parameter("paging.offset") ?? .null]
      ])
      return ["categories": answer["categories"] ?? [], "metaData": answer["metaData"] ?? [:]]
    case .createCategory: return try await site.createCategory(json)
    case .queryCategories:
      let answer = try await site.queryCategories(json?["query"])
      return ["categories": answer["categories"] ?? [], "pagingMetadata": answer["pagingMetadata"] ?? [:]]
    case .createTag: return try await site.createTag(json)
    case .queryTags: return try await site.queryTags(json)
    case .getTagByLabel: return try await site.tag(label: values["label"] ?? "")
    case .listMembers:
      return try await site.listMembers(
        limit: parameter("paging.limit"), offset: parameter("paging.offset"), fieldsets: fieldsets)
    case .queryMembers: return try await site.queryMembers(json)
    case .getMember: return try await site.member(id, fieldsets: fieldsets)
    case .createMember: return try await site.createMember(json)
    case .createContact: return try await site.createContact(json)
    case .listContacts:
      return try await site.listContacts(limit: parameter("paging.limit"), offset: parameter("paging.offset"))
    case .getContact: return try await site.contact(id)
    case .updateContact: return try await site.updateContact(id, json)
    case .deleteContact: return try await site.deleteContact(id)
    case .queryContacts: return try await site.queryContacts(json)
    case .labelContact, .unlabelContact:
      let keys =
        (json?["labelKeys"]?.array ?? []).compactMap(\.string) + query[values: "labelKeys"].map(String.init)
      return try await site.label(contact: id, keys: keys, add: action == .labelContact)
    case .findOrCreateLabel: return try await site.findOrCreateLabel(json)
    case .listLabels:
      return try await site.queryLabels([
        "query": [
          "paging": ["limit": parameter("paging.limit") ?? .null, "offset": parameter("paging.offset") ?? .null]
        ]
      ])
    case .queryLabels: return try await site.queryLabels(json)
    case .findOrCreateExtendedField: return try await site.findOrCreateExtendedField(json)
    case .queryExtendedFields: return try await site.queryExtendedFields(json)
    case .querySubmissions: return try await site.querySubmissions(json)
    case .getSubmission: return try await site.submission(id)
    case .deleteSubmission:
      return try await site.deleteSubmission(id, permanent: parameter("permanent")?.string == "true")
    }
  }
}
