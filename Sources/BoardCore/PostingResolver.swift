import BoardSpec
import BoardSupport
import Mustache

/// Applies overrides and templates. Templates are parsed once; a template that does not parse is a
/// diagnostic at its document.
public struct PostingResolver: Sendable {
  private struct Compiled: Sendable {
    var title: MustacheTemplate?
    var description: MustacheTemplate?
  }

  private var templates: [String: Compiled] = [:]
  private var organization: Organization?
  public private(set) var diagnostics: [Diagnostic] = []

  /// Templates render plain text: the page layouts escape for HTML themselves.
  static let pragma = "{{% CONTENT_TYPE: TEXT}}"

  public init(config: Config) {
    organization = config.workspace?.organization
    for template in config.templates {
      var compiled = Compiled()
      compiled.title = compile(template.title, key: "title", in: template)
      compiled.description = compile(template.description, key: "description", in: template)
      templates[template.name] = compiled
    }
  }

  private mutating func compile(_ text: String?, key: String, in template: Template) -> MustacheTemplate? {
    guard let text else { return nil }
    if let problem = TemplateText.problem(text) {
      diagnostics.append(.error("template '\(template.name)' \(key) \(problem)", at: template.source.location(of: key)))
      return nil
    }
    do {
      return try MustacheTemplate(string: Self.pragma + text)
    } catch let error as MustacheTemplate.ParserError {
      let column =
        error.context.lineNumber == 1 ? error.context.columnNumber - Self.pragma.count : error.context.columnNumber
      diagnostics.append(
        .error(
          "template '\(template.name)' \(key) does not parse: \(Self.describe(error.error)) (template line \(error.context.lineNumber), column \(max(column, 1)))",
          at: template.source.location(of: key)))
    } catch {
      diagnostics.append(
        .error("template '\(template.name)' \(key) does not parse", at: template.source.location(of: key)))
    }
    return nil
  }

  static func describe(_ error: any Error) -> String { TemplateText.words(error) }

  /// The posting as `board` publishes it.
  public func resolve(_ posting: Posting, on board: Board) -> ResolvedPosting {
    var fields = posting.fields.overridden(by: posting.overrides[board.name])
    let templateName = posting.template ?? board.defaultTemplate
    if let templateName, let compiled = templates[templateName] {
      let context = Self.context(posting: posting, fields: fields, board: board, organization: organization)
      if let title = compiled.title { fields.title = title.render(context).trimmingWhitespace() }
      if let description = compiled.description { fields.description = description.render(context) }
    }
    return ResolvedPosting(posting: posting, board: board, fields: fields, organization: organization)
  }

  /// The values a template sees, named as in the YAML.
  static func context(posting: Posting, fields: PostingFields, board: Board, organization: Organization?) -> [String:
    Any]
  {
    var context: [String: Any] = [
      "name": posting.name,
      "title": fields.title ?? "",
      "description": fields.description ?? "",
      "board": board.name,
    ]
    context["employment_type"] = fields.employmentType
    context["valid_through"] = fields.validThrough
    context["apply_url"] = fields.applyURL
    if let location = fields.location {
      var l: [String: Any] = ["remote": location.remote]
      l["city"] = location.city
      l["region"] = location.region
      l["country"] = location.country
      l["postal_code"] = location.postalCode
      l["street_address"] = location.streetAddress
      context["location"] = l
    }
    if let salary = fields.salary {
      var s: [String: Any] = ["currency": salary.currency, "period": salary.period]
      s["min"] = salary.min.map { AttributeValue.number($0).description }
      s["max"] = salary.max.map { AttributeValue.number($0).description }
      context["salary"] = s
    }
    if let organization {
      var o: [String: Any] = ["name": organization.name]
      o["url"] = organization.url
      context["organization"] = o
    }
    return context
  }
}
