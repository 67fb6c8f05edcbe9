import Foundation
import Hummingbird

/// One endpoint the Wix simulator serves: method, path template (`{name}` matches one segment),
/// the scope it needs, and what it does. The template is also the endpoint's counter key.
struct WixRoute: Sendable {
  enum Action: Sendable {
    case createDraftPost, bulkCreateDraftPosts, getDraftPost, updateDraftPost, deleteDraftPost
    case publishDraftPost, unpublishDraftPost, queryDraftPosts, listDraftPosts, restoreDraftPost
    case queryPosts, getPost
    case listCategories, createCategory, queryCategories, createTag, queryTags, getTagByLabel
    case listMembers, queryMembers, getMember, createMember
    case createContact, listContacts, getContact, updateContact, deleteContact, queryContacts
    case findOrCreateLabel, listLabels, queryLabels, labelContact, unlabelContact
    case findOrCreateExtendedField, queryExtendedFields
    case querySubmissions, getSubmission, deleteSubmission
  }

  let method: HTTPRequest.Method
  let template: String
  let scope: WixScope
  let action: Action

  init(_ method: HTTPRequest.Method, _ template: String, _ scope: WixScope, _ action: Action) {
    (self.method, self.template, self.scope, self.action) = (method, template, scope, action)
  }

  static let all: [WixRoute] = [
    .init(.post, "/blog/v3/draft-posts", .blog, .createDraftPost),
    .init(.get, "/blog/v3/draft-posts", .blog, .listDraftPosts),
    .init(.post, "/blog/v3/bulk/draft-posts/create", .blog, .bulkCreateDraftPosts),
    .init(.post, "/blog/v3/draft-posts/query", .blog, .queryDraftPosts),
    .init(.post, "/blog/v3/draft-posts/trash-bin/{id}/restore", .blog, .restoreDraftPost),
    .init(.get, "/blog/v3/draft-posts/{id}", .blog, .getDraftPost),
    .init(.patch, "/blog/v3/draft-posts/{id}", .blog, .updateDraftPost),
    .init(.delete, "/blog/v3/draft-posts/{id}", .blog, .deleteDraftPost),
    .init(.post, "/blog/v3/draft-posts/{id}/publish", .blog, .publishDraftPost),
    .init(.post, "/blog/v3/draft-posts/{id}/unpublish", .blog, .unpublishDraftPost),
    .init(.post, "/blog/v3/posts/query", .blog, .queryPosts),
    .init(.get, "/blog/v3/posts/{id}", .blog, .getPost),
    .init(.get, "/blog/v3/categories", .blog, .listCategories),
    .init(.post, "/blog/v3/categories", .blog, .createCategory),
    .init(.post, "/blog/v3/categories/query", .blog, .queryCategories),
    .init(.post, "/blog/v3/tags", .blog, .createTag),
    .init(.post, "/blog/v3/tags/query", .blog, .queryTags),
    .init(.get, "/blog/v3/tags/labels/{label}", .blog, .getTagByLabel),
    .init(.get, "/members/v1/members", .members, .listMembers),
    .init(.post, "/members/v1/members", .members, .createMember),
    .init(.post, "/members/v1/members/query", .members, .queryMembers),
    .init(.get, "/members/v1/members/{id}", .members, .getMember),
    .init(.post, "/contacts/v4/contacts", .contacts, .createContact),
    .init(.get, "/contacts/v4/contacts", .contacts, .listContacts),
    .init(.post, "/contacts/v4/contacts/query", .contacts, .queryContacts),
    .init(.get, "/contacts/v4/contacts/{id}", .contacts, .getContact),
    .init(.patch, "/contacts/v4/contacts/{id}", .contacts, .updateContact),
    .init(.delete, "/contacts/v4/contacts/{id}", .contacts, .deleteContact),
    .init(.post, "/contacts/v4/contacts/{id}/labels", .contacts, .labelContact),
    .init(.delete, "/contacts/v4/contacts/{id}/labels", .contacts, .unlabelContact),
    .init(.post, "/contacts/v4/labels", .contacts, .findOrCreateLabel),
    .init(.get, "/contacts/v4/labels", .contacts, .listLabels),
    .init(.post, "/contacts/v4/labels/query", .contacts, .queryLabels),
    .init(.post, "/contacts/v4/extended-fields", .extendedFields, .findOrCreateExtendedField),
    .init(.post, "/contacts/v4/extended-fields/query", .extendedFields, .queryExtendedFields),
    .init(.post, "/form-submission-service/v4/submissions/namespace/query", .forms, .querySubmissions),
    .init(.get, "/form-submission-service/v4/submissions/{id}", .forms, .getSubmission),
    .init(.delete, "/form-submission-service/v4/submissions/{id}", .forms, .deleteSubmission),
  ]

  /// The route for a request and the values of its `{name}` segments (percent-decoded); a
  /// literal segment wins over a `{name}` one, so `…/query` is never taken for an id.
  static func match(_ method: HTTPRequest.Method, _ path: String) -> (route: WixRoute, values: [String: String])? {
    let segments = path.split(separator: "/").map(String.init)
    var best: (route: WixRoute, values: [String: String], literals: Int)?
    for route in all where route.method == method {
      let parts = route.template.split(separator: "/").map(String.init)
      guard parts.count == segments.count else { continue }
      var values: [String: String] = [:]
      var literals = 0
      var matched = true
      for (part, segment) in zip(parts, segments) {
        if part.hasPrefix("{") {
          values[String(part.dropFirst().dropLast())] = segment.removingPercentEncoding ?? segment
        } else if part == segment {
          literals += 1
        } else {
          matched = false
          break
        }
      }
      if matched, literals > best?.literals ?? -1 { best = (route, values, literals) }
    }
    return best.map { ($0.route, $0.values) }
  }
}
