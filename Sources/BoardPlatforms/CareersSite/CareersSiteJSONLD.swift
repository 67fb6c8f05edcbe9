import BoardCore
import BoardSupport
import Foundation

/// schema.org `JobPosting` JSON-LD from a page's attributes: Google's required properties, and
/// the recommended ones the posting has.
enum CareersSiteJSONLD {
  static let employmentTypes = [
    "full_time": "FULL_TIME", "part_time": "PART_TIME", "contractor": "CONTRACTOR", "temporary": "TEMPORARY",
    "intern": "INTERN", "volunteer": "VOLUNTEER", "per_diem": "PER_DIEM", "other": "OTHER",
  ]

  static func object(_ a: Attributes, descriptionHTML: String) -> JSONValue {
    var job: [String: JSONValue] = [
      "@context": "https://schema.org/",
      "@type": "JobPosting",
      "title": .string(a["title"]?.stringValue ?? ""),
      "description": .string(descriptionHTML),
      "datePosted": .string(a["date_posted"]?.stringValue ?? ""),
      "directApply": .bool(a["direct_apply"] == .bool(true)),
    ]
    func text(_ key: String) -> JSONValue? { a[key]?.stringValue.map(JSONValue.string) }
    job["url"] = text("url")
    job["validThrough"] = a["valid_through"]?.stringValue.map { .string($0 + "T23:59:59Z") }
    job["employmentType"] = a["employment_type"]?.stringValue.flatMap { employmentTypes[$0] }.map(JSONValue.string)
    if let name = a["organization.name"]?.stringValue {
      var organization: [String: JSONValue] = ["@type": "Organization", "name": .string(name)]
      organization["sameAs"] = text("organization.url")
      organization["logo"] = text("organization.logo")
      job["hiringOrganization"] = .object(organization)
    }
    if let url = a["url"]?.stringValue, let name = url.split(separator: "/").last?.split(separator: ".").first {
      job["identifier"] = [
        "@type": "PropertyValue", "name": .string(a["organization.name"]?.stringValue ?? ""),
        "value": .string(String(name)),
      ]
    }
    var address: [String: JSONValue] = ["@type": "PostalAddress"]
    address["streetAddress"] = text("location.street_address")
    address["addressLocality"] = text("location.city")
    address["addressRegion"] = text("location.region")
    address["postalCode"] = text("location.postal_code")
    address["addressCountry"] = text("location.country")
    if a["location.remote"] == .bool(true) {
      job["jobLocationType"] = "TELECOMMUTE"
      if let country = text("location.country") {
        job["applicantLocationRequirements"] = ["@type": "Country", "name": country]
      }
    } else {
      job["jobLocation"] = ["@type": "Place", "address": .object(address)]
    }
    if let currency = text("salary.currency"), let period = a["salary.period"]?.stringValue {
      var value: [String: JSONValue] = ["@type": "QuantitativeValue", "unitText": .string(period.uppercased())]
      let min = number(a["salary.min"])
      let max = number(a["salary.max"])
      if let min, let max {
        value["minValue"] = min
        value["maxValue"] = max
      } else if let single = min ?? max {
        value["value"] = single
      }
      job["baseSalary"] = ["@type": "MonetaryAmount", "currency": currency, "value": .object(value)]
    }
    return .object(job)
  }

  /// The JSON text that goes inside `<script type="application/ld+json">`, with `<`, `>` and `&`
  /// escaped (`EmbeddedJSON`) so that no value can end the element or open a comment in it.
  static func script(_ a: Attributes, descriptionHTML: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(object(a, descriptionHTML: descriptionHTML))) ?? Data("{}".utf8)
    return EmbeddedJSON.escaped(String(decoding: data, as: UTF8.self))
  }

  private static func number(_ value: AttributeValue?) -> JSONValue? {
    guard case .number(let n)? = value else { return nil }
    return .number(n)
  }
}
