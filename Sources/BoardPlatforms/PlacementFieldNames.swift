import BoardCore
import BoardSpec

/// What a platform calls a posting's location and salary fields, so the mapping from a posting
/// to attributes is written once for every adapter (`location.city` on the file boards, `city`
/// and `zipcode` on Manatal, …). A nil name leaves that field out.
struct PlacementFieldNames: Sendable {
  var streetAddress: String?
  var city: String?
  var region: String?
  var country: String?
  var postalCode: String?
  var remote: String?
  var salaryMin: String?
  var salaryMax: String?
  var currency: String?
  var period: String?

  /// The neutral, dotted names the file boards use (`location.city`, `salary.min`).
  static let dotted = PlacementFieldNames(
    streetAddress: "location.street_address", city: "location.city", region: "location.region",
    country: "location.country", postalCode: "location.postal_code", remote: "location.remote",
    salaryMin: "salary.min", salaryMax: "salary.max", currency: "salary.currency", period: "salary.period")
}

extension Dictionary where Key == String, Value == AttributeValue {
  /// Sets the location's fields under `names`, when the posting has a location.
  mutating func set(_ location: Location?, names: PlacementFieldNames) {
    guard let location else { return }
    if let key = names.streetAddress { set(key, location.streetAddress) }
    if let key = names.city { set(key, location.city) }
    if let key = names.region { set(key, location.region) }
    if let key = names.country { set(key, location.country) }
    if let key = names.postalCode { set(key, location.postalCode) }
    if let key = names.remote { set(key, location.remote) }
  }

  /// Sets the salary's fields under `names`, when the posting has a salary.
  mutating func set(_ salary: Salary?, names: PlacementFieldNames) {
    guard let salary else { return }
    if let key = names.salaryMin { set(key, salary.min) }
    if let key = names.salaryMax { set(key, salary.max) }
    if let key = names.currency { set(key, salary.currency) }
    if let key = names.period { set(key, salary.period) }
  }
}
