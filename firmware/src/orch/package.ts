// A work package held by this node (one slot of the manager's fixed pool): its id, the step it
// needs next, its targets, its creation time and its bytes. The slot's buffer holds the package
// exactly as it travels (docs/wire.md, ORCH_PACKAGE: a 16-byte head, then the payload), so a
// dispatch or a RESULT record is one contiguous block.

import { PKG_HEAD, putPackageHead } from "../wire/orch";

export const enum PkgState {
  Free = 0,
  /** Input queue: waiting to run its next step here. */
  Queued = 1,
  /** Its step is being computed here, slice by slice. */
  Running = 2,
  /** Output queue: REQUESTs for its next step go out until an ACCEPT comes. */
  Auction = 3,
  /** Output queue: sent to `dst` (an accepter, or its target); waiting for the ACK. */
  Sending = 4,
  /**
   * Taken by `dst` for step `next`, which has not yet handed it on: this copy is kept until
   * `dst` sends RELEASE, so a holder that dies does not take the package with it.
   */
  Custody = 5,
}

export class WorkPackage {
  state: u32 = PkgState.Free;
  origin: u32 = 0;
  counter: u32 = 0;
  /** Step needed next, 1..31; 0 = none left: the package is a result for its target. */
  next: u32 = 0;
  last: u32 = 0;
  target: u32 = 0;
  backup1: u32 = 0;
  backup2: u32 = 0;
  /** Age (ms held by nodes) when it arrived here or was submitted, and this node's time then. */
  ageMs: u32 = 0;
  heldSinceMs: u32 = 0;
  /** The age at which the package fails; 0 = none. */
  deadlineMs: u32 = 0;
  /** The node that keeps a copy until this one hands the package on (0 = none: submitted here). */
  prev: u32 = 0;
  /** The step `prev` sent it for (named in the RELEASE). */
  prevStep: u32 = 0;
  /** Payload bytes. */
  len: u32 = 0;
  /** Arrival order here: queues are served oldest first. */
  order: u32 = 0;
  /** Work left of the step running. */
  remaining: u32 = 0;
  /** REQUEST rounds sent for it (all auctions of this stay together). */
  rounds: u32 = 0;
  /** Next REQUEST, the end of the offer window (weighted), or the end of the wait for an ACK. */
  atMs: u32 = 0;
  /** The node it was sent to (Sending). */
  dst: u32 = 0;
  /** The delivery layer's message id of the dispatch under way (0 = none). */
  msg: u32 = 0;
  /** Transmissions of the current dispatch; PROBEs sent while in custody. */
  tries: u32 = 0;
  /** The dispatch still has to be handed to the delivery layer (it was busy). */
  pending: bool = false;
  /** Weighted bidding: the best accepter heard so far in this auction (0 = none yet), and its score. */
  offer: u32 = 0;
  offerScore: i32 = 0;
  /** Targets given up so far (then the backups are tried). */
  targetsFailed: u32 = 0;
  /** PKG_HEAD bytes, then the payload. */
  data: StaticArray<u8>;

  constructor(payloadCapacity: u32) {
    this.data = new StaticArray<u8>(<i32>(PKG_HEAD + payloadCapacity));
  }

  get dataPtr(): usize { return changetype<usize>(this.data); }
  get payloadPtr(): usize { return changetype<usize>(this.data) + PKG_HEAD; }

  /** Its age at `now`. */
  age(now: u32): u32 {
    return this.ageMs + (now - this.heldSinceMs);
  }

  /** Past its deadline at `now`. */
  expired(now: u32): bool {
    return this.deadlineMs != 0 && this.age(now) >= this.deadlineMs;
  }

  /** Writes the head fields into the buffer (before sending or emitting it), its age as of `now`. */
  writeHead(now: u32): void {
    putPackageHead(this.dataPtr, this.origin, this.counter, this.next, this.last, this.target, this.backup1, this.backup2, this.age(now), this.deadlineMs);
  }
}

/** A seat promised by an ACCEPT: held for the package until it arrives, is cancelled, or expires. */
export class Reservation {
  used: bool = false;
  requester: u32 = 0;
  key: u32 = 0;
  step: u32 = 0;
  untilMs: u32 = 0;
}
