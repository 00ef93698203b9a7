// Sequence-number requests (docs/routing.md, "Repair"). When a neighbour advertises a
// destination as unreachable with a number newer than our valid route's, it cannot use our
// route (older numbers are refused, which is what keeps routes loop-free): only a newer number
// from the destination itself can repair it. So we send ROUTE_SEQ_REQ to the destination
// along our route. Every node it passes marks its entry ROUTE_AWAIT; the destination issues a
// number past the requested one and advertises; each marked node passes the new number on at
// once instead of at its next full update, so the repair travels back the way the request
// came. A mark lasts until a newer number arrives or the node's next full update (which
// carries everything anyway), so a lost request or answer never leaves a stale mark behind.

import { count } from "../core/counters";
import { getU16, putU16 } from "../core/bytes";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { ROUTE_SEQ_REQ_SIZE } from "../wire/routeupdate";
import { significantChange } from "./advert";
import { ROUTE_SEQREQ_TX, ROUTE_SEQ_SUPERSEDED } from "./counters";
import { ROUTE_AWAIT } from "./entry";
import { sendRouted } from "./forward";
import { seqCompare } from "./seq";
import { RouteState } from "./state";

/**
 * Asks `dest` for a number newer than `seq`, unless a request through us is pending. A request
 * the radio refused (queue full) leaves no mark, so the next trigger tries again.
 */
export function requestSeq(rs: RouteState, i: i32, seq: u32, now: u32): void {
  const r = rs.table.at(i);
  if ((r.flags & ROUTE_AWAIT) != 0) return;
  putU16(rs.scratchPtr, 0, seq);
  if (sendRouted(rs, MsgType.RouteSeqReq, <u32>r.dest, rs.scratchPtr, ROUTE_SEQ_REQ_SIZE, 0, now) < 0) return;
  r.flags |= ROUTE_AWAIT;
  count(ROUTE_SEQREQ_TX);
}

/** A request for another node passing through: mark the entry so the answer is passed on at once. */
export function passSeqReq(rs: RouteState): void {
  const i = rs.table.find(rs.rx.dst);
  if (i >= 0) rs.table.at(i).flags |= ROUTE_AWAIT;
}

/**
 * A request for us: issue a number past the requested one (and past ours, so the nodes that
 * relayed the request, which hold ours, take it) and advertise it.
 */
export function receiveSeqReq(rs: RouteState, frame: usize, now: u32): void {
  const seq = getU16(frame + HEADER_SIZE, 0);
  if (seqCompare(seq, rs.ownSeq) > 0) {
    count(ROUTE_SEQ_SUPERSEDED);
    rs.ownSeq = seq & 0xfffe;
  }
  rs.news = true;
  significantChange(rs, now);
}
