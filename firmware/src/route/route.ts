// Entry points of the route layer: the node program forwards ABI calls here.

import { BROADCAST, rand } from "../hal";
import { before } from "../core/bytes";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { continueUpdate, significantChange, startUpdate } from "./advert";
import { deliver } from "./dispatch";
import { floodReceive, floodTick, forward } from "./forward";
import { RouteState } from "./state";
import { receiveUpdate } from "./update";

/** Boot: hold-down starts, and Trickle with it (our first update announces us). */
export function routeStart(rs: RouteState, now: u32): void {
  rs.holding = true;
  rs.holddownUntil = now + rs.holddownMs;
  rs.solicitNext = true;
  rs.trickle.begin(now, rand());
}

/**
 * Hold-down again from `now` (tree mode: a node that just joined its first parent since boot,
 * so that every pointer into its previous incarnation is gone before it learns multi-hop
 * routes; docs/routing.md, "Tree mode").
 */
export function routeHoldDown(rs: RouteState, now: u32): void {
  rs.holding = true;
  rs.holddownUntil = now + rs.holddownMs;
}

/**
 * A frame the wire layer accepted that is not one-hop link traffic: routing updates, frames
 * for this node, frames to forward and network-wide broadcasts.
 */
export function routeFrame(rs: RouteState, frame: usize, len: u32, sender: u32, now: u32): void {
  const h = rs.rx;
  if (h.type == MsgType.RouteUpdate) {
    receiveUpdate(rs, frame + HEADER_SIZE, sender, now);
    return;
  }
  if (h.dst == BROADCAST) {
    if (h.hops > 1 && !floodReceive(rs, frame, len, now)) return;
    deliver(rs, frame, len, sender, now);
    return;
  }
  if (h.dst == rs.self) deliver(rs, frame, len, sender, now);
  else forward(rs, frame, len, now);
}

/** Does whatever is due at `now`; returns ms until the next due action. */
export function routeTick(rs: RouteState, now: u32): u32 {
  if (rs.holding && !before(now, rs.holddownUntil)) {
    // Hold-down over: announce ourselves again and ask the neighbours for their tables.
    rs.holding = false;
    rs.solicitNext = true;
    rs.news = true;
    significantChange(rs, now);
  }
  if (rs.sending && !before(now, rs.resumeAt)) continueUpdate(rs, now);
  if (rs.partialDue && !rs.sending && !before(now, rs.partialAt)) {
    rs.partialDue = false;
    rs.lastPartialMs = now;
    startUpdate(rs, false, now);
  }
  if (rs.trickle.due(now, rand())) startUpdate(rs, true, now);

  let deadline = rs.trickle.deadline();
  if (rs.holding && before(rs.holddownUntil, deadline)) deadline = rs.holddownUntil;
  if (rs.sending && before(rs.resumeAt, deadline)) deadline = rs.resumeAt;
  if (rs.partialDue) {
    const at = rs.sending && before(rs.partialAt, rs.resumeAt) ? rs.resumeAt : rs.partialAt;
    if (before(at, deadline)) deadline = at;
  }
  const flood = floodTick(rs, now, deadline);
  if (before(flood, deadline)) deadline = flood;
  return before(deadline, now) ? 0 : deadline - now;
}

