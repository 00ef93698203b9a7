// Routed ping: a PING to a node beyond the neighbourhood travels by next hop, and the PONG
// comes back the same way, so the round trip can be measured by hop count.

import { emit, EmitKind, SubmitError } from "../hal";
import { getU16, putU16, putU32, putU8 } from "../core/bytes";
import { count } from "../core/counters";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { PING_FIXED, pingSentMs, pingSeq, putPing } from "../wire/ping";
import { LINK_PING_RX, LINK_PING_TX, LINK_PONG_RX, LINK_PONG_TX } from "../link/counters";
import { nextHop, sendRouted } from "./forward";
import { RouteState } from "./state";

/** `submit(PING)` to a node that is not a neighbour: `data` holds `dst:u16`. */
export function routeSubmitPing(rs: RouteState, data: usize, len: u32, now: u32): i32 {
  if (len != 2) return SubmitError.BadLength;
  const dst = getU16(data, 0);
  if (dst == 0 || dst == rs.self || nextHop(rs, dst, now) == 0) return SubmitError.NotNeighbour;
  putPing(rs.scratchPtr, rs.pingSeq, now);
  rs.pingSeq = (rs.pingSeq + 1) & 0xffff;
  if (sendRouted(rs, MsgType.Ping, dst, rs.scratchPtr, PING_FIXED, 0, now) < 0) return SubmitError.Refused;
  count(LINK_PING_TX);
  return 0;
}

/** A routed PING for us: echo its payload back to its originator by route. */
export function receiveRoutedPing(rs: RouteState, frame: usize, now: u32): void {
  count(LINK_PING_RX);
  if (sendRouted(rs, MsgType.Pong, rs.rx.src, frame + HEADER_SIZE, rs.rx.len, 0, now) >= 0) count(LINK_PONG_TX);
}

/**
 * A routed PONG for us: emit ROUTED_RTT. Every node sends with the network's `hop_limit`,
 * so the hops the PONG travelled are hop_limit - hops left + 1.
 */
export function receiveRoutedPong(rs: RouteState, frame: usize, now: u32): void {
  count(LINK_PONG_RX);
  const p = frame + HEADER_SIZE;
  const limit = rs.cfg.hopLimit;
  const hops = rs.rx.hops <= limit ? limit - rs.rx.hops + 1 : 0;
  const rec = rs.scratchPtr;
  putU16(rec, 0, rs.rx.src);
  putU16(rec, 2, pingSeq(p));
  putU32(rec, 4, now - pingSentMs(p));
  putU8(rec, 8, hops);
  emit(EmitKind.RoutedRtt, rec, 9);
}
