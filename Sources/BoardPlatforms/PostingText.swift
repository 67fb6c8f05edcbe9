import BoardCore
import BoardSpec
import BoardSupport
import Foundation
import Ink

/// Wording and conversions both file boards use.
enum PostingText {
  static let employmentTypeLabels = [
    "full_time": "Full-time", "part_time": "Part-time", "contractor": "Contract", "temporary": "Temporary",
    "intern": "Internship", "volunteer": "Volunteer", "per_diem": "Per diem", "other": "Other",
  ]

  /// Markdown to HTML (Ink), reduced to the allow-list (`HTMLSanitizer`): the one way a posting's
  /// description becomes HTML, for every page, feed and platform. Markdown passes raw HTML
  /// through, and a description is untrusted input until it is merged.
  static func html(fromMarkdown markdown: String) -> String {
    HTMLSanitizer.sanitize(MarkdownParser().html(from: markdown))
  }

  static func number(_ value: AttributeValue?) -> String? {
    guard case .number(let n)? = value else { return nil }
    return AttributeValue.number(n).description
  }

  /// "40,000–60,000 FJD per year" from `salary.*` attributes.
  static func salary(_ a: Attributes, prefix: String = "salary.") -> String? {
    guard let currency = a[prefix + "currency"]?.stringValue, let period = a[prefix + "period"]?.stringValue else {
      return nil
    }
    let amounts = [number(a[prefix + "min"]), number(a[prefix + "max"])].compactMap { $0 }.map(grouped)
    guard !amounts.isEmpty else { return nil }
    return "\(amounts.joined(separator: "–")) \(currency) per \(period)"
  }

  static func grouped(_ digits: String) -> String {
    guard !digits.utf8.contains(UInt8(ascii: ".")), digits.utf8.count > 4 else { return digits }
    var out = ""
    for (index, ch) in digits.reversed().enumerated() {
      if index > 0, index % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }

  /// The attributes every board derives the same way from a posting's fields.
  static func common(_ fields: PostingFields, into a: inout Attributes) {
    a.set("employment_type", fields.employmentType)
    a.set(fields.location, names: .dotted)
    a.set(fields.salary, names: .dotted)
    a.set("valid_through", fields.validThrough)
    a.set("apply_url", fields.applyURL)
  }

  /// Rules both boards share: sane salary ranges.
  static func commonProblems(_ fields: PostingFields, today: CalendarDate) -> [PostingProblem] {
    // An expired valid_through is not a problem: the posting is closed (`PostingChecker`).
    var problems: [PostingProblem] = []
    if let salary = fields.salary {
      if salary.min == nil && salary.max == nil {
        problems.append(PostingProblem(field: "salary", "salary needs min or max (or both)"))
      }
      if let min = salary.min, let max = salary.max, min > max {
        problems.append(
          PostingProblem(
            field: "salary.min",
            "salary.min (\(grouped(AttributeValue.number(min).description))) is above salary.max (\(grouped(AttributeValue.number(max).description)))"
          ))
      }
    }
    if !(fields.description ?? "").hasVisibleText {
      problems.append(PostingProblem(field: "description", "description is empty"))
    }
    return problems
  }

  /// Today's date in UTC.
  static func dateString(_ date: CalendarDate) -> String { date.description }
}
