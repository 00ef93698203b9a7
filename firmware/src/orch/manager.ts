// The work package manager (docs/orchestration.md): takes packages in (submitted here or
// dispatched by another node), filters duplicates, runs every consecutive step loaded here,
// then puts the package in the output queue: auctioned for its next step, or sent to its target.

import { blob_read, SubmitError } from "../hal";
import { getU16, getU8 } from "../core/bytes";
import { count } from "../core/counters";
import {
  PKG_HEAD, PKG_OFF_AGE, PKG_OFF_BACKUP1, PKG_OFF_BACKUP2, PKG_OFF_COUNTER, PKG_OFF_DEADLINE, PKG_OFF_LAST, PKG_OFF_NEXT,
  PKG_OFF_ORIGIN, PKG_OFF_TARGET, packageValid, STEP_MAX,
} from "../wire/orch";
import { getU32 } from "../core/bytes";
import { ORCH_DROP_BAD, ORCH_DROP_FULL, ORCH_PKG_DUP, ORCH_PKG_RX, ORCH_STEP_RUN, ORCH_SUBMIT } from "./counters";
import { nextCounter, packageKey, stepAfter, stepsHere, targetAt } from "./decide";
import { PkgState, WorkPackage } from "./package";
import { emitResult, resultHere, trace, TraceEvent } from "./records";
import { OrchState } from "./state";
import { takeReservation } from "./auction";
import { sendAck } from "./send";
import { runSlice, startStep } from "./run";

/** ORCH submit record: target:u16 backup1:u16 backup2:u16 first:u8 last:u8 payload... */
export const SUBMIT_HEAD: u32 = 8;
/** ORCH_BLOB submit record: the ORCH head, then blob:u32 len:u32 (a payload longer than the inbox). */
export const SUBMIT_BLOB_BYTES: u32 = SUBMIT_HEAD + 8;

function freePackage(o: OrchState): WorkPackage | null {
  for (let i = 0; i < o.pool.length; i++) if (o.pool[i].state == PkgState.Free) return o.pool[i];
  return null;
}

export function freeCount(o: OrchState): u32 {
  let n: u32 = 0;
  for (let i = 0; i < o.pool.length; i++) if (o.pool[i].state == PkgState.Free) n++;
  return n;
}

/**
 * The node's load: packages queued or running here. Outputs waiting for a taker do not count:
 * with them, an origin that also runs the last step (DATOR's node 1, whose new packages wait
 * for step 1's takers) would refuse its own results, and every node would wait on the next.
 */
export function workLoad(o: OrchState): u32 {
  let n: u32 = 0;
  for (let i = 0; i < o.pool.length; i++) {
    const s = o.pool[i].state;
    if (s == PkgState.Queued || s == PkgState.Running) n++;
  }
  return n;
}

/** Decides where a package in hand goes next: run here, auction its step, or send it to its target. */
export function place(o: OrchState, p: WorkPackage, now: u32): void {
  if (p.next == 0) {
    const t = targetAt(p.targetsFailed, p.target, p.backup1, p.backup2);
    if (t == o.self) {
      resultHere(o, p, now);
      return;
    }
    p.state = PkgState.Sending;
    p.dst = t;
    p.tries = 0;
    p.pending = true;
    p.atMs = now;
    return;
  }
  if (stepsHere(o.cfg.steps, p.next, p.last) > 0) {
    p.state = PkgState.Queued;
    return;
  }
  p.state = PkgState.Auction;
  p.offer = 0;
  p.atMs = now;
}

function isNode(id: u32): bool {
  return id != 0 && id != 0xffff;
}

/**
 * `submit(ORCH)`, or with `fromBlob` `submit(ORCH_BLOB)`: a new package from this node. Its
 * counter (> 0), or a SubmitError.
 */
export function submitPackage(o: OrchState, data: usize, len: u32, now: u32, fromBlob: bool = false): i32 {
  if (fromBlob ? len != SUBMIT_BLOB_BYTES : len < SUBMIT_HEAD) return SubmitError.BadLength;
  const target = getU16(data, 0);
  const b1 = getU16(data, 2);
  const b2 = getU16(data, 4);
  const first = getU8(data, 6);
  const last = getU8(data, 7);
  if (!isNode(target) || b1 == 0xffff || b2 == 0xffff) return SubmitError.BadLength;
  if (first < 1 || last > STEP_MAX || first > last) return SubmitError.BadLength;
  const size = fromBlob ? getU32(data, SUBMIT_HEAD + 4) : len - SUBMIT_HEAD;
  if (size > o.cfg.payloadBytes) return SubmitError.TooLong;
  // A submit leaves `orch_keep_free` slots (at most all but one) to packages from other nodes.
  const keep = o.cfg.keepFree < o.cfg.packages ? o.cfg.keepFree : o.cfg.packages - 1;
  if (freeCount(o) <= keep) return SubmitError.Busy;
  const p = freePackage(o)!;
  // Read into the slot while it is still free: a missing or short blob leaves nothing behind.
  if (!fromBlob) memory.copy(p.payloadPtr, data + SUBMIT_HEAD, size);
  else if (blob_read(getU32(data, SUBMIT_HEAD), 0, p.payloadPtr, size) != <i32>size) return SubmitError.NoBlob;
  p.origin = o.self;
  p.counter = o.nextCounter;
  o.nextCounter = nextCounter(o.nextCounter);
  p.next = first;
  p.last = last;
  p.target = target;
  p.backup1 = b1;
  p.backup2 = b2;
  p.ageMs = 0;
  p.heldSinceMs = now;
  p.deadlineMs = o.cfg.deadlineMs;
  p.prev = 0;
  p.len = size;
  p.order = o.nextOrder++;
  p.rounds = 0;
  p.targetsFailed = 0;
  count(ORCH_SUBMIT);
  place(o, p, now);
  return <i32>p.counter;
}

/** A package delivered to this node by `src` (`len` bytes at `data`: head, then payload). */
export function receivePackage(o: OrchState, src: u32, data: usize, len: u32, now: u32): void {
  if (!packageValid(data, len) || len - PKG_HEAD > o.cfg.payloadBytes) {
    count(ORCH_DROP_BAD);
    return;
  }
  const origin = getU16(data, PKG_OFF_ORIGIN);
  const counter = getU16(data, PKG_OFF_COUNTER);
  const next = getU8(data, PKG_OFF_NEXT);
  const key = packageKey(origin, counter);
  if (o.seen.has(key, next)) {
    // Our ACK was lost and the sender sent it again: confirm, do not run it twice.
    count(ORCH_PKG_DUP);
    sendAck(o, src, origin, counter, next);
    return;
  }
  if (next == 0) {
    // This node is the package's target (or the backup it fell back to).
    o.seen.add(key, next);
    count(ORCH_PKG_RX);
    trace(o, origin, counter, 0, TraceEvent.Taken, src);
    emitResult(data, len);
    sendAck(o, src, origin, counter, next);
    return;
  }
  const deadline = getU32(data, PKG_OFF_DEADLINE);
  if (deadline != 0 && getU32(data, PKG_OFF_AGE) >= deadline) {
    // Past its deadline already (a late repeat of a send): its sender reports it; taking it
    // here would let it run on after that report. (A late result is still taken, above.)
    count(ORCH_DROP_BAD);
    return;
  }
  takeReservation(o, src, key);
  const f = freePackage(o);
  if (f === null) {
    // No ACK: the sender tries again later or elsewhere.
    count(ORCH_DROP_FULL);
    return;
  }
  const p = f!;
  o.seen.add(key, next);
  count(ORCH_PKG_RX);
  p.origin = origin;
  p.counter = counter;
  p.next = next;
  p.last = getU8(data, PKG_OFF_LAST);
  p.target = getU16(data, PKG_OFF_TARGET);
  p.backup1 = getU16(data, PKG_OFF_BACKUP1);
  p.backup2 = getU16(data, PKG_OFF_BACKUP2);
  p.ageMs = getU32(data, PKG_OFF_AGE);
  p.heldSinceMs = now;
  p.deadlineMs = getU32(data, PKG_OFF_DEADLINE);
  // The sender keeps a copy until this node hands the package on (custody.ts).
  p.prev = src;
  p.prevStep = next;
  p.len = len - PKG_HEAD;
  p.order = o.nextOrder++;
  p.rounds = 0;
  p.targetsFailed = 0;
  memory.copy(p.payloadPtr, data + PKG_HEAD, p.len);
  trace(o, origin, counter, next, TraceEvent.Taken, src);
  sendAck(o, src, origin, counter, next);
  place(o, p, now);
}

/** The package whose step runs now: the running one, else the oldest queued. */
function current(o: OrchState): WorkPackage | null {
  let best: WorkPackage | null = null;
  for (let i = 0; i < o.pool.length; i++) {
    const p = o.pool[i];
    if (p.state == PkgState.Running) return p;
    if (p.state == PkgState.Queued && (best === null || <i32>(p.order - best!.order) < 0)) best = p;
  }
  return best;
}

function begin(o: OrchState, p: WorkPackage): void {
  p.state = PkgState.Running;
  trace(o, p.origin, p.counter, p.next, TraceEvent.StepStart, 0);
  startStep(o, p);
}

/**
 * Computes one slice (at most `orch_slice_cost` units) of the current step; a finished step
 * moves the package on. True while work is left (the node wants its next tick at once).
 */
export function runTick(o: OrchState, now: u32): bool {
  const c = current(o);
  if (c === null) return false;
  const p = c!;
  if (p.state == PkgState.Queued) begin(o, p);
  if (runSlice(o, p)) {
    count(ORCH_STEP_RUN);
    trace(o, p.origin, p.counter, p.next, TraceEvent.StepDone, 0);
    p.next = stepAfter(p.next, p.last);
    place(o, p, now);
    // Its next step is loaded here too: it runs on at once, ahead of packages queued since.
    if (p.state == PkgState.Queued) begin(o, p);
  }
  return current(o) !== null;
}
