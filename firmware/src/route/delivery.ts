// Entry points of message delivery (docs/delivery.md): the node program forwards the SEND and
// SEND_BLOB submit kinds, the FRAG / FRAG_ACK / APP_DATA frames addressed to this node, and
// its ticks here.

import { blob_read, BROADCAST, SEND_FLAGS_KNOWN, SendFlag, SubmitError } from "../hal";
import { getU16, getU32, getU8 } from "../core/bytes";
import { Config } from "../core/config";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { Header } from "../wire/header";
import { fragAckBitmap, fragAckCount, fragAckMsg, fragAckStatus } from "../wire/fragack";
import { carrierInit, hasRoute } from "./carrier";
import { DeliveryState } from "./deliverystate";
import { framesFor, freeSlot, receiveFragAck, senderTick, startMessage } from "./fragment";
import { receiveAppData, receiveFrag, receiverTick } from "./reassembly";

/** SEND: dst:u16 flags:u8 payload... */
const SEND_FIXED: u32 = 3;
/** SEND_BLOB: dst:u16 flags:u8 blob:u32 len:u32 */
const SEND_BLOB_BYTES: u32 = 11;

/** The instance the route layer's dispatcher hands frames to (it has no state parameter for us). */
let bound: DeliveryState | null = null;

/** Called once by `init`, after the route layer. */
export function deliveryInit(self: u32, cfg: Config): DeliveryState {
  carrierInit(cfg.mtu);
  const d = new DeliveryState(self, cfg);
  bound = d;
  return d;
}

/** Checks shared by SEND and SEND_BLOB; a free slot index, or a negative SubmitError. */
function admit(d: DeliveryState, dst: u32, flags: u32, len: u32): i32 {
  if ((flags & ~SEND_FLAGS_KNOWN) != 0) return SubmitError.BadFlags;
  if (dst == 0 || dst >= BROADCAST || dst == d.self || !hasRoute(dst)) return SubmitError.NoRoute;
  if (framesFor(len, d.cfg.fragBufferBytes) == 0) return SubmitError.TooLong;
  const i = freeSlot(d);
  return i < 0 ? SubmitError.Busy : i;
}

/** `submit(SEND)`: the message follows its 3-byte head in `data`. A message id > 0, or a SubmitError. */
export function submitSend(d: DeliveryState, data: usize, len: u32, now: u32): i32 {
  if (len < SEND_FIXED) return SubmitError.BadLength;
  const dst = getU16(data, 0);
  const flags = getU8(data, 2);
  const size = len - SEND_FIXED;
  const i = admit(d, dst, flags, size);
  if (i < 0) return i;
  memory.copy(d.slots[i].dataPtr, data + SEND_FIXED, size);
  return <i32>startMessage(d, i, dst, size, (flags & SendFlag.Reliable) != 0, now);
}

/** `submit(SEND_BLOB)`: the message is `len` bytes of blob `blob`, read through the HAL now. */
export function submitSendBlob(d: DeliveryState, data: usize, len: u32, now: u32): i32 {
  if (len != SEND_BLOB_BYTES) return SubmitError.BadLength;
  const dst = getU16(data, 0);
  const flags = getU8(data, 2);
  const blob = getU32(data, 3);
  const size = getU32(data, 7);
  const i = admit(d, dst, flags, size);
  if (i < 0) return i;
  if (size > 0 && blob_read(blob, 0, d.slots[i].dataPtr, size) != <i32>size) return SubmitError.NoBlob;
  return <i32>startMessage(d, i, dst, size, (flags & SendFlag.Reliable) != 0, now);
}

/**
 * A validated frame of one of this layer's types addressed to this node (header in `h`).
 * Returns false for a type this layer does not handle.
 */
export function deliveryFrame(d: DeliveryState, frame: usize, h: Header, now: u32): bool {
  const p = frame + HEADER_SIZE;
  if (h.type == MsgType.Frag) receiveFrag(d, h.src, p, h.len, now);
  else if (h.type == MsgType.AppData || h.type == MsgType.OrchPackage) receiveAppData(d, h.src, p, h.len, now, h.type);
  else if (h.type == MsgType.FragAck) {
    receiveFragAck(d, h.src, fragAckMsg(p), fragAckStatus(p), fragAckCount(p), fragAckBitmap(p), now);
  } else return false;
  return true;
}

/** The dispatcher's entry (route/dispatch.ts): a frame of ours for this node, header in `h`. */
export function deliveryReceive(frame: usize, h: Header, now: u32): bool {
  return bound !== null && deliveryFrame(bound!, frame, h, now);
}

/** Due work of the sender and the receiver; returns ms until the next. */
export function deliveryTick(d: DeliveryState, now: u32): u32 {
  const a = senderTick(d, now);
  const b = receiverTick(d, now);
  return a < b ? a : b;
}

/**
 * A layer's own message (type `inner`, e.g. an orchestration package) of `len` bytes at `data`
 * to `dst`, sent like SEND but confirmed by that layer instead of a SEND_DONE. A message id > 0,
 * or SubmitError NoRoute / TooLong / Busy.
 */
export function sendOwn(d: DeliveryState, dst: u32, inner: u32, data: usize, len: u32, reliable: bool, now: u32): i32 {
  const i = admit(d, dst, 0, len);
  if (i < 0) return i;
  memory.copy(d.slots[i].dataPtr, data, len);
  return <i32>startMessage(d, i, dst, len, reliable, now, inner);
}
