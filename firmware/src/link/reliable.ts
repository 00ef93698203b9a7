// Hop-by-hop acknowledged delivery (docs/delivery.md). `linkSend` puts one frame on the
// link; when its header asks for an acknowledgement (ACK_REQ) and it goes to one neighbour,
// a copy waits in a fixed pool until that neighbour's LINK_ACK names it, and is sent again
// every `ack_timeout_ms` up to `link_retries` times. The receiving side acknowledges every
// ACK_REQ frame it accepts, duplicates included (the first ACK may be the one that was
// lost), and hands each frame up only once.
//
// `linkSend` has no state parameter (every layer above calls it the same way), so this
// file keeps its state in one module-level instance created by `reliableInit`.

import { BROADCAST, now_ms, NO_DEADLINE, SendError } from "../hal";
import { before, getU16, getU8 } from "../core/bytes";
import { Config } from "../core/config";
import { count } from "../core/counters";
import { FLAG_ACK_REQ, HEADER_SIZE, MsgType, OFF_FLAGS, OFF_SEQ, OFF_SRC, OFF_TYPE } from "../wire/format";
import { encodeHeader, Header } from "../wire/header";
import { LINK_ACK_SIZE, linkAckSeq, linkAckSrc, linkAckType, putLinkAck } from "../wire/linkack";
import { transmit } from "../wire/send";
import { LINK_TX_ERR } from "./counters";
import { DupCache } from "./dupcache";
import {
  LINK_ACK_RX, LINK_ACK_STRAY, LINK_ACK_TX, LINK_DUP, LINK_POOL_FULL, LINK_RETX, LINK_RETX_FAIL, LINK_RX_BUSY,
} from "./reliablecounters";
import { RetxPool } from "./retxpool";

/** `linkSend` result when every retransmission slot is taken; nothing was sent. */
export const LINK_SEND_BUSY: i32 = -4;

/** A radio that refused a frame (queue full) is tried again this soon; it drains at line rate. */
const RADIO_RETRY_MS: u32 = 2;

export class ReliableState {
  self: u32;
  mtu: u32;
  ackTimeoutMs: u32;
  retries: u32;
  pool: RetxPool;
  dups: DupCache;
  /** LINK_ACK frames are built here. */
  ack: StaticArray<u8> = new StaticArray<u8>(<i32>(HEADER_SIZE + LINK_ACK_SIZE));
  ackSeq: u32 = 0;

  constructor(self: u32, cfg: Config) {
    this.self = self;
    this.mtu = cfg.mtu;
    this.ackTimeoutMs = cfg.ackTimeoutMs;
    this.retries = cfg.linkRetries;
    this.pool = new RetxPool(<i32>cfg.reliablePool, cfg.mtu);
    this.dups = new DupCache(<i32>cfg.dupCache);
  }
}

let state: ReliableState | null = null;

/** Told about a frame whose last retransmission went unacknowledged (the route layer may drop routes via `peer`). */
let hopFailed: ((peer: u32, frame: usize, len: u32) => void) | null = null;
/** Told about every LINK_ACK that matched a held frame (the link layer takes it as proof the link works). */
let hopAcked: ((peer: u32) => void) | null = null;

/** Called once by `init`: allocates the pool and the duplicate cache. */
export function reliableInit(self: u32, cfg: Config): void {
  state = new ReliableState(self, cfg);
}

export function onHopFailure(hook: (peer: u32, frame: usize, len: u32) => void): void {
  hopFailed = hook;
}

export function onHopAck(hook: (peer: u32) => void): void {
  hopAcked = hook;
}

/** Retransmission slots free right now; an originator keeps some for frames it forwards. */
export function reliableFree(): i32 {
  return state === null ? 0 : state!.pool.free;
}

export function reliablePoolSize(): i32 {
  return state === null ? 0 : state!.pool.capacity;
}

function sendPlain(nextHop: u32, frame: usize, len: u32): i32 {
  const result = transmit(nextHop, frame, len);
  if (result < 0) count(LINK_TX_ERR);
  return result;
}

/**
 * Puts one frame of `len` bytes on the link towards neighbour `nextHop` (BROADCAST for every
 * neighbour). Returns 0 when the frame was sent or, for an ACK_REQ unicast, taken into the
 * pool; a negative SendError from the radio; or LINK_SEND_BUSY when the pool is full.
 */
export function linkSend(nextHop: u32, frame: usize, len: u32): i32 {
  const flags = <u32>load<u8>(frame + OFF_FLAGS);
  if (state === null || (flags & FLAG_ACK_REQ) == 0 || nextHop == BROADCAST) return sendPlain(nextHop, frame, len);
  const s = state!;
  if (len > s.mtu) return SendError.TooLong;
  if (nextHop == 0 || nextHop > BROADCAST || nextHop == s.self) return SendError.BadDestination;
  const now = now_ms();
  const i = s.pool.take(nextHop, frame, len, now + s.ackTimeoutMs);
  if (i < 0) {
    count(LINK_POOL_FULL);
    return LINK_SEND_BUSY;
  }
  const result = transmit(nextHop, s.pool.frame(i), len);
  if (result == SendError.QueueFull) {
    count(LINK_TX_ERR);
    unchecked((s.pool.dueMs[i] = now + RADIO_RETRY_MS));
  } else if (result < 0) {
    count(LINK_TX_ERR);
    s.pool.release(i);
    return result;
  }
  return 0;
}

function sendAck(s: ReliableState, neighbour: u32, h: Header): void {
  const p = changetype<usize>(s.ack);
  putLinkAck(p + HEADER_SIZE, h.src, h.type, h.seq);
  const len = encodeHeader(p, MsgType.LinkAck, 0, 1, s.self, neighbour, s.ackSeq, LINK_ACK_SIZE);
  s.ackSeq = (s.ackSeq + 1) & 0xffff;
  if (transmit(neighbour, p, len) < 0) count(LINK_TX_ERR);
  else count(LINK_ACK_TX);
}

function receiveAck(s: ReliableState, frame: usize, h: Header, sender: u32): void {
  const p = frame + HEADER_SIZE;
  if (h.dst == s.self && h.src == sender) {
    const src = linkAckSrc(p);
    const type = linkAckType(p);
    const seq = linkAckSeq(p);
    const pool = s.pool;
    for (let i = 0; i < pool.capacity; i++) {
      if (!unchecked(pool.used[i]) || <u32>unchecked(pool.hop[i]) != sender) continue;
      const held = pool.frame(i);
      if (getU16(held, OFF_SRC) == src && getU8(held, OFF_TYPE) == type && getU16(held, OFF_SEQ) == seq) {
        pool.release(i);
        count(LINK_ACK_RX);
        if (hopAcked !== null) hopAcked!(sender);
        return;
      }
    }
  }
  count(LINK_ACK_STRAY);
}

/**
 * Every frame the wire layer accepted from neighbour `sender` passes here first (header in
 * `h`). Consumes LINK_ACKs; acknowledges ACK_REQ unicasts. Returns false when the frame must
 * go no further: an ACK, a duplicate, or a frame to forward that no slot could hold (left
 * unacknowledged, so the neighbour keeps it and resends it later).
 */
export function reliableReceive(frame: usize, h: Header, sender: u32): bool {
  if (state === null) return true;
  const s = state!;
  if (h.type == MsgType.LinkAck) {
    receiveAck(s, frame, h, sender);
    return false;
  }
  if ((h.flags & FLAG_ACK_REQ) == 0 || h.dst == BROADCAST) return true;
  if (s.dups.has(h.src, h.type, h.seq)) {
    count(LINK_DUP);
    sendAck(s, sender, h);
    return false;
  }
  if (h.dst != s.self && s.pool.free == 0) {
    count(LINK_RX_BUSY);
    return false;
  }
  s.dups.add(h.src, h.type, h.seq);
  sendAck(s, sender, h);
  return true;
}

/** Resends what is due, gives up what has run out of retries; returns ms until the next due time. */
export function reliableTick(now: u32): u32 {
  if (state === null) return NO_DEADLINE;
  const s = state!;
  const pool = s.pool;
  if (pool.inUse == 0) return NO_DEADLINE; // the common case: nothing awaits an ACK
  let next: u32 = NO_DEADLINE;
  for (let i = 0; i < pool.capacity; i++) {
    if (!unchecked(pool.used[i])) continue;
    let due = unchecked(pool.dueMs[i]);
    if (!before(now, due)) {
      const hop = <u32>unchecked(pool.hop[i]);
      const len = <u32>unchecked(pool.len[i]);
      const tries = <u32>unchecked(pool.tries[i]);
      if (tries >= s.retries) {
        count(LINK_RETX_FAIL);
        pool.release(i);
        if (hopFailed !== null) hopFailed!(hop, pool.frame(i), len);
        continue;
      }
      const result = transmit(hop, pool.frame(i), len);
      if (result < 0) {
        count(LINK_TX_ERR);
        due = now + RADIO_RETRY_MS;
      } else {
        unchecked((pool.tries[i] = <u8>(tries + 1)));
        count(LINK_RETX);
        due = now + s.ackTimeoutMs;
      }
      unchecked((pool.dueMs[i] = due));
    }
    const wait = before(due, now) ? <u32>0 : due - now;
    if (next == NO_DEADLINE || wait < next) next = wait;
  }
  return next;
}
