// Receiving messages (docs/delivery.md): FRAG frames are placed into a fixed reassembly
// buffer by their index, whatever order they come in; a complete message is handed to the
// application at once (DELIVERED) and confirmed with a full FRAG_ACK. While a message is
// incomplete the receiver reports its bitmap shortly after the sender's round has ended
// (the last fragment or a repeated one arrived) and again whenever `frag_timeout_ms` passes
// without progress, so the sender resends only what is missing.

import { emit, EmitKind } from "../hal";
import { before, putU16 } from "../core/bytes";
import { count } from "../core/counters";
import { FLAG_ACK_REQ, MsgType } from "../wire/format";
import { APP_DATA_FIXED } from "../wire/appdata";
import { FRAG_FIXED, fragChunk, fragCountOf, fragIndex, fragInner, fragMsg, fragTotal } from "../wire/frag";
import { bitmapBytes, FRAG_ACK_FIXED, FragAckStatus, putFragAckFixed } from "../wire/fragack";
import { bitGet, bitsClearAll, bitSet } from "./bitmap";
import { Carry, carry } from "./carrier";
import { DeliveryState, RECORD_HEAD, RxBuffer } from "./deliverystate";
import {
  FRAG_ACK_TX, FRAG_DONE, FRAG_DROP_BAD, FRAG_DROP_BIG, FRAG_DROP_BUSY, FRAG_DROP_STALE, FRAG_DROP_TIMEOUT, FRAG_DUP,
  FRAG_RX, MSG_RX,
} from "./deliverycounters";
import { MsgClass } from "./msgorder";

/** Sends a FRAG_ACK to `dst`: `bitmap` (null = all `frags` fragments) with `status`. */
function sendFragAck(d: DeliveryState, dst: u32, msg: u32, status: u32, frags: u32, bitmap: usize): void {
  const p = d.scratchPtr;
  const bytes = bitmapBytes(frags);
  putFragAckFixed(p, msg, status, frags);
  if (status != FragAckStatus.Ok) memory.fill(p + FRAG_ACK_FIXED, 0, bytes);
  else if (bitmap != 0) memory.copy(p + FRAG_ACK_FIXED, bitmap, bytes);
  else bitsFillBytes(p + FRAG_ACK_FIXED, frags);
  if (carry(MsgType.FragAck, dst, p, FRAG_ACK_FIXED + bytes, FLAG_ACK_REQ) == Carry.Ok) count(FRAG_ACK_TX);
}

/** Sets bits 0..count-1 in exactly bitmapBytes(count) bytes (a full bitmap on the wire). */
function bitsFillBytes(p: usize, frags: u32): void {
  memory.fill(p, 0, bitmapBytes(frags));
  for (let i: u32 = 0; i < frags; i++) bitSet(p, i);
}

function findBuffer(d: DeliveryState, src: u32, msg: u32): RxBuffer | null {
  for (let i = 0; i < d.buffers.length; i++) {
    const b = d.buffers[i];
    if (b.used && b.src == src && b.msg == msg) return b;
  }
  return null;
}

/** A newer message from `src` has started: whatever older one it was sending was given up. */
function abandonOlder(d: DeliveryState, src: u32, msg: u32): void {
  for (let i = 0; i < d.buffers.length; i++) {
    const b = d.buffers[i];
    if (b.used && b.src == src && b.msg != msg) {
      b.used = false;
      count(FRAG_DROP_STALE);
    }
  }
}

function freeBuffer(d: DeliveryState): RxBuffer | null {
  for (let i = 0; i < d.buffers.length; i++) if (!d.buffers[i].used) return d.buffers[i];
  return null;
}

/**
 * Messages of a type other than APP_DATA go to the layer that registered for them
 * (orchestration packages): `(inner, src, msg, bytes, len, now)`.
 */
let messageHook: ((inner: u32, src: u32, msg: u32, data: usize, len: u32, now: u32) => void) | null = null;

export function onMessage(hook: (inner: u32, src: u32, msg: u32, data: usize, len: u32, now: u32) => void): void {
  messageHook = hook;
}

/** Hands a message up: `rec` holds RECORD_HEAD free bytes, then `len` bytes. */
function deliver(d: DeliveryState, src: u32, msg: u32, rec: usize, len: u32, now: u32, inner: u32): void {
  d.sources.deliveredMsg(src, msg, now);
  count(MSG_RX);
  if (inner != MsgType.AppData) {
    if (messageHook !== null) messageHook!(inner, src, msg, rec + RECORD_HEAD, len, now);
    return;
  }
  putU16(rec, 0, src);
  putU16(rec, 2, msg);
  emit(EmitKind.Delivered, rec, RECORD_HEAD + len);
}

/** A validated APP_DATA frame (or one of the same layout, type `inner`) for us from `src`: a whole message in one frame. */
export function receiveAppData(d: DeliveryState, src: u32, payload: usize, len: u32, now: u32, inner: u32 = MsgType.AppData): void {
  const msg = <u32>load<u16>(payload);
  const cls = d.sources.classify(src, msg, now);
  if (cls == MsgClass.Stale) {
    count(FRAG_DROP_STALE);
    return;
  }
  if (cls == MsgClass.Delivered) {
    count(FRAG_DUP);
  } else {
    count(FRAG_RX);
    abandonOlder(d, src, msg);
    // The record is built in place: src over the two header bytes before the payload,
    // whose msg:u16 already is the record's second field. Nothing reads the frame afterwards.
    deliver(d, src, msg, payload + APP_DATA_FIXED - RECORD_HEAD, len - APP_DATA_FIXED, now, inner);
  }
  sendFragAck(d, src, msg, FragAckStatus.Ok, 1, 0);
}

function holdMs(d: DeliveryState): u32 {
  return d.cfg.fragTimeoutMs / 2;
}

/** Report the bitmap soon: the sender's round is over (or it is probing). */
function armHold(d: DeliveryState, b: RxBuffer, now: u32): void {
  if (b.holdArmed) return;
  b.holdArmed = true;
  b.ackAtMs = now + holdMs(d);
}

/** A validated FRAG frame for us from `src`. */
export function receiveFrag(d: DeliveryState, src: u32, payload: usize, len: u32, now: u32): void {
  const msg = fragMsg(payload);
  const inner = fragInner(payload);
  const index = fragIndex(payload);
  const frags = fragCountOf(payload);
  const total = fragTotal(payload);
  const cls = d.sources.classify(src, msg, now);
  if (cls == MsgClass.Delivered) {
    // Its FRAG_ACK was lost and the sender is probing: confirm again.
    count(FRAG_DUP);
    sendFragAck(d, src, msg, FragAckStatus.Ok, frags, 0);
    return;
  }
  if (cls == MsgClass.Stale) {
    count(FRAG_DROP_STALE);
    return;
  }
  let b = findBuffer(d, src, msg);
  if (b === null) {
    abandonOlder(d, src, msg);
    if (total > d.cfg.fragBufferBytes) {
      count(FRAG_DROP_BIG);
      sendFragAck(d, src, msg, FragAckStatus.TooLarge, frags, 0);
      return;
    }
    b = freeBuffer(d);
    if (b === null) {
      count(FRAG_DROP_BUSY);
      sendFragAck(d, src, msg, FragAckStatus.Busy, frags, 0);
      return;
    }
    const nb = b!;
    nb.used = true;
    nb.src = src;
    nb.msg = msg;
    nb.inner = inner;
    nb.count = frags;
    nb.total = total;
    nb.got = 0;
    nb.startMs = now;
    nb.lastSeen = false;
    nb.holdArmed = false;
    nb.idleAcks = 0;
    bitsClearAll(nb.bitmapPtr);
    d.sources.started(src, msg, now);
  }
  const buf = b!;
  if (buf.inner != inner || buf.count != frags || buf.total != total) {
    count(FRAG_DROP_BAD);
    return;
  }
  if (bitGet(buf.bitmapPtr, index)) {
    count(FRAG_DUP);
    armHold(d, buf, now);
    return;
  }
  memory.copy(buf.dataPtr + RECORD_HEAD + index * fragChunk(total, frags), payload + FRAG_FIXED, len - FRAG_FIXED);
  bitSet(buf.bitmapPtr, index);
  buf.got++;
  buf.idleAcks = 0;
  count(FRAG_RX);
  d.sources.touch(src, now);
  if (buf.got == frags) {
    buf.used = false;
    count(FRAG_DONE);
    if (inner == MsgType.AppData || inner == MsgType.OrchPackage) deliver(d, src, msg, buf.dataPtr, total, now, inner);
    else d.sources.deliveredMsg(src, msg, now);
    sendFragAck(d, src, msg, FragAckStatus.Ok, frags, 0);
    return;
  }
  if (index + 1 == frags) buf.lastSeen = true;
  if (buf.lastSeen) armHold(d, buf, now);
  else if (!buf.holdArmed) buf.ackAtMs = now + d.cfg.fragTimeoutMs;
}

/** Sends due FRAG_ACKs and gives up stalled reassemblies; returns ms until the next due one. */
export function receiverTick(d: DeliveryState, now: u32): u32 {
  let next: u32 = 0xffffffff;
  const buffers = d.buffers;
  for (let i = 0; i < buffers.length; i++) {
    const b = unchecked(buffers[i]);
    if (!b.used) continue;
    if (now - b.startMs >= d.cfg.fragDeadlineMs) {
      b.used = false;
      count(FRAG_DROP_TIMEOUT);
      continue;
    }
    if (!before(now, b.ackAtMs)) {
      if (b.idleAcks >= d.cfg.fragRetries) {
        b.used = false;
        count(FRAG_DROP_TIMEOUT);
        continue;
      }
      sendFragAck(d, b.src, b.msg, FragAckStatus.Ok, b.count, b.bitmapPtr);
      b.idleAcks++;
      b.holdArmed = false;
      b.ackAtMs = now + d.cfg.fragTimeoutMs;
    }
    const wait = before(b.ackAtMs, now) ? <u32>0 : b.ackAtMs - now;
    if (wait < next) next = wait;
  }
  return next;
}
