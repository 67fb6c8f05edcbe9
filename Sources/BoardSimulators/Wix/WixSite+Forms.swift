import BoardSupport
import Foundation
import Hummingbird

/// Form submissions v4: the query by namespace (the filter must name it), one submission by id,
/// deletion (into the trash bin, or for good with `permanent=true`), and the test hook that plays
/// a visitor submitting a form.
extension WixSite {
  static let formsNamespace = "wix.form_app.form"

  static let submissionSchema = WixQuerySchema(
    fields: [
      "namespace": [.eq], "id": WixFilter.Operator.equality, "formId": WixFilter.Operator.equality,
      "contactId": WixFilter.Operator.equality, "status": WixFilter.Operator.equality, "seen": [.eq, .ne],
      "createdDate": WixFilter.Operator.range.union([.in]), "updatedDate": WixFilter.Operator.range.union([.in]),
    ],
    prefixes: ["submitter.": WixFilter.Operator.equality],
    sortable: ["createdDate", "updatedDate"], defaultSort: [.init(field: "createdDate", ascending: true)])

  func querySubmissions(_ body: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(body?["query"], schema: Self.submissionSchema)
    guard query.filter.fields.contains("namespace") else {
      throw WixError.invalid(
        "query.filter.namespace", "is required", rule: .requiredField,
        message: "namespace must be provided in the query filter")
    }
    let (items, metadata) = query.page(submissions.values.map { .object($0) }, schema: Self.submissionSchema)
    return ["submissions": .array(items), "pagingMetadata": metadata]
  }

  func submission(_ id: String) throws -> JSONValue {
    guard let submission = submissions[id] else { throw WixError.notFound("Submission", id) }
    return ["submission": .object(submission)]
  }

  /// Moves a submission to the trash bin, where queries no longer see it, or with `permanent`
  /// deletes it for good (from the trash bin too).
  func deleteSubmission(_ id: String, permanent: Bool) throws -> JSONValue {
    if let submission = submissions.removeValue(forKey: id) {
      if !permanent { trashedSubmissions[id] = submission }
      return [:]
    }
    guard permanent, trashedSubmissions.removeValue(forKey: id) != nil else {
      throw WixError.notFound("Submission", id)
    }
    return [:]
  }

  /// A visitor submits form `formId` with `values` (field target → value).
  func submit(formId: String, values: JSONValue, namespace: String?) -> JSONValue {
    let id = newID()
    let time = now()
    let submission: Object = [
      "id": .string(id), "formId": .string(formId), "namespace": .string(namespace ?? Self.formsNamespace),
      "status": "CONFIRMED", "submissions": values, "submitter": ["visitorId": .string(newID())], "seen": false,
      "revision": "1", "createdDate": .string(time), "updatedDate": .string(time),
    ]
    submissions[id] = submission
    announce(.submissionCreated, submission)
    return ["submission": .object(submission)]
  }
}
