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
  createdMs: u32 = 0;
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
  /** Transmissions of the current dispatch. */
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

  /** Writes the head fields into the buffer (before sending or emitting it). */
  writeHead(): void {
    putPackageHead(this.dataPtr, this.origin, this.counter, this.next, this.last, this.target, this.backup1, this.backup2, this.createdMs);
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
