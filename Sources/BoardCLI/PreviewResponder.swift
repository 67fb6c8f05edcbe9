import BoardEngine
import BoardSupport
import Foundation
import Hummingbird

/// Answers `boardctl preview`'s requests from the rendered folder: files inside it only, the
/// index for `/`, and the configuration's problems instead of a page while it does not load.
enum PreviewResponder {
  static func respond(to request: Request, from folder: PreviewFolder) async -> Response {
    guard request.method == .get || request.method == .head else {
      return text(.methodNotAllowed, "Only GET and HEAD.")
    }
    switch await folder.site() {
    case .failed(let problems):
      return html(
        .internalServerError,
        "<!doctype html><meta charset=\"utf-8\"><title>boards.d has problems</title><h1>boards.d has problems</h1><p>Fix them and reload.</p><pre>\(CharacterEscapes.html(problems))</pre>"
      )
    case .rendered(let root, _, _):
      guard let relative = file(for: request.uri.path) else { return text(.notFound, "Not found.") }
      let path = root + "/" + relative
      guard RealPath.isInside(path, folder: root), let data = FileManager.default.contents(atPath: path) else {
        return text(.notFound, "Not found.")
      }
      var headers = HTTPFields()
      headers[.contentType] = contentType(of: relative)
      headers[.cacheControl] = "no-store"
      return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
  }

  /// The file a URL path names, relative to the site's folder: `/` is the index; a path with
  /// a `..` segment or a NUL names nothing.
  static func file(for urlPath: String) -> String? {
    let decoded = urlPath.removingPercentEncoding ?? urlPath
    var segments = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    guard !segments.contains(where: { $0 == ".." || $0.contains("\0") }) else { return nil }
    segments.removeAll { $0 == "." }
    if segments.isEmpty || decoded.hasSuffix("/") { segments.append("index.html") }
    return segments.joined(separator: "/")
  }

  static func contentType(of path: String) -> String {
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "html": return "text/html; charset=utf-8"
    case "xml": return "application/xml; charset=utf-8"
    case "css": return "text/css; charset=utf-8"
    case "js": return "text/javascript; charset=utf-8"
    case "json": return "application/json"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "svg": return "image/svg+xml"
    default: return "application/octet-stream"
    }
  }

  static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "text/plain; charset=utf-8"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
  }

  static func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "text/html; charset=utf-8"
    headers[.cacheControl] = "no-store"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
  }
}
