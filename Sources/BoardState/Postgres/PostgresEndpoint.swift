import Foundation
import PostgresNIO

/// A PostgreSQL state's server, database, credentials and TLS mode, parsed from its URL
/// (`postgres://user:password@host:5432/database?sslmode=require`). The URL is a secret: only
/// `display` (host, port and database) ever appears in a message.
struct PostgresEndpoint: Sendable {
  /// libpq's `sslmode` values, with libpq's meaning: `prefer` (the default) and `allow` use TLS
  /// when the server offers it; `require` insists on it without checking the certificate
  /// (unless `sslrootcert` names a CA); `verify-ca` checks the chain, `verify-full` the name too.
  enum TLSMode: String, Sendable {
    case disable, allow, prefer, require
    case verifyCA = "verify-ca"
    case verifyFull = "verify-full"
  }

  var host: String
  var port: Int
  /// The server's Unix socket, when the URL names a socket folder (`?host=/var/run/postgresql`).
  var socketPath: String?
  var username: String
  var password: String?
  var database: String
  var tlsMode: TLSMode
  /// A CA file to verify the server's certificate against (`sslrootcert`).
  var rootCertificate: String?
  var connectTimeout: Duration
  var applicationName: String

  /// The query parameters this build understands; anything else is refused, as libpq does.
  static let knownParameters: Set<String> = [
    "sslmode", "sslrootcert", "connect_timeout", "application_name", "host", "port", "user", "password", "dbname",
  ]

  /// Where the state is, for messages: `database 'boardctl' on db.internal:5432`.
  var display: String {
    if let socketPath { return "database '\(database)' on socket \(socketPath)" }
    return "database '\(database)' on \(host.contains(":") ? "[\(host)]" : host):\(port)"
  }

  /// Parses `url`. Failures name `source` and say how a URL looks; they never quote the URL,
  /// which may hold a password.
  static func parse(_ url: String, source: String, location: String) throws -> PostgresEndpoint {
    let example = "postgres://user:password@host:5432/database?sslmode=require"
    func invalid(_ reason: String) -> StateError {
      .unavailable(
        location: location, reason: reason,
        fix: "Set \(source) to a URL like \(example) (percent-encode @, :, / and # in the password)")
    }
    let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
      throw invalid("the value of \(source) is not a URL")
    }
    guard scheme == "postgres" || scheme == "postgresql" else {
      throw invalid("the URL in \(source) is not a postgres:// URL")
    }
    var parameters: [String: String] = [:]
    for item in components.queryItems ?? [] {
      guard knownParameters.contains(item.name) else {
        throw invalid(
          "the URL in \(source) has a query parameter boardctl does not know (it knows \(knownParameters.sorted().joined(separator: ", ")))"
        )
      }
      parameters[item.name] = item.value ?? ""
    }
    var host = parameters["host"] ?? components.host ?? ""
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    var port = components.port ?? 5432
    if let text = parameters["port"] {
      guard let value = Int(text), (1...65535).contains(value) else {
        throw invalid("the port in the URL in \(source) is not a number from 1 to 65535")
      }
      port = value
    }
    let environment = ProcessInfo.processInfo.environment
    let username = parameters["user"] ?? components.user ?? environment["USER"] ?? "postgres"
    let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    let database = parameters["dbname"] ?? (path.isEmpty ? username : path)
    guard !database.contains("/") else { throw invalid("the URL in \(source) names more than a database in its path") }
    var socketPath: String?
    if host.hasPrefix("/") {
      // libpq's convention: a host that is a folder means the server's Unix socket in it.
      socketPath = host + "/.s.PGSQL.\(port)"
    } else if host.isEmpty {
      host = "localhost"
    }
    let modeText = parameters["sslmode"] ?? "prefer"
    guard let tlsMode = TLSMode(rawValue: modeText) else {
      throw invalid(
        "sslmode '\(modeText)' in the URL in \(source) is not one of disable, allow, prefer, require, verify-ca, verify-full"
      )
    }
    var connectTimeout = Duration.seconds(5)
    if let text = parameters["connect_timeout"] {
      guard let seconds = Int(text), seconds > 0 else {
        throw invalid("connect_timeout in the URL in \(source) is not a whole number of seconds")
      }
      connectTimeout = .seconds(seconds)
    }
    return PostgresEndpoint(
      host: host, port: port, socketPath: socketPath, username: username,
      password: parameters["password"] ?? components.password, database: database, tlsMode: tlsMode,
      rootCertificate: parameters["sslrootcert"], connectTimeout: connectTimeout,
      applicationName: parameters["application_name"] ?? "boardctl")
  }

  /// The TLS settings `tlsMode` stands for.
  func tlsConfiguration() -> TLSConfiguration {
    var configuration = TLSConfiguration.makeClientConfiguration()
    switch tlsMode {
    case .disable, .allow, .prefer:
      configuration.certificateVerification = .none
    case .require:
      configuration.certificateVerification = rootCertificate == nil ? .none : .noHostnameVerification
    case .verifyCA:
      configuration.certificateVerification = .noHostnameVerification
    case .verifyFull:
      configuration.certificateVerification = .fullVerification
    }
    if let rootCertificate { configuration.trustRoots = .file(rootCertificate) }
    return configuration
  }

  /// The pool's configuration: `connections` at most, connects bounded by `connectTimeout`.
  func clientConfiguration(connections: Int) -> PostgresClient.Configuration {
    var configuration: PostgresClient.Configuration
    if let socketPath {
      configuration = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
    } else {
      let tls: PostgresClient.Configuration.TLS
      switch tlsMode {
      case .disable: tls = .disable
      case .allow, .prefer: tls = .prefer(tlsConfiguration())
      case .require, .verifyCA, .verifyFull: tls = .require(tlsConfiguration())
      }
      configuration = .init(
        host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
    configuration.options.connectTimeout = connectTimeout
    configuration.options.maximumConnections = connections
    configuration.options.minimumConnections = 0
    configuration.options.connectionIdleTimeout = .seconds(30)
    configuration.options.additionalStartupParameters = [("application_name", applicationName)]
    return configuration
  }

  /// The configuration of one connection outside the pool (opening, diagnosing).
  func connectionConfiguration() throws -> PostgresConnection.Configuration {
    var configuration: PostgresConnection.Configuration
    if let socketPath {
      configuration = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
    } else {
      let tls: PostgresConnection.Configuration.TLS
      switch tlsMode {
      case .disable: tls = .disable
      case .allow, .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
      case .require, .verifyCA, .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration()))
      }
      configuration = .init(
        host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
    configuration.options.connectTimeout = .nanoseconds(
      connectTimeout.components.seconds * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000)
    configuration.options.additionalStartupParameters = [("application_name", applicationName)]
    return configuration
  }
}
