// Counter slots of orchestration (orch.*), after the lifecycle block. Defined only when
// orchestration is on, so other nodes' counter dumps are unchanged.

import { defineCounterBlock } from "../core/counters";
import { LIFE_COUNTERS_END } from "../life/counters";

const BASE: i32 = LIFE_COUNTERS_END;

export const ORCH_SUBMIT: i32 = BASE + 0;
export const ORCH_PKG_RX: i32 = BASE + 1;
export const ORCH_PKG_DUP: i32 = BASE + 2;
export const ORCH_STEP_RUN: i32 = BASE + 3;
export const ORCH_REQ_TX: i32 = BASE + 4;
export const ORCH_REQ_RX: i32 = BASE + 5;
export const ORCH_ACCEPT_TX: i32 = BASE + 6;
export const ORCH_ACCEPT_RX: i32 = BASE + 7;
export const ORCH_CANCEL_TX: i32 = BASE + 8;
export const ORCH_CANCEL_RX: i32 = BASE + 9;
export const ORCH_DISPATCH_TX: i32 = BASE + 10;
export const ORCH_DISPATCH_RETX: i32 = BASE + 11;
export const ORCH_ACK_TX: i32 = BASE + 12;
export const ORCH_ACK_RX: i32 = BASE + 13;
export const ORCH_RESULT: i32 = BASE + 14;
export const ORCH_FAIL: i32 = BASE + 15;
export const ORCH_DROP_FULL: i32 = BASE + 16;
export const ORCH_DROP_BAD: i32 = BASE + 17;
export const ORCH_RESERVE_EXPIRED: i32 = BASE + 18;
export const ORCH_RELEASE_TX: i32 = BASE + 19;
export const ORCH_RELEASE_RX: i32 = BASE + 20;
export const ORCH_PROBE_TX: i32 = BASE + 21;
export const ORCH_PROBE_RX: i32 = BASE + 22;
export const ORCH_CUSTODY_LOST: i32 = BASE + 23;
export const ORCH_EXPIRED: i32 = BASE + 24;
export const ORCH_TRIGGER_TX: i32 = BASE + 25;
export const ORCH_TRIGGER_RX: i32 = BASE + 26;
export const ORCH_ASSUMED: i32 = BASE + 27;
export const ORCH_TAKEN_TX: i32 = BASE + 28;
export const ORCH_TAKEN_RX: i32 = BASE + 29;
export const ORCH_COUNTERS_END: i32 = BASE + 30;

export function defineOrchCounters(): void {
  // In slot order from ORCH_SUBMIT.
  defineCounterBlock(ORCH_SUBMIT, "orch.submit orch.pkg.rx orch.pkg.dup orch.step.run orch.req.tx orch.req.rx orch.accept.tx orch.accept.rx orch.cancel.tx orch.cancel.rx orch.dispatch.tx orch.dispatch.retx orch.ack.tx orch.ack.rx orch.result orch.fail orch.drop.full orch.drop.bad orch.reserve.expired orch.release.tx orch.release.rx orch.probe.tx orch.probe.rx orch.custody.lost orch.expired orch.trigger.tx orch.trigger.rx orch.assumed orch.taken.tx orch.taken.rx");
}
