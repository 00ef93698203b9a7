// Sending messages (docs/delivery.md): a message that fits one frame goes as APP_DATA, a
// longer one as FRAG frames of equal size. The receiver answers with FRAG_ACK bitmaps and
// each retransmission round resends exactly the fragments the last bitmap lacks. One
// message at a time goes to each destination (others wait in their slots), which is what
// lets the receiver deliver in the order sent. Every message ends in one SEND_DONE.

import { emit, EmitKind, SendStatus } from "../hal";
import { before, putU16, putU8 } from "../core/bytes";
import { count } from "../core/counters";
import { FLAG_ACK_REQ, MsgType } from "../wire/format";
import { APP_DATA_FIXED, putAppDataMsg } from "../wire/appdata";
import { FRAG_FIXED, fragBytes, fragChunk, fragCount, putFragFixed } from "../wire/frag";
import { bitmapBytes, FragAckStatus } from "../wire/fragack";
import { reliableFree, reliablePoolSize } from "../link/reliable";
import { bitClear, bitsAdd, bitsClearAll, bitSet, bitsCount, bitsFill, bitsLast, bitsMissing, bitsNext, bitsRemove } from "./bitmap";
import { Carry, carrierRoom, carry } from "./carrier";
import { DeliveryState, SendSlot, SlotState } from "./deliverystate";
import { FRAG_ACK_RX, FRAG_DROP_ACK, FRAG_RETX, FRAG_TX, MSG_DONE, MSG_FAIL, MSG_TX } from "./deliverycounters";
import { nextMsgId } from "./msgorder";

/**
 * Told when a layer's own message (an orchestration package) ends: delivered or failed, so that
 * layer waits for its answer from then on, however long a slow or busy path took.
 */
let ownDone: ((msg: u32, dst: u32, status: u32, now: u32) => void) | null = null;

export function onOwnDone(hook: (msg: u32, dst: u32, status: u32, now: u32) => void): void {
  ownDone = hook;
}

/** A radio or pool that had no room is tried again this soon (a LINK_ACK also wakes the node). */
const BUSY_RETRY_MS: u32 = 2;

/** Largest message that goes as one APP_DATA frame. */
export function singleFrameMax(): u32 {
  return carrierRoom() - APP_DATA_FIXED;
}

/** Frames a message of `len` bytes takes (1 = one APP_DATA frame); 0 if it cannot be sent. */
export function framesFor(len: u32, capacity: u32): u32 {
  if (len > capacity || len > 0xffff) return 0;
  if (len <= singleFrameMax()) return 1;
  return fragCount(len, carrierRoom() - FRAG_FIXED);
}

/** A free slot, or -1. */
export function freeSlot(d: DeliveryState): i32 {
  for (let i = 0; i < d.slots.length; i++) if (d.slots[i].state == SlotState.Free) return i;
  return -1;
}

function busyTo(d: DeliveryState, dst: u32): bool {
  for (let i = 0; i < d.slots.length; i++) {
    const s = d.slots[i];
    if (s.state != SlotState.Free && s.dst == dst) return true;
  }
  return false;
}

function activate(s: SendSlot, now: u32): void {
  s.state = SlotState.Active;
  s.startMs = now;
  s.rounds = 0;
  s.cursor = 0;
  s.sentAll = false;
  s.refusedBusy = false;
  s.noRoute = false;
  s.retryAtMs = now;
  bitsClearAll(s.ackedPtr);
  bitsFill(s.toSendPtr, s.count);
  count(MSG_TX);
}

/**
 * Queues the `len` bytes already in slot `i`'s buffer for `dst`; `reliable` asks for ACK_REQ on
 * every hop. Returns the message id. The caller has checked the length with `framesFor`.
 */
export function startMessage(d: DeliveryState, i: i32, dst: u32, len: u32, reliable: bool, now: u32, inner: u32 = MsgType.AppData): u32 {
  const s = d.slots[i];
  s.inner = inner;
  s.msg = d.nextMsg;
  d.nextMsg = nextMsgId(d.nextMsg);
  s.dst = dst;
  s.len = len;
  s.flags = reliable ? FLAG_ACK_REQ : 0;
  s.count = framesFor(len, <u32>s.data.length);
  s.order = d.nextOrder++;
  const waits = busyTo(d, dst);
  if (waits) s.state = SlotState.Waiting;
  else activate(s, now);
  return s.msg;
}

function finish(d: DeliveryState, s: SendSlot, status: u32, now: u32): void {
  const r = d.recordPtr;
  putU16(r, 0, s.msg);
  putU16(r, 2, s.dst);
  putU8(r, 4, status);
  count(status == SendStatus.Delivered ? MSG_DONE : MSG_FAIL);
  s.state = SlotState.Free;
  // A layer's own messages (orchestration packages) are confirmed by that layer, not the host.
  if (s.inner == MsgType.AppData) emit(EmitKind.SendDone, r, 5);
  else if (ownDone !== null) ownDone!(s.msg, s.dst, status, now);
  // The next message to the same destination, in submission order.
  let next = -1;
  for (let i = 0; i < d.slots.length; i++) {
    const w = d.slots[i];
    if (w.state != SlotState.Waiting || w.dst != s.dst) continue;
    if (next < 0 || <i32>(w.order - d.slots[next].order) < 0) next = i;
  }
  if (next >= 0) activate(d.slots[next], now);
}

/** Sends frame `index` of the message; returns the carrier's result. */
function sendFrame(d: DeliveryState, s: SendSlot, index: u32): i32 {
  const p = d.scratchPtr;
  if (s.count == 1) {
    putAppDataMsg(p, s.msg);
    memory.copy(p + APP_DATA_FIXED, s.dataPtr, s.len);
    return carry(s.inner, s.dst, p, APP_DATA_FIXED + s.len, s.flags);
  }
  const n = fragBytes(s.len, s.count, index);
  putFragFixed(p, s.msg, s.inner, index, s.count, s.len);
  memory.copy(p + FRAG_FIXED, s.dataPtr + index * fragChunk(s.len, s.count), n);
  return carry(MsgType.Frag, s.dst, p, FRAG_FIXED + n, s.flags);
}

/** Sends what the current round still holds, as far as the pool and the radio take it. */
function pump(d: DeliveryState, s: SendSlot, now: u32): void {
  if (s.sentAll || before(now, s.retryAtMs)) return;
  // Keep a third of the retransmission slots for frames this node forwards for others.
  const reserve = reliablePoolSize() / 3;
  for (;;) {
    const i = bitsNext(s.toSendPtr, s.cursor, s.count);
    if (i < 0) {
      s.sentAll = true;
      // The receiver reports a gap after `frag_timeout_ms` without progress; allow for the way back.
      s.waitUntilMs = now + 2 * d.cfg.fragTimeoutMs;
      return;
    }
    if (s.flags != 0 && reliableFree() <= reserve) {
      s.retryAtMs = now + d.cfg.ackTimeoutMs;
      return;
    }
    const r = sendFrame(d, s, <u32>i);
    s.noRoute = r == Carry.NoRoute;
    if (r == Carry.Ok) {
      bitClear(s.toSendPtr, <u32>i);
      s.cursor = <u32>i + 1;
      count(FRAG_TX);
      if (s.rounds > 0) count(FRAG_RETX);
    } else if (r == Carry.Busy) {
      s.retryAtMs = now + BUSY_RETRY_MS;
      return;
    } else if (r == Carry.NoRoute) {
      // The route may come back; the deadline bounds the wait.
      s.retryAtMs = now + d.cfg.fragTimeoutMs;
      return;
    } else {
      finish(d, s, SendStatus.NoRoute, now);
      return;
    }
  }
}

/** Starts another round with the fragments in `toSend`; false when the retries are used up. */
function nextRound(d: DeliveryState, s: SendSlot, now: u32): bool {
  s.rounds++;
  if (s.rounds > d.cfg.fragRetries) {
    finish(d, s, SendStatus.RetriesExhausted, now);
    return false;
  }
  s.sentAll = false;
  s.cursor = 0;
  s.retryAtMs = now;
  return true;
}

/** A validated FRAG_ACK from node `src`: its fields, and its bitmap at `bitmap`. */
export function receiveFragAck(d: DeliveryState, src: u32, msg: u32, status: u32, frags: u32, bitmap: usize, now: u32): void {
  let s: SendSlot | null = null;
  for (let i = 0; i < d.slots.length; i++) {
    const c = d.slots[i];
    if (c.state == SlotState.Active && c.dst == src && c.msg == msg) s = c;
  }
  if (s === null || s!.count != frags) {
    count(FRAG_DROP_ACK);
    return;
  }
  const slot = s!;
  count(FRAG_ACK_RX);
  if (status == FragAckStatus.TooLarge) {
    finish(d, slot, SendStatus.Refused, now);
    return;
  }
  if (status == FragAckStatus.Busy) {
    // Nothing to send until the receiver may have a buffer again.
    bitsClearAll(slot.toSendPtr);
    slot.sentAll = true;
    slot.refusedBusy = true;
    slot.waitUntilMs = now + d.cfg.fragTimeoutMs;
    return;
  }
  slot.refusedBusy = false;
  bitsAdd(slot.ackedPtr, bitmap, bitmapBytes(frags));
  if (bitsCount(slot.ackedPtr, frags) == frags) {
    finish(d, slot, SendStatus.Delivered, now);
    return;
  }
  bitsRemove(slot.toSendPtr, slot.ackedPtr, bitmapBytes(frags));
  if (slot.sentAll) {
    // The round is over and the receiver lacks these: resend exactly them.
    bitsMissing(slot.toSendPtr, slot.ackedPtr, frags);
    if (nextRound(d, slot, now)) pump(d, slot, now);
  }
}

function expire(d: DeliveryState, s: SendSlot, now: u32): void {
  if (s.state != SlotState.Active) return;
  if (now - s.startMs >= d.cfg.fragDeadlineMs) {
    finish(d, s, s.noRoute ? SendStatus.NoRoute : SendStatus.Deadline, now);
    return;
  }
  if (!s.sentAll || before(now, s.waitUntilMs)) return;
  // No FRAG_ACK came back for the whole wait.
  if (s.refusedBusy) {
    bitsMissing(s.toSendPtr, s.ackedPtr, s.count);
  } else {
    // Probe with the last unconfirmed fragment: the receiver answers any repeated or
    // final fragment with its bitmap, or with "complete" if only its FRAG_ACK was lost.
    bitsMissing(s.toSendPtr, s.ackedPtr, s.count);
    const last = bitsLast(s.toSendPtr, s.count);
    bitsClearAll(s.toSendPtr);
    if (last >= 0) bitSet(s.toSendPtr, <u32>last);
  }
  nextRound(d, s, now);
}

/** Due work of every slot; returns ms until the next. */
export function senderTick(d: DeliveryState, now: u32): u32 {
  const slots = d.slots;
  const n = slots.length;
  // Most ticks find every slot idle: one pass to see that instead of three.
  let idle = true;
  for (let i = 0; i < n && idle; i++) idle = unchecked(slots[i]).state != SlotState.Active;
  if (idle) return 0xffffffff;
  // In passes, so a message that another one's end lets start (at any slot) is sent now and
  // its deadline counted.
  for (let i = 0; i < n; i++) expire(d, unchecked(slots[i]), now);
  for (let i = 0; i < n; i++) if (unchecked(slots[i]).state == SlotState.Active) pump(d, unchecked(slots[i]), now);
  let next: u32 = 0xffffffff;
  for (let i = 0; i < n; i++) {
    const s = unchecked(slots[i]);
    if (s.state != SlotState.Active) continue;
    let due = s.sentAll ? s.waitUntilMs : s.retryAtMs;
    const deadline = s.startMs + d.cfg.fragDeadlineMs;
    if (before(deadline, due)) due = deadline;
    const wait = before(due, now) ? <u32>0 : due - now;
    if (wait < next) next = wait;
  }
  return next;
}
