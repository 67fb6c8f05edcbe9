import Foundation
import PostgresNIO

#if canImport(Glibc)
  import Glibc
#endif

/// Turns what the driver threw into a `StateError` that says what went wrong and how to fix it.
/// It reads codes and SQLSTATEs, never the driver's descriptions, and names only the URL's
/// source, host, port and database: neither the URL nor its password can leak into a message.
struct PostgresDiagnosis: Sendable {
  /// The state, for messages: "the PostgreSQL state at $BOARDCTL_PG_URL (database 'x' on h:5432)".
  var location: String
  /// Where the URL came from: "$BOARDCTL_PG_URL".
  var source: String
  var endpoint: PostgresEndpoint

  /// What the store was doing, which changes the advice for a refused permission.
  enum Phase: Sendable { case connecting, creating, using }

  func stateError(_ error: any Error, phase: Phase = .using) -> any Error {
    if error is StateError || error is CancellationError { return error }
    if let error = error as? PSQLError { return translate(error, phase: phase) }
    if let error = error as? NIOSSLError { return tlsFailed("\(error)") }
    if error is NIOConnectionError || error is IOError || error is ChannelError {
      return unreachable(error)
    }
    return unavailable(
      "the driver failed (\(type(of: error)))", fix: "Run the command again; if it persists, please report it")
  }

  private func translate(_ error: PSQLError, phase: Phase) -> StateError {
    switch error.code {
    case .server:
      return server(error, phase: phase)
    case .sslUnsupported:
      return unavailable(
        "the server does not offer TLS, and sslmode=\(endpoint.tlsMode.rawValue) requires it",
        fix:
          "Turn on ssl in the server's configuration, or set sslmode=prefer (or disable, on a trusted network) in \(source)"
      )
    case .failedToAddSSLHandler:
      return tlsFailed("the TLS session could not be set up")
    case .connectionError:
      return unreachable(error.underlying)
    case .authMechanismRequiresPassword:
      return unavailable(
        "the server asks for a password and the URL in \(source) has none",
        fix: "Put the password in the URL (postgres://user:password@host/db)")
    case .unsupportedAuthMechanism:
      return unavailable(
        "the server asks for an authentication method boardctl does not support (it supports password, md5 and SCRAM)",
        fix: "Let this user log in with scram-sha-256 or md5 in pg_hba.conf")
    case .saslError:
      return unavailable(
        "the server refused the password (SCRAM authentication failed)", fix: "Check the user and password in \(source)"
      )
    case .serverClosedConnection, .uncleanShutdown:
      return unavailable(
        "the server closed the connection",
        fix: "Check that the server is up and accepts this host, then run the command again")
    case .poolClosed, .clientClosedConnection:
      return unavailable("the state was already closed", fix: "This is a bug in boardctl; please report it")
    case .queryCancelled:
      return unavailable("the statement was cancelled", fix: "Run the command again")
    default:
      return unavailable(
        "the driver failed (\(error.code))", fix: "Run the command again; if it persists, please report it")
    }
  }

  private func server(_ error: PSQLError, phase: Phase) -> StateError {
    let state = error.serverInfo?[.sqlState] ?? ""
    let message = error.serverInfo?[.message] ?? "no message"
    switch state {
    case "28P01":
      return unavailable(
        "the server refused the password (password authentication failed)",
        fix: "Check the user and password in \(source)")
    case "28000":
      // The server's own text names the user and client address; it is left out on purpose.
      return unavailable(
        "the server does not let this user connect to the database from this host (pg_hba.conf)",
        fix: "Add a pg_hba.conf entry for this user and host, or check whether the server requires TLS (sslmode)")
    case "3D000":
      return unavailable(
        "the database does not exist",
        fix: "Create it (createdb \(endpoint.database)) or correct the database name in \(source)")
    case "42501":
      if phase == .creating {
        return unavailable(
          "this user may not create tables in the database (\(message))",
          fix:
            "GRANT CREATE ON SCHEMA public TO the user, or let the database's owner run the first `boardctl apply` so the tables exist"
        )
      }
      return unavailable(
        "this user may not use boardctl's tables (\(message))",
        fix: "GRANT SELECT, INSERT, UPDATE, DELETE on the boardctl_ tables (and USAGE on their sequence) to the user")
    case "53300":
      return unavailable(
        "the server has no free connection slots",
        fix: "Put a pooler such as PgBouncer in front, or raise max_connections")
    case "57P01", "57P02", "57P03":
      return unavailable("the server is shutting down or starting up", fix: "Run the command again in a moment")
    case "42P01", "42703":
      return unavailable(
        "boardctl's tables changed under it (\(message))",
        fix: "Something other than boardctl altered or dropped them; restore the database from a backup")
    default:
      return unavailable(
        "the server answered \(state.isEmpty ? "an error" : state): \(message)", fix: "Check the server's log")
    }
  }

  private func unreachable(_ underlying: (any Error)?) -> StateError {
    let place = endpoint.socketPath.map { "the socket \($0)" } ?? "\(endpoint.host):\(endpoint.port)"
    let fix = "Check the host and port in \(source), that the server runs and that this machine may reach it"
    if let error = underlying as? ChannelError, case .connectTimeout = error {
      return unavailable("no answer from \(place) within \(endpoint.connectTimeout)", fix: fix)
    }
    if let error = underlying as? NIOConnectionError {
      if error.connectionErrors.isEmpty && (error.dnsAError != nil || error.dnsAAAAError != nil) {
        return unavailable("the host name \(endpoint.host) does not resolve", fix: fix)
      }
      if let first = error.connectionErrors.first?.error as? IOError {
        return unavailable("cannot connect to \(place): \(Self.reason(first.errnoCode))", fix: fix)
      }
      return unavailable("cannot connect to \(place)", fix: fix)
    }
    if let error = underlying as? IOError {
      return unavailable("cannot connect to \(place): \(Self.reason(error.errnoCode))", fix: fix)
    }
    if let error = underlying as? NIOSSLError { return tlsFailed("\(error)") }
    return unavailable("cannot connect to \(place)", fix: fix)
  }

  private func tlsFailed(_ detail: String) -> StateError {
    unavailable(
      "the TLS handshake failed (\(detail))",
      fix: "Check sslmode and sslrootcert in \(source) against the server's certificate")
  }

  private static func reason(_ code: Int32) -> String {
    code == ECONNREFUSED ? "connection refused (nothing listens there)" : String(cString: strerror(code))
  }

  func unavailable(_ reason: String, fix: String) -> StateError {
    .unavailable(location: location, reason: reason, fix: fix)
  }
}
