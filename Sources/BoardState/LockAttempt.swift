/// What `tryLock` found.
public enum LockAttempt: Sendable, Hashable {
  /// The lock is ours. `replaced` names a holder that was provably gone and was taken over.
  case acquired(LockInfo, replaced: LockInfo?)
  /// Someone else holds it.
  case held(LockInfo)
}
