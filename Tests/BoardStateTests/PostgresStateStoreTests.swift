import BoardCore
import BoardSpec
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

/// What the PostgreSQL backend does beyond the contract: the lease, fencing, renewal, clear
/// errors that never show the URL, refusing what is not ours, and working through a
/// transaction-mode pooler. Needs the test server (`scripts/install-system-packages`).
@Suite("PostgreSQL state")
struct PostgresStateStoreTests {
  @Test("stores racing for the lease: exactly one wins, the others are told who")
  func race() async throws {
    let rig = try await StateRig(.postgres)
    var stores: [any StateStore] = []
    for runner in 0..<6 { stores.append(try await rig.open(runner: runner)) }
    let attempts = try await withThrowingTaskGroup(of: LockAttempt.self) { group in
      for store in stores {
        group.addTask { try await store.tryLock(LockInfo.forThisProcess(operation: "apply")) }
      }
      return try await group.reduce(into: [LockAttempt]()) { $0.append($1) }
    }
    let winners = attempts.compactMap { attempt -> LockInfo? in
      if case .acquired(let lock, _) = attempt { return lock }
      return nil
    }
    #expect(winners.count == 1)
    let winner = try #require(winners.first)
    for attempt in attempts {
      if case .held(let holder) = attempt { #expect(holder.id == winner.id) }
    }
    #expect(try await stores[0].currentLock()?.id == winner.id)
    for store in stores { await store.close() }
  }

  @Test("a lapsed lease is taken over, naming the holder, and the generation goes up")
  func takeover() async throws {
    let rig = try await StateRig(.postgres, lease: .seconds(1))
    let gone = try await rig.abandonLock()
    let before = try await generation(rig)
    let store = try await rig.open(runner: 1)
    // Once the database's clock says the lease lapsed, one attempt takes it.
    let deadline = ContinuousClock.now + .seconds(30)
    while try await TestPostgresServer.execute(
      "SELECT (expires_at < now())::text FROM boardctl_lock", at: try databaseURL(rig)) != [["true"]],
      ContinuousClock.now < deadline
    {
      try await Task.sleep(for: .milliseconds(50))
    }
    let clock = ContinuousClock()
    let start = clock.now
    let attempt = try await store.tryLock(LockInfo.forThisProcess(operation: "apply"))
    print("takeover of a lapsed lease: \(clock.now - start)")
    guard case .acquired(let lock, let replaced) = attempt else {
      Issue.record("a lapsed lease was not taken over")
      return
    }
    #expect(replaced?.id == gone.id)
    #expect(try await generation(rig) == before + 1)
    #expect(try await store.currentLock()?.id == lock.id)
    try await store.unlock(lock)
    await store.close()
  }

  @Test("a holder whose lease lapsed and was taken over writes nothing: lockLost (fencing)")
  func fencing() async throws {
    let rig = try await StateRig(.postgres)
    let stalled = try await rig.open()
    let first = sampleRecord("first")
    try await stalled.write([first.address: first])
    let lost = try await stalled.lock(LockRequest(operation: "apply"))
    let entry = try await stalled.journalBegin(run: "r1", address: first.address, action: "update")

    // The stalled holder's lease lapses (as if its process froze past it) and another runner
    // takes over; retried in case the holder's renewal slipped in between.
    let other = try await rig.open(runner: 1)
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(30)
    var taken: LockInfo?
    while taken == nil, clock.now < deadline {
      try await expireLease(rig)
      if case .acquired(let lock, let replaced) = try await other.tryLock(LockInfo.forThisProcess(operation: "apply")) {
        #expect(replaced?.id == lost.id)
        taken = lock
      }
    }
    let newer = try #require(taken)
    let before = try #require(try await rig.openForReading(runner: 2)?.snapshot())

    let late = sampleRecord("late")
    for attempt in 0..<2 {
      await #expect {
        if attempt == 0 {
          try await stalled.write([late.address: late])
        } else {
          try await stalled.journalFinish(entry, saving: [late.address: late])
        }
      } throws: { error in
        guard case StateError.lockLost(_, let by) = error else { return false }
        return by?.id == newer.id
      }
    }
    let after = try #require(try await rig.openForReading(runner: 2)?.snapshot())
    #expect(after == before)
    #expect(try await other.journal(limit: 1).first?.outcome == "pending")

    // The new holder writes as usual.
    try await other.write([late.address: late])
    #expect(try await other.snapshot()?.serial == before.serial + 1)
    try await other.unlock(newer)
  }

  @Test("a holder whose process died on this host is taken over at once, before its lease lapses")
  func deadProcess() async throws {
    let rig = try await StateRig(.postgres)
    let store = try await rig.open()
    let dead = try await deadProcessID()
    let holder = LockInfo.forThisProcess(operation: "apply").holder
    try await TestPostgresServer.execute(
      """
      UPDATE boardctl_lock SET id = 'dead-holder', operation = 'apply', holder = '\(holder)', pid = \(dead),
        since = '2026-01-01T00:00:00Z', expires_at = now() + interval '1 hour', generation = generation + 1
      """, at: try databaseURL(rig))
    let before = try await generation(rig)
    guard case .acquired(let lock, let replaced) = try await store.tryLock(LockInfo.forThisProcess(operation: "apply"))
    else {
      Issue.record("a lock whose holder's process is gone was not taken over")
      return
    }
    #expect(replaced?.id == "dead-holder")
    #expect(try await generation(rig) == before + 1)
    try await store.unlock(lock)
  }

  @Test("reading a database without a state creates nothing in it")
  func readingCreatesNothing() async throws {
    let rig = try await StateRig(.postgres)
    #expect(try await rig.openForReading() == nil)
    #expect(try await tables(try databaseURL(rig)).isEmpty)
  }

  @Test("a server that accepts connections but never answers fails within the connect timeout")
  func silentServer() async throws {
    let listener = try LoopbackSocket(listening: true)
    defer { listener.close() }
    let url = "postgres://boardctl:secret@127.0.0.1:\(listener.port)/postgres?connect_timeout=1"
    let location = StateLocation.postgres(
      PostgresStateLocation(url: TestSecret(url), source: "$BOARDCTL_PG_URL", lease: .seconds(60)))
    let clock = ContinuousClock()
    let start = clock.now
    await #expect {
      try await StateStores.open(location, create: false)
    } throws: { error in
      guard case StateError.unavailable(_, let reason, _) = error else { return false }
      return reason.contains("no answer from 127.0.0.1:\(listener.port) within 1")
    }
    // Well past the connect timeout, yet far short of a hang: a loaded machine adds seconds.
    #expect(clock.now - start < .seconds(25))
  }

  @Test("a server that goes away mid-run fails the next operation clearly instead of hanging")
  func serverGoesAway() async throws {
    let rig = try await StateRig(.postgres)
    let bouncer = try await TestPgBouncer.start(server: try databaseURL(rig))
    let location = StateLocation.postgres(
      PostgresStateLocation(url: TestSecret(bouncer.url), source: "$PG", lease: .seconds(60)))
    let store = try #require(try await StateStores.open(location, create: true))
    _ = try await store.snapshot()
    await bouncer.stop()
    let clock = ContinuousClock()
    let start = clock.now
    await #expect {
      try await store.snapshot()
    } throws: { error in
      guard case StateError.unavailable(_, let reason, _) = error else { return false }
      return reason.contains("connection refused") || reason.contains("closed the connection")
    }
    #expect(clock.now - start < .seconds(40))
    await store.close()
  }

  @Test("a write that did not read the newest serial is a conflict and changes nothing")
  func conflict() async throws {
    let rig = try await StateRig(.postgres)
    let behind = try await rig.open()
    let ahead = try await rig.open(runner: 1)
    let record = sampleRecord("a")
    try await ahead.write([record.address: record])
    let other = sampleRecord("b")
    await #expect {
      try await behind.write([other.address: other])
    } throws: { error in
      guard case StateError.conflict(_, let expected, let found) = error else { return false }
      return expected == 0 && found == 1
    }
    #expect(try await ahead.snapshot()?.records == [record])
    // Having read the newer state, it writes.
    _ = try await behind.snapshot()
    try await behind.write([other.address: other])
  }

  @Test("renewal keeps a lock held past its lease length")
  func renewal() async throws {
    // A lease long enough that renewal (every third of it) outlasts a loaded machine's stalls.
    let rig = try await StateRig(.postgres, lease: .seconds(10))
    let holder = try await rig.open()
    let lock = try await holder.lock(LockRequest(operation: "apply"))
    let first = try #require(lock.expires)
    // Wait, by the database's clock, until well past the first lease.
    let deadline = ContinuousClock.now + .seconds(60)
    while try await databaseNow(rig) <= first, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(100))
    }
    try await Task.sleep(for: .seconds(1))
    let other = try await rig.open(runner: 1)
    guard case .held(let held) = try await other.tryLock(LockInfo.forThisProcess(operation: "apply")) else {
      Issue.record("the lock lapsed although its holder renewed it")
      return
    }
    #expect(held.id == lock.id)
    #expect(try #require(held.expires) > first)
    try await holder.unlock(lock)
    await holder.close()
  }

  @Test("close stops renewal: the lease then lapses")
  func closeStopsRenewal() async throws {
    let rig = try await StateRig(.postgres, lease: .seconds(1))
    let holder = try await rig.open()
    let lock = try await holder.lock(LockRequest(operation: "apply"))
    let clock = ContinuousClock()
    let start = clock.now
    await holder.close()
    #expect(clock.now - start < .seconds(5))
    let other = try await rig.open(runner: 1)
    let taken = try await other.lock(LockRequest(operation: "apply", timeout: .seconds(30)))
    #expect(taken.id != lock.id)
  }

  @Test("bad connection settings fail clearly, naming neither the URL nor the password", arguments: BadURL.allCases)
  func badConnection(_ bad: BadURL) async throws {
    let canary = "canary-\(UUID().uuidString.prefix(8))"
    let url = try bad.url(password: canary)
    let location = StateLocation.postgres(
      PostgresStateLocation(url: TestSecret(url), source: "$BOARDCTL_PG_URL", lease: .seconds(60)))
    let clock = ContinuousClock()
    let start = clock.now
    for create in [false, true] {
      await #expect {
        try await StateStores.open(location, create: create)
      } throws: { error in
        let text = "\(error)"
        guard case StateError.unavailable(_, let reason, _) = error else { return false }
        print("\(bad): \(text)")
        return !text.contains(canary) && !text.contains(url) && text.contains("$BOARDCTL_PG_URL")
          && reason.contains(bad.expectedReason)
      }
    }
    #expect(clock.now - start < .seconds(30))
  }

  @Test("TLS demanded of a server that offers none is refused, saying so")
  func tlsRequired() async throws {
    let ssl = try await TestPostgresServer.execute("SHOW ssl", at: TestPostgresServer.url)
    let url = TestPostgresServer.url + (TestPostgresServer.url.contains("?") ? "&" : "?") + "sslmode=require"
    let location = StateLocation.postgres(
      PostgresStateLocation(url: TestSecret(url), source: "$BOARDCTL_PG_URL", lease: .seconds(60)))
    if ssl.first?.first == "on" {
      // A server with TLS: require works.
      #expect(try await StateStores.open(location, create: false) == nil)
      return
    }
    await #expect {
      try await StateStores.open(location, create: false)
    } throws: { error in
      guard case StateError.unavailable(_, let reason, _) = error else { return false }
      return reason.contains("does not offer TLS")
    }
  }

  @Test("a user who may not create tables is told so, and nothing is written")
  func noCreateRight() async throws {
    let rig = try await StateRig(.postgres)
    let url = try databaseURL(rig)
    try await TestPostgresServer.execute("REVOKE CREATE ON SCHEMA public FROM pg_database_owner", at: url)
    await #expect {
      try await rig.open()
    } throws: { error in
      guard case StateError.unavailable(_, let reason, let fix) = error else { return false }
      return reason.contains("may not create tables") && fix.contains("GRANT CREATE")
    }
    #expect(try await tables(url).isEmpty)
  }

  @Test("a state written by a newer boardctl is neither read nor written")
  func newerFormat() async throws {
    let rig = try await StateRig(.postgres)
    _ = try await rig.open()
    let url = try databaseURL(rig)
    try await TestPostgresServer.execute("UPDATE boardctl_meta SET format_version = 99", at: url)
    for create in [true, false] {
      await #expect {
        try await StateStores.open(rig.location(), create: create)
      } throws: { error in
        guard case StateError.newerSchema(_, let version) = error else { return false }
        return version == 99
      }
    }
    let meta = try await TestPostgresServer.execute(
      "SELECT format_version::text, serial::text FROM boardctl_meta", at: url)
    #expect(meta == [["99", "0"]])
  }

  @Test("tables named like ours but of another shape are refused and left alone", arguments: ForeignShape.allCases)
  func foreign(_ shape: ForeignShape) async throws {
    let rig = try await StateRig(.postgres)
    let url = try databaseURL(rig)
    if shape == .alteredResources { _ = try await rig.open() }
    try await TestPostgresServer.execute(shape.sql, at: url)
    let before = try await tables(url)
    for create in [false, true] {
      await #expect {
        try await StateStores.open(rig.location(), create: create)
      } throws: { error in
        guard case StateError.foreign = error else { return false }
        return true
      }
    }
    #expect(try await tables(url) == before)
  }

  @Test("runners creating the state at once all succeed, with one lineage")
  func concurrentCreation() async throws {
    let rig = try await StateRig(.postgres)
    let lineages = try await withThrowingTaskGroup(of: String.self) { group in
      for runner in 0..<4 {
        group.addTask {
          let store = try await rig.open(runner: runner)
          let lineage = try #require(try await store.snapshot()).lineage
          await store.close()
          return lineage
        }
      }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    #expect(lineages.count == 1)
  }

  @Test("actions journalled and saved concurrently through one store each bump the serial once")
  func concurrentSaves() async throws {
    let rig = try await StateRig(.postgres)
    let store = try await rig.open()
    let lock = try await store.lock(LockRequest(operation: "apply"))
    let clock = ContinuousClock()
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<40 {
        group.addTask {
          let record = sampleRecord("r\(index)")
          let entry = try await store.journalBegin(run: "r1", address: record.address, action: "create")
          try await store.journalFinish(entry, saving: [record.address: record])
        }
      }
      try await group.waitForAll()
    }
    print("40 actions journalled and saved, all at once: \(clock.now - start)")
    let snapshot = try #require(try await rig.openForReading(runner: 1)?.snapshot())
    #expect(snapshot.serial == 40)
    #expect(snapshot.records.count == 40)
    #expect(try await store.journal(limit: 100).allSatisfy { $0.outcome == "ok" })
    try await store.unlock(lock)
  }

  @Test("records round-trip exactly, NUL and CRLF included, 20,000 of them in one write")
  func largeState() async throws {
    let rig = try await StateRig(.postgres)
    let store = try await rig.open()
    var odd = sampleRecord("odd")
    odd.attributes["text"] = .string("nul\u{0}inside, crlf\r\nand é ü 漢字 🎉")
    var changes: [Address: StateRecord?] = [odd.address: odd]
    for index in 0..<1_000 {
      let record = sampleRecord("job-\(index)")
      changes[record.address] = record
    }
    let clock = ContinuousClock()
    var start = clock.now
    try await store.write(changes)
    print("write of 1,001 records: \(clock.now - start)")
    #expect(try await store.record(odd.address) == odd)

    changes = [:]
    for index in 1_000..<20_000 {
      let record = sampleRecord("job-\(index)")
      changes[record.address] = record
    }
    try await store.write(changes)
    let reader = try #require(try await rig.openForReading(runner: 1))
    start = clock.now
    let snapshot = try #require(try await reader.snapshot())
    print("snapshot of \(snapshot.records.count) records: \(clock.now - start)")
    #expect(snapshot.records.count == 20_001)
    #expect(snapshot.records.first { $0.address == odd.address } == odd)
    #expect(snapshot.serial == 2)
  }

  @Test("every operation works through PgBouncer in transaction mode (one server connection for all)")
  func throughPgBouncer() async throws {
    let rig = try await StateRig(.postgres)
    let bouncer = try await TestPgBouncer.start(server: try databaseURL(rig))
    let location = StateLocation.postgres(
      // A lease long enough that a loaded machine's stalls cannot lapse it between two statements.
      PostgresStateLocation(url: TestSecret(bouncer.url), source: "$PG", lease: .seconds(10)))
    #expect(try await StateStores.open(location, create: false) == nil)
    let first = try #require(try await StateStores.open(location, create: true))
    let second = try #require(try await StateStores.open(location, create: true))
    let held = try await first.lock(LockRequest(operation: "apply"))
    guard case .held = try await second.tryLock(LockInfo.forThisProcess(operation: "apply")) else {
      Issue.record("a second lock was granted through the pooler")
      return
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<20 {
        group.addTask {
          let record = sampleRecord("r\(index)")
          let entry = try await first.journalBegin(run: "r1", address: record.address, action: "create")
          try await first.journalFinish(entry, saving: [record.address: record])
        }
      }
      try await group.waitForAll()
    }
    // Renewed through the pooler past its first lease, then taken over once renewal stops.
    let deadline = ContinuousClock.now + .seconds(60)
    while try await databaseNow(rig) <= held.expires ?? "", ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(try await second.currentLock()?.id == held.id)
    await first.close()
    let taken = try await second.lock(LockRequest(operation: "apply", timeout: .seconds(30)))
    let snapshot = try #require(try await second.snapshot())
    #expect(snapshot.serial == 20)
    let record = sampleRecord("after")
    try await second.write([record.address: record])
    #expect(try await second.takeInterrupted(exceptRun: "r2").isEmpty)
    let export = try await second.exportState()
    let target = try await StateRig(.postgres).open()
    try await target.importState(export)
    #expect(try await target.exportState() == export)
    try await second.unlock(taken)
    #expect(try await second.currentLock() == nil)
    await second.close()
    await bouncer.stop()
  }

  // MARK: - Cases

  enum BadURL: String, CaseIterable, CustomStringConvertible {
    case wrongPassword, refusedPort, missingDatabase, unknownSSLMode, notAURL

    var description: String { rawValue }

    func url(password: String) throws -> String {
      let server = try #require(URLComponents(string: TestPostgresServer.url))
      let host = server.host ?? "127.0.0.1"
      let port = server.port ?? 5432
      let user = server.user ?? "boardctl"
      switch self {
      case .wrongPassword: return "postgres://\(user):\(password)@\(host):\(port)/postgres"
      case .refusedPort: return "postgres://\(user):\(password)@127.0.0.1:1/postgres"
      case .missingDatabase:
        return
          "postgres://\(user):\(server.password ?? "")@\(host):\(port)/boardctl_missing_\(UUID().uuidString.prefix(8))"
      case .unknownSSLMode: return "postgres://\(user):\(password)@\(host):\(port)/postgres?sslmode=always"
      case .notAURL: return "host=\(host) password=\(password)"
      }
    }

    var expectedReason: String {
      switch self {
      case .wrongPassword: return "password"
      case .refusedPort: return "connection refused"
      case .missingDatabase: return "does not exist"
      case .unknownSSLMode: return "sslmode"
      case .notAURL: return "not a"
      }
    }
  }

  enum ForeignShape: String, CaseIterable, CustomStringConvertible {
    case keyValueMeta, alteredResources, strayLockTable

    var description: String { rawValue }

    var sql: String {
      switch self {
      case .keyValueMeta: return "CREATE TABLE boardctl_meta (key text PRIMARY KEY, value text)"
      case .alteredResources: return "ALTER TABLE boardctl_resources ADD COLUMN owner_note text"
      case .strayLockTable: return "CREATE TABLE boardctl_lock (holder text)"
      }
    }
  }

  // MARK: - Helpers

  func databaseURL(_ rig: StateRig) throws -> String {
    guard case .postgres(let location) = rig.location() else { throw PostgresTestError("not a postgres rig") }
    return location.url.revealText()
  }

  func generation(_ rig: StateRig) async throws -> Int {
    let rows = try await TestPostgresServer.execute("SELECT generation::text FROM boardctl_lock", at: databaseURL(rig))
    return Int(try #require(rows.first?.first ?? nil)) ?? -1
  }

  func expireLease(_ rig: StateRig) async throws {
    try await TestPostgresServer.execute(
      "UPDATE boardctl_lock SET expires_at = now() - interval '1 second'", at: databaseURL(rig))
  }

  func databaseNow(_ rig: StateRig) async throws -> String {
    let rows = try await TestPostgresServer.execute(
      #"SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#, at: databaseURL(rig))
    return try #require(rows.first?.first ?? nil)
  }

  func tables(_ url: String) async throws -> [String] {
    try await TestPostgresServer.execute(
      "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", at: url
    ).compactMap { $0.first ?? nil }
  }
}

/// A test's plain-text URL.
struct TestSecret: SensitiveValue {
  let value: String
  init(_ value: String) { self.value = value }
  func revealText() -> String { value }
  var description: String { "(sensitive value)" }
}

/// A PgBouncer in transaction mode in front of the test server, with a single server connection
/// that every client shares: any session state or named prepared statement one client left
/// behind would show up in another's.
final class TestPgBouncer: Sendable {
  let url: String
  let process: RunningChild
  let folder: TemporaryFolder

  private init(url: String, process: RunningChild, folder: TemporaryFolder) {
    self.url = url
    self.process = process
    self.folder = folder
  }

  static func start(server: String) async throws -> TestPgBouncer {
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/pgbouncer") else {
      throw PostgresTestError("pgbouncer is not installed: run scripts/install-system-packages")
    }
    let components = try #require(URLComponents(string: server))
    let user = components.user ?? "boardctl"
    let password = components.password ?? ""
    let database = String(components.path.dropFirst())
    let port = try LoopbackSocket.freePort()
    let folder = TemporaryFolder()
    // pgbouncer refuses to run as root; the postgres user needs to read and write the folder.
    chmod(folder.path, 0o777)
    folder.write("userlist.txt", "\"\(user)\" \"\(password)\"\n")
    folder.write(
      "pgbouncer.ini",
      """
      [databases]
      \(database) = host=\(components.host ?? "127.0.0.1") port=\(components.port ?? 5432) dbname=\(database)
      [pgbouncer]
      listen_addr = 127.0.0.1
      listen_port = \(port)
      unix_socket_dir =
      auth_type = scram-sha-256
      auth_file = \(folder.path)/userlist.txt
      pool_mode = transaction
      default_pool_size = 1
      max_client_conn = 200
      logfile = \(folder.path)/pgbouncer.log
      pidfile = \(folder.path)/pgbouncer.pid

      """)
    for file in ["userlist.txt", "pgbouncer.ini"] { chmod(folder.path + "/" + file, 0o644) }
    let process =
      try
      (getuid() == 0
      ? ChildProcess(
        "/usr/sbin/runuser", ["-u", "postgres", "--", "/usr/sbin/pgbouncer", folder.path + "/pgbouncer.ini"])
      : ChildProcess("/usr/sbin/pgbouncer", [folder.path + "/pgbouncer.ini"])).start()
    let url = "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    let bouncer = TestPgBouncer(url: url, process: process, folder: folder)
    // Ready once it answers a query.
    let deadline = ContinuousClock.now + .seconds(20)
    while true {
      do {
        try await TestPostgresServer.execute("SELECT 1", at: url)
        return bouncer
      } catch {
        guard ContinuousClock.now < deadline, process.isRunning else {
          await bouncer.stop()
          throw PostgresTestError("pgbouncer did not start: \(folder.read("pgbouncer.log") ?? "no log")")
        }
        try await Task.sleep(for: .milliseconds(100))
      }
    }
  }

  /// Stops pgbouncer and waits until it has gone: its port refuses connections then.
  func stop() async {
    signal()
    _ = await process.exitStatus()
  }

  /// A test that failed before `stop` leaves no pgbouncer behind.
  deinit { signal() }

  private func signal() {
    // pgbouncer itself, by its pid file (runuser in between may not pass the signal on).
    if process.isRunning,
      let pid = folder.read("pgbouncer.pid").flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
    {
      kill(pid, SIGTERM)
    }
    process.send(SIGTERM)
  }
}

/// A test set-up that could not be made.
struct PostgresTestError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
