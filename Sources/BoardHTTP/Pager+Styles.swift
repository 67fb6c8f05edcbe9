import BoardSupport
import Foundation

extension Pager {
  /// Django REST framework (Manatal): the answer's `field` is the next page's absolute URL, null on
  /// the last page; an answer that is a bare JSON array is the only page. A next URL on another
  /// host is refused (the credential must not follow it), and one that drops https is upgraded.
  public static func nextURL(_ first: HTTPRequestSpec, field: String = "next") -> Pager {
    Pager(first: first) { sent, answer in
      guard case .object(let envelope)? = JSONValue.parse(answer.body) else { return nil }
      guard case .string(let next)? = envelope[field], !next.isEmpty else { return nil }
      var request = sent
      request.url = try sameOrigin(next, as: sent.url)
      guard request.url != sent.url else {
        throw HTTPFailure.badPage(url: Redaction.url(sent.url), reason: "its next page is the page itself")
      }
      return request
    }
  }

  /// Cursor paging (Wix `cursorPaging`): each request asks for `limit` items and, after the first,
  /// passes the answer's `<metadata>.cursors.next` as the cursor; there is no next page when that
  /// is absent or `hasNext` is false. In a POST body the parameters go in `query.cursorPaging`,
  /// and later pages drop `query.filter` and `query.sort` (the cursor carries them); in a GET,
  /// they are `cursorPaging.limit` and `cursorPaging.cursor` query parameters.
  /// Throws when `first` is a POST whose body is not a JSON object.
  public static func cursor(_ first: HTTPRequestSpec, limit: Int, metadata: String = "pagingMetadata") throws -> Pager {
    let opening = try placing("cursorPaging", ["limit": .number(Double(limit))], in: first, dropping: [])
    return Pager(first: opening) { sent, answer in
      let paging = try metadataObject(metadata, in: answer, sent: sent)
      if paging["hasNext"]?.bool == false { return nil }
      guard case .string(let next)? = paging["cursors"]?["next"], !next.isEmpty else { return nil }
      guard next != sentValue("cursorPaging", "cursor", in: sent)?.string else {
        throw HTTPFailure.badPage(url: Redaction.url(sent.url), reason: "the cursor did not move")
      }
      return try placing(
        "cursorPaging", ["limit": .number(Double(limit)), "cursor": .string(next)], in: sent,
        dropping: ["filter", "sort"])
    }
  }

  /// Offset paging (Wix `paging`): each request asks for `limit` items from an offset, the next
  /// one from the offset plus the answer's `<metadata>.count`. The walk ends on an empty page, at
  /// `total` (unless `tooManyToCount`), when `hasNext` is false, or on a short page when no
  /// total is given. In a POST body the parameters go in `query.paging`; in a GET, they are
  /// `paging.limit` and `paging.offset` query parameters.
  /// Throws when `first` is a POST whose body is not a JSON object.
  public static func offset(_ first: HTTPRequestSpec, limit: Int, metadata: String = "pagingMetadata") throws -> Pager {
    let opening = try placing("paging", ["limit": .number(Double(limit)), "offset": 0], in: first, dropping: [])
    return Pager(first: opening) { sent, answer in
      let paging = try metadataObject(metadata, in: answer, sent: sent)
      guard let count = paging["count"]?.int else {
        throw HTTPFailure.badPage(url: Redaction.url(sent.url), reason: "its \(metadata) has no count")
      }
      let offset = sentValue("paging", "offset", in: sent)?.int ?? 0
      if count == 0 { return nil }
      if let hasNext = paging["hasNext"]?.bool {
        if !hasNext { return nil }
      } else if let total = paging["total"]?.int, paging["tooManyToCount"]?.bool != true {
        if offset + count >= total { return nil }
      } else if count < limit {
        return nil
      }
      return try placing(
        "paging", ["limit": .number(Double(limit)), "offset": .number(Double(offset + count))], in: sent, dropping: [])
    }
  }

  // MARK: Where the parameters go

  /// `spec` with paging parameters `values` under `key`: in the POST body's `query` object, or
  /// as `key.name` query parameters of a GET. `dropping` names `query` members to remove.
  static func placing(_ key: String, _ values: [String: JSONValue], in spec: HTTPRequestSpec, dropping: [String]) throws
    -> HTTPRequestSpec
  {
    var request = spec
    if spec.method == .GET {
      guard var components = URLComponents(string: spec.url) else {
        throw HTTPFailure.badPage(url: Redaction.url(spec.url), reason: "it is not a URL")
      }
      var items = (components.percentEncodedQueryItems ?? []).filter { !$0.name.hasPrefix(key + ".") }
      for name in values.keys.sorted() {
        let value = values[name]?.string?.addingPercentEncoding(withAllowedCharacters: queryValueAllowed)
        items.append(URLQueryItem(name: "\(key).\(name)", value: value))
      }
      components.percentEncodedQueryItems = items
      request.url = components.string ?? spec.url
      return request
    }
    var root: [String: JSONValue] = [:]
    if let body = spec.body, !body.isEmpty {
      guard case .object(let object)? = JSONValue.parse(body) else {
        throw HTTPFailure.badPage(url: Redaction.url(spec.url), reason: "its request body is not a JSON object")
      }
      root = object
    }
    var query = root["query"]?.object ?? [:]
    for name in dropping { query[name] = nil }
    query[key] = .object(values)
    root["query"] = .object(query)
    request.body = JSONValue.object(root).data
    if !request.headers.contains(where: { $0.0.lowercased() == "content-type" }) {
      request.headers.append(("Content-Type", "application/json"))
    }
    return request
  }

  /// The paging parameter `key.name` as `placing` put it in `spec`.
  static func sentValue(_ key: String, _ name: String, in spec: HTTPRequestSpec) -> JSONValue? {
    if spec.method == .GET {
      let items = URLComponents(string: spec.url)?.queryItems ?? []
      return items.first { $0.name == "\(key).\(name)" }?.value.map(JSONValue.string)
    }
    return spec.body.flatMap(JSONValue.parse)?["query"]?[key]?[name]
  }

  /// What must not stand unescaped in a query value (a cursor is opaque text).
  static let queryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))

  // MARK: Reading answers

  static func metadataObject(_ key: String, in answer: HTTPResult, sent: HTTPRequestSpec) throws -> JSONValue {
    guard let paging = JSONValue.parse(answer.body)?[key], paging.object != nil else {
      throw HTTPFailure.badPage(url: Redaction.url(sent.url), reason: "the answer has no \(key) object")
    }
    return paging
  }

  /// `next` when it is on the same host and port as `current`; an http link from an https list
  /// is upgraded (DRF behind a TLS proxy writes http links). Anything else is refused.
  static func sameOrigin(_ next: String, as current: String) throws -> String {
    guard var link = URLComponents(string: next), let here = URLComponents(string: current),
      let host = link.host, let scheme = link.scheme?.lowercased()
    else {
      throw HTTPFailure.badPage(url: Redaction.url(current), reason: "its next page is not an absolute URL")
    }
    func port(_ components: URLComponents, _ scheme: String?) -> Int? {
      components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
    }
    let hereScheme = here.scheme?.lowercased()
    if scheme == "http" && hereScheme == "https" && link.port == nil {
      link.scheme = "https"
    }
    guard host.lowercased() == here.host?.lowercased(), link.scheme?.lowercased() == hereScheme,
      port(link, link.scheme?.lowercased()) == port(here, hereScheme)
    else {
      throw HTTPFailure.badPage(
        url: Redaction.url(current),
        reason: "its next page is at \(scheme)://\(host), not where the list began; credentials do not follow it")
    }
    return link.string ?? next
  }
}
