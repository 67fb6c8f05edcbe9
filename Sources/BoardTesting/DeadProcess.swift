import BoardSupport

/// The id of a process that has exited: a lock holder that is provably gone.
public func deadProcessID() async throws -> Int {
  let child = try ChildProcess("/bin/true").start()
  _ = await child.exitStatus()
  return Int(child.pid)
}
