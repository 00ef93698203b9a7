// The node lifecycle of tree mode (HERMES §3.2.4; docs/routing.md, "Tree mode"): its eight
// states, the events that drive it and the actions a transition asks for. Numbers are part of
// the ABI (the STATE emit record carries state and event; docs/abi.md).

/** Lifecycle states, grouped as HERMES groups them. */
export const enum State {
  // Network integration.
  Init = 0,
  Search = 1,
  JoinNetwork = 2,
  // Normal operation.
  Active = 3,
  ExecuteJob = 4,
  // Recovery.
  ParentRecovery = 5,
  RecoveryAwait = 6,
  NodeRestart = 7,
}

export const STATE_COUNT: u32 = 8;

/**
 * Events, already classified by whoever produces them (a scan with or without a candidate, a
 * failed join with or without candidates left), so the transition depends on nothing else.
 */
export const enum Event {
  None = 0,
  /** Init of the root / of any other node. */
  BootRoot = 1,
  BootNode = 2,
  /** A scan listed at least one candidate parent / none (or did not report in time). */
  Found = 3,
  NoneFound = 4,
  /** The wait before the next scan is over. */
  Retry = 5,
  /** The station associated with the candidate being joined (Wi-Fi UP). */
  Associated = 6,
  /** The candidate accepted our registration (JOIN_ACCEPT). */
  Registered = 7,
  /** Joining a candidate failed (association, refusal, timeout) and another one is left / none is. */
  JoinFailed = 8,
  JoinExhausted = 9,
  /** The registered parent is gone (Wi-Fi DOWN). */
  ParentLost = 10,
  /** Parent Recovery lasted `tree_recovery_timeout_ms`. */
  RecoveryTimeout = 11,
  /** Node Restart done: network state reset. */
  Restarted = 12,
  /** The parent reports it is recovering its own parent (TREE_STATUS recovering). */
  Alert = 13,
  /** The parent reports it is attached to a root (again), with its depth (TREE_STATUS attached). */
  Resumed = 14,
  /** Safeguard: the parent's routing update shows the root unreachable (odd number) / reachable again. */
  RootLost = 15,
  RootBack = 16,
  /** Recovery Await lasted `tree_await_timeout_ms`. */
  AwaitExpired = 17,
  /** Application work begins / ends (submit JOB). */
  JobBegin = 18,
  JobEnd = 19,
  /** A station joined our softAP / a station asks to register (JOIN_REQ) / a child is gone. */
  ChildUp = 20,
  ChildJoin = 21,
  ChildLost = 22,
}

export const EVENT_COUNT: u32 = 23;

/** What a transition asks the executor (life.ts) to do, as bits, performed in this order. */
export const enum Action {
  None = 0,
  /** Release every child, leave the parent, forget the network state; then post Restarted. */
  Restart = 1 << 0,
  /** Leave the parent or the candidate being joined. */
  Leave = 1 << 1,
  /** The registered parent is gone: it no longer carries routes; stop advertising as attached; bound the recovery. */
  Detach = 1 << 2,
  /** The root is attached from the start (depth 0). */
  AttachRoot = 1 << 3,
  /** The candidate accepted us: it becomes the parent, depth and root follow from its answer. */
  Attach = 1 << 4,
  /** Tell every registered child we are recovering (they enter Recovery Await). */
  Alert = 1 << 5,
  /** Enter Recovery Await: stop advertising as attached; bound the wait. */
  Await = 1 << 6,
  /** Tell every registered child we are attached (again) at our depth; advertise as attached. */
  Resume = 1 << 7,
  /** Scan for candidate parents now / after the backoff. */
  Scan = 1 << 8,
  ScanLater = 1 << 9,
  /** Join the next candidate of the last scan. */
  JoinNext = 1 << 10,
  /** Send JOIN_REQ to the candidate we associated with. */
  Register = 1 << 11,
  /** Children: note a new station / accept or refuse its registration / drop a lost one. */
  AddChild = 1 << 12,
  Accept = 1 << 13,
  Refuse = 1 << 14,
  DropChild = 1 << 15,
}
