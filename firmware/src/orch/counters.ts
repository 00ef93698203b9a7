// Counter slots of orchestration (orch.*), after the lifecycle block. Defined only when
// orchestration is on, so other nodes' counter dumps are unchanged.

import { defineCounter } from "../core/counters";
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
export const ORCH_COUNTERS_END: i32 = BASE + 19;

export function defineOrchCounters(): void {
  defineCounter(ORCH_SUBMIT, "orch.submit");
  defineCounter(ORCH_PKG_RX, "orch.pkg.rx");
  defineCounter(ORCH_PKG_DUP, "orch.pkg.dup");
  defineCounter(ORCH_STEP_RUN, "orch.step.run");
  defineCounter(ORCH_REQ_TX, "orch.req.tx");
  defineCounter(ORCH_REQ_RX, "orch.req.rx");
  defineCounter(ORCH_ACCEPT_TX, "orch.accept.tx");
  defineCounter(ORCH_ACCEPT_RX, "orch.accept.rx");
  defineCounter(ORCH_CANCEL_TX, "orch.cancel.tx");
  defineCounter(ORCH_CANCEL_RX, "orch.cancel.rx");
  defineCounter(ORCH_DISPATCH_TX, "orch.dispatch.tx");
  defineCounter(ORCH_DISPATCH_RETX, "orch.dispatch.retx");
  defineCounter(ORCH_ACK_TX, "orch.ack.tx");
  defineCounter(ORCH_ACK_RX, "orch.ack.rx");
  defineCounter(ORCH_RESULT, "orch.result");
  defineCounter(ORCH_FAIL, "orch.fail");
  defineCounter(ORCH_DROP_FULL, "orch.drop.full");
  defineCounter(ORCH_DROP_BAD, "orch.drop.bad");
  defineCounter(ORCH_RESERVE_EXPIRED, "orch.reserve.expired");
}
