// Services of the route layer (docs/routing.md, "Services"): unicast to any node by next hop,
// forwarding of frames for other nodes, and network-wide broadcast with duplicate suppression.

import { BROADCAST, rand } from "../hal";
import { before } from "../core/bytes";
import { count } from "../core/counters";
import { FLAG_ACK_REQ, FLAG_FRAG, HEADER_SIZE, MsgType, OFF_HOPS } from "../wire/format";
import { encodeHeader } from "../wire/header";
import { linkSend } from "../link/reliable";
import {
  ROUTE_DROP_HOLDDOWN, ROUTE_DROP_HOPS, ROUTE_DROP_NOROUTE, ROUTE_FLOOD_BUSY, ROUTE_FLOOD_DUP, ROUTE_FLOOD_FWD,
  ROUTE_FLOOD_RX, ROUTE_FLOOD_TX, ROUTE_FWD, ROUTE_TX, ROUTE_TX_ERR,
} from "./counters";
import { FLOOD_SLOTS } from "./flood";
import { METRIC_INFINITE } from "./metric";
import { passSeqReq } from "./seqreq";
import { RouteState } from "./state";

/** routeSend results besides 0 and linkSend's own negative codes (-1 .. -4). */
export const enum RouteSendError {
  NoRoute = -10,
  TooLong = -11,
  /** Destination 0 or this node, or header flags other than ACK_REQ and FRAG. */
  Invalid = -12,
}

/** Next hop towards `dst`: a valid route, else `dst` itself if it is a usable neighbour; 0 = none. */
export function nextHop(rs: RouteState, dst: u32, now: u32): u32 {
  const i = rs.table.find(dst);
  if (i >= 0) {
    const r = rs.table.at(i);
    if (r.valid) return <u32>r.next;
  }
  return rs.nb.cost(dst, now) < METRIC_INFINITE ? dst : 0;
}

/**
 * Sends a frame of `type` with the `len` payload bytes at `payload` to node `dst` (BROADCAST:
 * every node of the network), with src = this node and hops = `hop_limit`. `flags` may hold
 * ACK_REQ and FRAG. Returns 0 when the frame left (or waits in linkSend's retransmission pool),
 * else a RouteSendError or linkSend's error.
 */
export function sendRouted(rs: RouteState, type: u32, dst: u32, payload: usize, len: u32, flags: u32, now: u32): i32 {
  if (dst == 0 || dst == rs.self || (flags & ~(FLAG_ACK_REQ | FLAG_FRAG)) != 0) return RouteSendError.Invalid;
  if (HEADER_SIZE + len > rs.cfg.mtu) return RouteSendError.TooLong;
  let hop = BROADCAST;
  if (dst != BROADCAST) {
    hop = nextHop(rs, dst, now);
    if (hop == 0) {
      count(ROUTE_DROP_NOROUTE);
      return RouteSendError.NoRoute;
    }
  }
  const frame = rs.txPtr;
  memory.copy(frame + HEADER_SIZE, payload, len);
  const seq = rs.dataSeq;
  rs.dataSeq = (seq + 1) & 0xffff;
  const frameLen = encodeHeader(frame, type, flags, rs.cfg.hopLimit, rs.self, dst, seq, len);
  if (dst == BROADCAST) rs.floodSeen.add(rs.self, type, seq);
  const result = linkSend(hop, frame, frameLen);
  if (result < 0) count(ROUTE_TX_ERR);
  else count(dst == BROADCAST ? ROUTE_FLOOD_TX : ROUTE_TX);
  return result;
}

/** A frame of `len` bytes for another node: pass it one hop on, or drop it with a reason. */
export function forward(rs: RouteState, frame: usize, len: u32, now: u32): void {
  const h = rs.rx;
  if (rs.holding) {
    count(ROUTE_DROP_HOLDDOWN);
    return;
  }
  if (h.hops <= 1) {
    count(ROUTE_DROP_HOPS);
    return;
  }
  const hop = nextHop(rs, h.dst, now);
  if (hop == 0) {
    count(ROUTE_DROP_NOROUTE);
    return;
  }
  if (h.type == MsgType.RouteSeqReq) passSeqReq(rs);
  const out = rs.txPtr;
  memory.copy(out, frame, len);
  store<u8>(out + OFF_HOPS, <u8>(h.hops - 1));
  if (linkSend(hop, out, len) < 0) count(ROUTE_TX_ERR);
  else count(ROUTE_FWD);
}

/**
 * A network-wide broadcast (dst BROADCAST, hops > 1): false if it was seen before (drop it);
 * otherwise it is remembered, queued for rebroadcast with hops - 1 after a random delay, and
 * true says deliver it here.
 */
export function floodReceive(rs: RouteState, frame: usize, len: u32, now: u32): bool {
  const h = rs.rx;
  if (h.src == rs.self || rs.floodSeen.has(h.src, h.type, h.seq)) {
    count(ROUTE_FLOOD_DUP);
    return false;
  }
  rs.floodSeen.add(h.src, h.type, h.seq);
  count(ROUTE_FLOOD_RX);
  if (h.hops > 1 && !rs.holding) {
    const q = rs.floodQueue;
    const slot = q.free();
    const jitter = rs.cfg.floodJitterMs;
    if (slot < 0 || jitter == 0) {
      // No slot to wait in (or no jitter wanted): rebroadcast at once.
      if (jitter != 0) count(ROUTE_FLOOD_BUSY);
      const out = rs.txPtr;
      memory.copy(out, frame, len);
      store<u8>(out + OFF_HOPS, <u8>(h.hops - 1));
      if (linkSend(BROADCAST, out, len) < 0) count(ROUTE_TX_ERR);
      else count(ROUTE_FLOOD_FWD);
    } else {
      const out = q.frame(slot);
      memory.copy(out, frame, len);
      store<u8>(out + OFF_HOPS, <u8>(h.hops - 1));
      unchecked((q.lens[slot] = <u16>len));
      unchecked((q.dueMs[slot] = now + rand() % (jitter + 1)));
    }
  }
  return true;
}

/** Rebroadcasts what is due; returns the earliest time still waiting, or `never`. */
export function floodTick(rs: RouteState, now: u32, never: u32): u32 {
  const q = rs.floodQueue;
  let next = never;
  let have = false;
  for (let i = 0; i < FLOOD_SLOTS; i++) {
    const len = <u32>unchecked(q.lens[i]);
    if (len == 0) continue;
    const due = unchecked(q.dueMs[i]);
    if (!before(now, due)) {
      if (linkSend(BROADCAST, q.frame(i), len) < 0) count(ROUTE_TX_ERR);
      else count(ROUTE_FLOOD_FWD);
      unchecked((q.lens[i] = 0));
    } else if (!have || before(due, next)) {
      next = due;
      have = true;
    }
  }
  return next;
}
