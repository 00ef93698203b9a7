// Custody (docs/orchestration.md, "Custody"): a package is never held by one node alone. The
// sender of a package keeps its copy after the receiver's ACK, until the receiver has handed
// the package on (its next receiver's ACK) or ended it (result emitted or failure reported) and
// says so with RELEASE. A copy kept `orch_custody_ms` without a RELEASE sends PROBEs: the holder
// answers ACK (still working on it) or RELEASE (moved on); unanswered `orch_dispatch_retries` + 1
// times, the holder is taken for dead and the step is auctioned again from the copy. One failure
// at a time is survived this way; a repeat caused by a slow holder is filtered at the target.

import { count } from "../core/counters";
import { nameCounter, nameOrigin, nameStep } from "../wire/orch";
import { ORCH_CUSTODY_LOST, ORCH_PROBE_RX, ORCH_RELEASE_RX } from "./counters";
import { packageKey } from "./decide";
import { PkgState, WorkPackage } from "./package";
import { failPackage, FailReason, releasePrevious } from "./records";
import { sendAck, sendProbe, sendRelease } from "./send";
import { OrchState } from "./state";

/** The receiver `p.dst` acknowledged `p`: the handoff is done. */
export function handedOn(o: OrchState, p: WorkPackage, now: u32): void {
  // The package has a new holder: the copy kept before this node took it can go.
  releasePrevious(o, p);
  if (p.next == 0 || o.cfg.custodyMs == 0) {
    // A result taken at its target has ended; without custody the ACK ends the sender's part.
    p.state = PkgState.Free;
    return;
  }
  p.state = PkgState.Custody;
  p.tries = 0;
  p.atMs = now + o.cfg.custodyMs;
}

/** The holder answered a PROBE with ACK: it still works on the package. */
export function stillHeld(o: OrchState, p: WorkPackage, now: u32): void {
  p.tries = 0;
  p.atMs = now + o.cfg.custodyMs;
}

function custodyOf(o: OrchState, holder: u32, key: u32, step: u32): WorkPackage | null {
  for (let i = 0; i < o.pool.length; i++) {
    const p = o.pool[i];
    if (p.state == PkgState.Custody && p.dst == holder && p.next == step && packageKey(p.origin, p.counter) == key) return p;
  }
  return null;
}

/** RELEASE from `src`: the package this node sent it for the step has moved on. */
export function receiveRelease(o: OrchState, src: u32, m: usize): void {
  count(ORCH_RELEASE_RX);
  const c = custodyOf(o, src, packageKey(nameOrigin(m), nameCounter(m)), nameStep(m));
  if (c !== null) c!.state = PkgState.Free;
}

/** PROBE from `src`: is the package it sent here for the step still held here? */
export function receiveProbe(o: OrchState, src: u32, m: usize): void {
  count(ORCH_PROBE_RX);
  const origin = nameOrigin(m);
  const counter = nameCounter(m);
  const step = nameStep(m);
  const key = packageKey(origin, counter);
  for (let i = 0; i < o.pool.length; i++) {
    const p = o.pool[i];
    if (p.state != PkgState.Free && p.prev == src && p.prevStep == step && packageKey(p.origin, p.counter) == key) {
      sendAck(o, src, origin, counter, step);
      return;
    }
  }
  // Taken here once and no longer owed to `src`: its RELEASE was lost. Never taken (or taken
  // before a reboot): no answer, and `src` auctions the step again.
  if (o.seen.has(key, step)) sendRelease(o, src, origin, counter, step);
}

/** A kept copy is due: probe its holder, or take the package back and auction the step again. */
export function custodyTick(o: OrchState, p: WorkPackage, now: u32): void {
  if (p.tries <= o.cfg.dispatchRetries) {
    sendProbe(o, p.dst, p.origin, p.counter, p.next);
    p.tries++;
    p.atMs = now + o.cfg.ackTimeoutMs;
    return;
  }
  count(ORCH_CUSTODY_LOST);
  if (p.expired(now)) {
    failPackage(o, p, FailReason.Expired);
    return;
  }
  p.state = PkgState.Auction;
  p.offer = 0;
  p.atMs = now;
}
