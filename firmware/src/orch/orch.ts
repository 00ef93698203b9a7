// Entry points of orchestration (docs/orchestration.md): the node program forwards the ORCH
// submit kind and its ticks here; the route layer hands over the control frames and the
// delivery layer the packages, through the hooks registered by `orchInit`.

import { now_ms, SubmitError } from "../hal";
import { count } from "../core/counters";
import { getU16, getU32 } from "../core/bytes";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { Header } from "../wire/header";
import { onOrchestration } from "../route/dispatch";
import { onMessage } from "../route/reassembly";
import { onOwnDone } from "../route/fragment";
import { DeliveryState } from "../route/deliverystate";
import { auctionTick, deliveryDone, receiveAccept, receiveTaken, receiveAck, receiveCancel, receiveRequest } from "./auction";
import { OrchConfig } from "./config";
import { defineOrchCounters, ORCH_DROP_BAD, ORCH_TRIGGER_RX } from "./counters";
import { receiveProbe, receiveRelease } from "./custody";
import { setSteps, StepsCause } from "./records";
import { sendSteps } from "./send";
import { receivePackage, runTick, submitPackage } from "./manager";
import { OrchState } from "./state";

let bound: OrchState | null = null;

function frameHook(frame: usize, h: Header, now: u32): bool {
  if (bound === null) return false;
  const o = bound!;
  const p = frame + HEADER_SIZE;
  // Every orchestration frame but a REQUEST is addressed to one node.
  if (h.type != MsgType.OrchRequest && h.dst != o.self) return false;
  switch (h.type) {
    case MsgType.OrchRequest: receiveRequest(o, h.src, p, now); break;
    case MsgType.OrchAccept: receiveAccept(o, h.src, p, now); break;
    case MsgType.OrchCancel: receiveCancel(o, h.src, p); break;
    case MsgType.OrchAck: receiveAck(o, h.src, p, now); break;
    case MsgType.OrchRelease: receiveRelease(o, h.src, p); break;
    case MsgType.OrchTaken: receiveTaken(o, h.src, p, now); break;
    case MsgType.OrchProbe: receiveProbe(o, h.src, p); break;
    case MsgType.OrchSteps:
      count(ORCH_TRIGGER_RX);
      setSteps(o, getU32(p, 0), h.src, StepsCause.Trigger);
      break;
    default: return false;
  }
  return true;
}

function messageHook(inner: u32, src: u32, msg: u32, data: usize, len: u32, now: u32): void {
  if (bound === null || inner != MsgType.OrchPackage) {
    if (bound !== null) count(ORCH_DROP_BAD);
    return;
  }
  receivePackage(bound!, src, data, len, now);
}

function ownDoneHook(msg: u32, dst: u32, status: u32, now: u32): void {
  if (bound !== null) deliveryDone(bound!, msg, dst, status, now);
}

/** Called once by `init` when `orch_enable` is 1, after the delivery layer. */
export function orchInit(self: u32, cfg: OrchConfig, firstCounter: u32): OrchState {
  defineOrchCounters();
  const o = new OrchState(self, cfg, firstCounter);
  bound = o;
  onOrchestration(frameHook);
  onMessage(messageHook);
  onOwnDone(ownDoneHook);
  return o;
}

/** `submit(ORCH)`. */
export function orchSubmit(o: OrchState, data: usize, len: u32): i32 {
  return submitPackage(o, data, len, now_ms());
}

/** `submit(ORCH_BLOB)`: as ORCH, the payload read from a blob (`blob:u32 len:u32` after the head). */
export function orchSubmitBlob(o: OrchState, data: usize, len: u32): i32 {
  return submitPackage(o, data, len, now_ms(), true);
}

/**
 * `submit(ORCH_STEPS)`: `mask:u32`, the steps loaded here from now on (a trigger from the host).
 * Packages queued here still run the step they wait for; the next ones follow the new mask.
 */
export function orchSetSteps(o: OrchState, data: usize, len: u32): i32 {
  if (len != 4) return SubmitError.BadLength;
  const mask = getU32(data, 0);
  if (mask > 0x7fffffff) return SubmitError.BadLength;
  setSteps(o, mask, o.self, StepsCause.Local);
  return 0;
}

/**
 * `submit(ORCH_TRIGGER)`: `node:u16 mask:u32`, a STEPS trigger message telling `node` which
 * steps it has loaded from now on (applied here when `node` is this one). `-5` no route.
 */
export function orchTrigger(o: OrchState, data: usize, len: u32): i32 {
  if (len != 6) return SubmitError.BadLength;
  const node = getU16(data, 0);
  const mask = getU32(data, 2);
  if (node == 0 || node == 0xffff || mask > 0x7fffffff) return SubmitError.BadLength;
  if (node == o.self) {
    setSteps(o, mask, o.self, StepsCause.Local);
    return 0;
  }
  return sendSteps(o, node, mask) ? 0 : SubmitError.NoRoute;
}

/** Due work: one compute slice, then the auctions. Returns ms until the next. */
export function orchTick(o: OrchState, d: DeliveryState, now: u32): u32 {
  const busy = runTick(o, now);
  const wait = auctionTick(o, d, now);
  return busy ? 0 : wait;
}
