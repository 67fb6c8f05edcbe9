import BoardSupport
import Foundation
import Hummingbird

/// The simulated Wix site's data: members, contacts and their labels and extended fields, blog
/// drafts and published posts, categories, tags, form submissions. Every operation runs whole
/// inside the actor, so a check (a duplicate email, a revision) and the write it guards cannot
/// interleave with another request's.
actor WixSite {
  typealias Object = [String: JSONValue]

  var draftPosts: [String: Object] = [:]
  var posts: [String: Object] = [:]
  var categories: [String: Object] = [:]
  var tags: [String: Object] = [:]
  var members: [String: Object] = [:]
  var contacts: [String: Object] = [:]
  var labels: [String: Object] = [:]
  var extendedFields: [String: Object] = [:]
  var submissions: [String: Object] = [:]
  /// Submissions deleted without `permanent`: gone from queries, kept by Wix until emptied.
  var trashedSubmissions: [String: Object] = [:]
  /// The blog owner every site starts with, for `draftPost.memberId`.
  nonisolated let ownerMemberID: String
  private var seed: [String: [JSONValue]]?
  let bulkFailureRate: Double
  let siteURL: String
  private var random: SeededRandom
  private var lastMillisecond: Int64 = 0
  /// Where created and updated objects are reported, for the webhook queue; nil without webhooks.
  nonisolated let events: AsyncStream<WixEvent>.Continuation?
  /// False while the owner and the seed are added: objects a site starts with raise no events.
  var announcing = false

  init(
    siteID: String, bulkFailureRate: Double, seed: [String: [JSONValue]],
    events: AsyncStream<WixEvent>.Continuation? = nil
  ) {
    self.events = events
    self.bulkFailureRate = bulkFailureRate
    siteURL = "https://\(siteID).wixsite.example"
    random = SeededRandom(seed: 20_261_122)
    ownerMemberID = UUID().uuidString.lowercased()
    self.seed = seed
  }

  /// Adds the blog owner and the seed on first use (a synchronous actor init cannot call the
  /// actor's methods); every entry point of the simulator calls it first.
  func prepare() {
    guard let seed else { return }
    self.seed = nil
    addMember(loginEmail: "owner@sim.example", first: "Blog", last: "Owner", id: ownerMemberID)
    for (collection, objects) in seed.sorted(by: { $0.key < $1.key }) {
      for case .object(let fields) in objects { insert(collection, fields) }
    }
    announcing = true
  }

  // MARK: Clock and ids

  /// Now, in Wix's form (`2026-11-22T10:00:00.123Z`); strictly later than the time before, so
  /// every write has its own `updatedDate` and "changed since" filters are exact.
  func now() -> String {
    var millisecond = Int64(Date().timeIntervalSince1970 * 1000)
    if millisecond <= lastMillisecond { millisecond = lastMillisecond + 1 }
    lastMillisecond = millisecond
    let date = Date(timeIntervalSince1970: Double(millisecond) / 1000 + 0.0001)
    return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }

  nonisolated func newID() -> String { UUID().uuidString.lowercased() }

  /// The next draw of the seeded generator, in 0..<1: injected bulk failures repeat run to run.
  func draw() -> Double { random.unit() }

  /// `Senior Welder!` → `senior-welder`.
  nonisolated static func slug(_ text: String) -> String {
    let lowered = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
    return String(lowered).split(separator: "-").joined(separator: "-")
  }

  // MARK: Seed

  private func insert(_ collection: String, _ given: Object) {
    var object = given
    let id = given["id"]?.string ?? newID()
    object["id"] = .string(id)
    let time = now()
    object["createdDate"] = object["createdDate"] ?? .string(time)
    switch collection {
    case "members":
      object["status"] = object["status"] ?? "APPROVED"
      object["updatedDate"] = object["updatedDate"] ?? object["createdDate"]
      if object["contactId"] == nil {
        let contact = insertContact(
          info: ["emails": ["items": [["tag": "MAIN", "email": object["loginEmail"] ?? ""]]]], now: time)
        object["contactId"] = contact["id"]
      }
      members[id] = object
    case "contacts":
      object["revision"] = object["revision"] ?? 1
      object["updatedDate"] = object["updatedDate"] ?? object["createdDate"]
      object["info"] = object["info"] ?? [:]
      object["primaryInfo"] = object["primaryInfo"] ?? Self.primaryInfo(object["info"] ?? [:])
      contacts[id] = object
    case "draftPosts":
      object.merge(Self.newDraft(id: id, at: time)) { given, _ in given }
      object["editedDate"] = given["editedDate"] ?? object["createdDate"]
      object["hasUnpublishedChanges"] = given["hasUnpublishedChanges"] ?? .bool(object["status"] != "PUBLISHED")
      object["memberId"] = object["memberId"] ?? .string(ownerMemberID)
      draftPosts[id] = object
      if object["status"] == "PUBLISHED" {
        object["firstPublishedDate"] = object["firstPublishedDate"] ?? object["createdDate"]
        draftPosts[id] = object
        posts[id] = Self.post(from: object, at: object["firstPublishedDate"]?.string ?? time)
      }
    case "categories":
      object["displayPosition"] = object["displayPosition"] ?? 0
      categories[id] = object
    case "tags":
      object["slug"] = object["slug"] ?? .string(Self.slug(object["label"]?.string ?? id))
      tags[id] = object
    case "submissions":
      object["namespace"] = object["namespace"] ?? "wix.form_app.form"
      object["status"] = object["status"] ?? "CONFIRMED"
      object["updatedDate"] = object["updatedDate"] ?? object["createdDate"]
      submissions[id] = object
    default:
      break
    }
  }

  // MARK: Stats

  /// Counts of every kind of object, and drafts per hashtag and contacts per email, so a test
  /// can prove a client made no duplicates.
  func stats() -> [String: JSONValue] {
    var perHashtag: [String: Int] = [:]
    var byStatus: [String: Int] = [:]
    for draft in draftPosts.values {
      let status = draft["status"]?.string ?? "UNKNOWN"
      byStatus[status, default: 0] += 1
      guard status != "DELETED" else { continue }
      for case .string(let tag) in draft["hashtags"]?.array ?? [] { perHashtag[tag, default: 0] += 1 }
    }
    var perEmail: [String: Int] = [:]
    for contact in contacts.values {
      if let email = contact["primaryInfo"]?["email"]?.string { perEmail[email.lowercased(), default: 0] += 1 }
    }
    func numbers(_ counts: [String: Int]) -> JSONValue { .object(counts.mapValues { .number(Double($0)) }) }
    return [
      "objects": numbers([
        "draftPosts": draftPosts.count, "posts": posts.count, "categories": categories.count, "tags": tags.count,
        "members": members.count, "contacts": contacts.count, "labels": labels.count,
        "extendedFields": extendedFields.count, "submissions": submissions.count,
        "trashedSubmissions": trashedSubmissions.count,
      ]),
      "draft_posts_per_hashtag": numbers(perHashtag),
      "draft_posts_by_status": numbers(byStatus),
      "contacts_per_email": numbers(perEmail),
    ]
  }
}

/// SplitMix64: a small generator whose draws repeat for one seed.
struct SeededRandom: Sendable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func unit() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 53)
  }
}
