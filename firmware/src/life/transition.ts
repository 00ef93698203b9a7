// The lifecycle's transition function (HERMES §3.2.4, Figure 3): (state, event) -> (state,
// actions), pure and total. An event a state does not expect leaves it unchanged with no action
// (the executor counts it as ignored), so lost, repeated or late events cannot derail it.
// The result packs the next state in bits 0..7 and the Action bits above.

import { Action, Event, State } from "./states";

// @ts-ignore: decorator
@inline function to(state: State, actions: u32): u32 {
  return <u32>state | (actions << 8);
}

export function nextState(packed: u32): u32 {
  return packed & 0xff;
}

export function actionsOf(packed: u32): u32 {
  return packed >>> 8;
}

/** Attached and doing normal work (Active or Execute Job). */
function operating(s: u32): bool {
  return s == State.Active || s == State.ExecuteJob;
}

/** Looking for a parent: integration (Search, Join Network) or Parent Recovery. */
function seeking(s: u32): bool {
  return s == State.Search || s == State.JoinNetwork || s == State.ParentRecovery;
}

export function transition(state: u32, event: u32): u32 {
  const same = to(<State>state, Action.None);
  switch (event) {
    case Event.BootRoot:
      return state == State.Init ? to(State.Active, Action.AttachRoot | Action.Resume) : same;
    case Event.BootNode:
      return state == State.Init ? to(State.Search, Action.Scan) : same;
    case Event.Found:
      if (state == State.Search) return to(State.JoinNetwork, Action.JoinNext);
      return state == State.ParentRecovery ? to(state, Action.JoinNext) : same;
    case Event.NoneFound:
      return state == State.Search || state == State.ParentRecovery ? to(<State>state, Action.ScanLater) : same;
    case Event.Retry:
      return state == State.Search || state == State.ParentRecovery ? to(<State>state, Action.Scan) : same;
    case Event.Associated:
      return state == State.JoinNetwork || state == State.ParentRecovery ? to(<State>state, Action.Register) : same;
    case Event.Registered:
      if (state == State.JoinNetwork) return to(State.Active, Action.Attach | Action.Resume);
      return state == State.ParentRecovery ? to(State.Active, Action.Attach | Action.Resume) : same;
    case Event.JoinFailed:
      return state == State.JoinNetwork || state == State.ParentRecovery ? to(<State>state, Action.Leave | Action.JoinNext) : same;
    case Event.JoinExhausted:
      if (state == State.JoinNetwork) return to(State.Search, Action.Leave | Action.ScanLater);
      return state == State.ParentRecovery ? to(state, Action.Leave | Action.ScanLater) : same;
    case Event.ParentLost:
      // A node in Recovery Await whose parent gave up (released it) seeks a parent itself:
      // reintegration layer by layer.
      return operating(state) || state == State.RecoveryAwait ? to(State.ParentRecovery, Action.Detach | Action.Alert | Action.Scan) : same;
    case Event.RecoveryTimeout:
      return state == State.ParentRecovery ? to(State.NodeRestart, Action.Restart) : same;
    case Event.Restarted:
      return state == State.NodeRestart ? to(State.Search, Action.Scan) : same;
    case Event.Alert:
    case Event.RootLost:
      return operating(state) ? to(State.RecoveryAwait, Action.Await | Action.Alert) : same;
    case Event.Resumed:
      // Also while operating: the parent moved, our depth follows.
      return state == State.RecoveryAwait ? to(State.Active, Action.Resume) : operating(state) ? to(<State>state, Action.Resume) : same;
    case Event.RootBack:
      return state == State.RecoveryAwait ? to(State.Active, Action.Resume) : same;
    case Event.AwaitExpired:
      return state == State.RecoveryAwait ? to(State.ParentRecovery, Action.Leave | Action.Detach | Action.Alert | Action.Scan) : same;
    case Event.JobBegin:
      return state == State.Active ? to(State.ExecuteJob, Action.None) : same;
    case Event.JobEnd:
      return state == State.ExecuteJob ? to(State.Active, Action.None) : same;
    case Event.ChildUp:
      return to(<State>state, Action.AddChild);
    case Event.ChildJoin:
      // Only a node attached to a root takes children; one that is itself seeking or awaiting
      // says no, and the station tries its next candidate.
      return to(<State>state, operating(state) ? Action.Accept : Action.Refuse);
    case Event.ChildLost:
      return to(<State>state, Action.DropChild);
  }
  return same;
}

/** Whether `event` changes anything in `state` (for the ignored-event counter and tests). */
export function expected(state: u32, event: u32): bool {
  const r = transition(state, event);
  return nextState(r) != state || actionsOf(r) != 0;
}

// Exported for the STATE record's reader: a state where application work may run.
export function appRuns(state: u32): bool {
  return operating(state);
}

// Exported for tests: a state looking for a parent.
export function looking(state: u32): bool {
  return seeking(state);
}
