// What the work package manager hands the host: ORCH_RESULT at a package's target (the package
// as it travels: its head, then the payload), ORCH_FAILED where a package ends without reaching
// its target (`origin:u16 counter:u16 step:u8 reason:u8`), and ORCH_STEPS when the steps loaded
// here change (`mask:u32 by:u16 cause:u8`), and with `orch_trace` 1 an ORCH_TRACE record per
// event in a package's life here (`origin:u16 counter:u16 step:u8 event:u8 peer:u16`), for
// timelines. A package that ends here releases the copy its
// previous holder kept (custody.ts).

import { emit, EmitKind } from "../hal";
import { count } from "../core/counters";
import { putU16, putU32, putU8 } from "../core/bytes";
import { ORCH_FAIL, ORCH_RESULT } from "./counters";
import { PkgState, WorkPackage } from "./package";
import { OrchState } from "./state";
import { PKG_HEAD } from "../wire/orch";
import { sendRelease } from "./send";

/** `reason` of an ORCH_FAILED record. */
export const enum FailReason {
  /** No node accepted its next step within `orch_request_retries` REQUESTs. */
  NoStep = 1,
  /** Neither its target nor a backup target acknowledged the result (by its deadline, if it has one). */
  TargetUnreachable = 2,
  /** Its deadline passed before its last step was done. */
  Expired = 3,
  /** Its payload is not the input of this node's model step, or it needs only part of the steps the model computes here. */
  BadInput = 4,
  /** This node's model step ended with an error status (a weights read or `accel` failed). */
  StepError = 5,
}

/** `cause` of an ORCH_STEPS record. */
export const enum StepsCause {
  /** `submit(ORCH_STEPS)` or `submit(ORCH_TRIGGER)` naming this node. */
  Local = 0,
  /** A STEPS trigger message from node `by`. */
  Trigger = 1,
  /** Assumed after repeated unanswered requests (`orch_assume`). */
  Assumed = 2,
}

/** `event` of an ORCH_TRACE record. */
export const enum TraceEvent {
  /** Step `step` starts here. */
  StepStart = 1,
  /** Step `step` is done here. */
  StepDone = 2,
  /** First sent to `peer` for step `step` (0: as a result to its target). */
  Sent = 3,
  /** Taken here from `peer` for step `step` (0: as its target). */
  Taken = 4,
}

export const FAILED_RECORD_BYTES: u32 = 6;
export const TRACE_RECORD_BYTES: u32 = 8;

/** An ORCH_TRACE record, when `orch_trace` is on. */
export function trace(o: OrchState, origin: u32, counter: u32, step: u32, event: u32, peer: u32): void {
  if (o.cfg.trace == 0) return;
  const r = o.scratchPtr;
  putU16(r, 0, origin);
  putU16(r, 2, counter);
  putU8(r, 4, step);
  putU8(r, 5, event);
  putU16(r, 6, peer);
  emit(EmitKind.OrchTrace, r, TRACE_RECORD_BYTES);
}
export const STEPS_RECORD_BYTES: u32 = 7;

/** A result at its target: the package's head and payload at `data` (`len` bytes in all). */
export function emitResult(data: usize, len: u32): void {
  count(ORCH_RESULT);
  emit(EmitKind.OrchResult, data, len);
}

/**
 * The package has moved on from here or ended: the node that kept a copy for it may drop it.
 * A node with custody off assumes its peers have it off too (a sender that keeps a copy anyway
 * learns from its PROBE, answered by RELEASE).
 */
export function releasePrevious(o: OrchState, p: WorkPackage): void {
  if (p.prev == 0 || o.cfg.custodyMs == 0) return;
  sendRelease(o, p.prev, p.origin, p.counter, p.prevStep);
  p.prev = 0;
}

/** A held package that has reached this node as its target. */
export function resultHere(o: OrchState, p: WorkPackage, now: u32): void {
  p.writeHead(now);
  emitResult(p.dataPtr, PKG_HEAD + p.len);
  releasePrevious(o, p);
  p.state = PkgState.Free;
}

/** Gives a held package up with `reason` and frees its slot. */
export function failPackage(o: OrchState, p: WorkPackage, reason: u32): void {
  releasePrevious(o, p);
  const r = o.scratchPtr;
  putU16(r, 0, p.origin);
  putU16(r, 2, p.counter);
  putU8(r, 4, p.next);
  putU8(r, 5, reason);
  count(ORCH_FAIL);
  p.state = PkgState.Free;
  emit(EmitKind.OrchFailed, r, FAILED_RECORD_BYTES);
}

/** The steps loaded here are now `mask`, changed by `by` for `cause`. */
export function setSteps(o: OrchState, mask: u32, by: u32, cause: u32): void {
  o.cfg.steps = mask;
  const r = o.scratchPtr;
  putU32(r, 0, mask);
  putU16(r, 4, by);
  putU8(r, 6, cause);
  emit(EmitKind.OrchSteps, r, STEPS_RECORD_BYTES);
}
