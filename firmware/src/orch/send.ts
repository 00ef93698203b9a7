// The orchestration control messages a node sends (docs/wire.md, 0x40..0x47): short frames,
// network-wide broadcast for REQUEST, routed unicast with ACK_REQ (repaired hop by hop) for the rest.

import { BROADCAST } from "../hal";
import { count } from "../core/counters";
import { putU32 } from "../core/bytes";
import { FLAG_ACK_REQ, MsgType } from "../wire/format";
import { ORCH_STEPS_BYTES, putAccept, putName, putNameExtra } from "../wire/orch";
import { routeSend } from "../route/service";
import {
  ORCH_ACCEPT_TX, ORCH_ACK_TX, ORCH_CANCEL_TX, ORCH_PROBE_TX, ORCH_RELEASE_TX, ORCH_REQ_TX, ORCH_TAKEN_TX, ORCH_TRIGGER_TX,
} from "./counters";
import { OrchState } from "./state";

/** Sends the `len` bytes in the scratch buffer; false when the route layer refused (no route, busy). */
function control(o: OrchState, type: u32, dst: u32, len: u32): bool {
  return routeSend(type, dst, o.scratchPtr, len, dst == BROADCAST ? 0 : FLAG_ACK_REQ) >= 0;
}

function named(o: OrchState, type: u32, counter: i32, dst: u32, origin: u32, pkgCounter: u32, step: u32): void {
  if (control(o, type, dst, putName(o.scratchPtr, origin, pkgCounter, step))) count(counter);
}

export function sendRequest(o: OrchState, origin: u32, counter: u32, step: u32, round: u32): void {
  if (control(o, MsgType.OrchRequest, BROADCAST, putNameExtra(o.scratchPtr, origin, counter, step, round > 255 ? 255 : round))) count(ORCH_REQ_TX);
}

export function sendAccept(o: OrchState, dst: u32, origin: u32, counter: u32, step: u32, load: u32): void {
  const len = putAccept(o.scratchPtr, origin, counter, step, load, o.cfg.capability, o.cfg.battery);
  if (control(o, MsgType.OrchAccept, dst, len)) count(ORCH_ACCEPT_TX);
}

export function sendCancel(o: OrchState, dst: u32, origin: u32, counter: u32, step: u32): void {
  named(o, MsgType.OrchCancel, ORCH_CANCEL_TX, dst, origin, counter, step);
}

/** ACK: the package sent for `step` is taken here (or, at its target, `step` 0: its result). */
export function sendAck(o: OrchState, dst: u32, origin: u32, counter: u32, step: u32): void {
  named(o, MsgType.OrchAck, ORCH_ACK_TX, dst, origin, counter, step);
}

/** RELEASE: the package `dst` sent here for `step` has moved on or ended. */
export function sendRelease(o: OrchState, dst: u32, origin: u32, counter: u32, step: u32): void {
  named(o, MsgType.OrchRelease, ORCH_RELEASE_TX, dst, origin, counter, step);
}

/** PROBE: does `dst` still hold the package sent to it for `step`? */
export function sendProbe(o: OrchState, dst: u32, origin: u32, counter: u32, step: u32): void {
  named(o, MsgType.OrchProbe, ORCH_PROBE_TX, dst, origin, counter, step);
}

/** TAKEN: this node already took the package `dst` asks a taker for, for `step`. */
export function sendTaken(o: OrchState, dst: u32, origin: u32, counter: u32, step: u32): void {
  named(o, MsgType.OrchTaken, ORCH_TAKEN_TX, dst, origin, counter, step);
}

/** STEPS: `dst` has the steps in `mask` loaded from now on. False when it could not be sent. */
export function sendSteps(o: OrchState, dst: u32, mask: u32): bool {
  putU32(o.scratchPtr, 0, mask);
  if (!control(o, MsgType.OrchSteps, dst, ORCH_STEPS_BYTES)) return false;
  count(ORCH_TRIGGER_TX);
  return true;
}
