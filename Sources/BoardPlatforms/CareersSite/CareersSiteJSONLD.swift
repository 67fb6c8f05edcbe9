import BoardCore
import Foundation

/// schema.org `JobPosting` JSON-LD from a page's attributes: Google's required properties, and
/// the recommended ones the posting has.
enum CareersSiteJSONLD {
  static let employmentTypes = [
    "full_time": "FULL_TIME", "part_time": "PART_TIME", "contractor": "CONTRACTOR", "temporary": "TEMPORARY",
    "intern": "INTERN", "volunteer": "VOLUNTEER", "per_diem": "PER_DIEM", "other": "OTHER",
  ]

  static func object(_ a: Attributes, descriptionHTML: String) -> [String: Any] {
    var job: [String: Any] = [
      "@context": "https://schema.org/",
      "@type": "JobPosting",
      "title": a["title"]?.stringValue ?? "",
      "description": descriptionHTML,
      "datePosted": a["date_posted"]?.stringValue ?? "",
      "directApply": a["direct_apply"] == .bool(true),
    ]
    job["url"] = a["url"]?.stringValue
    job["validThrough"] = a["valid_through"]?.stringValue.map { $0 + "T23:59:59Z" }
    job["employmentType"] = a["employment_type"]?.stringValue.flatMap { employmentTypes[$0] }
    if let name = a["organization.name"]?.stringValue {
      var organization: [String: Any] = ["@type": "Organization", "name": name]
      organization["sameAs"] = a["organization.url"]?.stringValue
      organization["logo"] = a["organization.logo"]?.stringValue
      job["hiringOrganization"] = organization
    }
    if let url = a["url"]?.stringValue, let name = url.split(separator: "/").last?.split(separator: ".").first {
      job["identifier"] = [
        "@type": "PropertyValue", "name": a["organization.name"]?.stringValue ?? "", "value": String(name),
      ]
    }
    var address: [String: Any] = ["@type": "PostalAddress"]
    address["streetAddress"] = a["location.street_address"]?.stringValue
    address["addressLocality"] = a["location.city"]?.stringValue
    address["addressRegion"] = a["location.region"]?.stringValue
    address["postalCode"] = a["location.postal_code"]?.stringValue
    address["addressCountry"] = a["location.country"]?.stringValue
    if a["location.remote"] == .bool(true) {
      job["jobLocationType"] = "TELECOMMUTE"
      if let country = a["location.country"]?.stringValue {
        job["applicantLocationRequirements"] = ["@type": "Country", "name": country]
      }
    } else {
      job["jobLocation"] = ["@type": "Place", "address": address]
    }
    if let currency = a["salary.currency"]?.stringValue, let period = a["salary.period"]?.stringValue {
      var value: [String: Any] = ["@type": "QuantitativeValue", "unitText": period.uppercased()]
      let min = number(a["salary.min"])
      let max = number(a["salary.max"])
      if let min, let max {
        value["minValue"] = min
        value["maxValue"] = max
      } else if let single = min ?? max {
        value["value"] = single
      }
      job["baseSalary"] = ["@type": "MonetaryAmount", "currency": currency, "value": value]
    }
    return job
  }

  /// The JSON text that goes inside `<script type="application/ld+json">`; `/` is escaped so the
  /// text can never close the script element.
  static func script(_ a: Attributes, descriptionHTML: String) -> String {
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object(a, descriptionHTML: descriptionHTML), options: [.prettyPrinted, .sortedKeys]))
      ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
  }

  private static func number(_ value: AttributeValue?) -> Any? {
    guard case .number(let n)? = value else { return nil }
    return n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
  }
}
