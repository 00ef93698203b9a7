// Sending routing updates (docs/routing.md, "Updates"). Every update raises our own sequence
// number by 2 and lists us first in each of its frames. A full update carries the whole table;
// a partial one only the entries changed significantly since they last went out. An update
// larger than one frame is split; if the radio queue fills, the rest follows a moment later.

import { BROADCAST, rand, SendError } from "../hal";
import { countBy, count } from "../core/counters";
import { before } from "../core/bytes";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { encodeHeader } from "../wire/header";
import { putRouteEntry, putRouteUpdateFixed, routeEntriesPerFrame, RU_FULL, ROUTE_ENTRY, ROUTE_UPDATE_FIXED } from "../wire/routeupdate";
import { linkSend } from "../link/reliable";
import { ROUTE_ADV_BYTES, ROUTE_ADV_FULL, ROUTE_ADV_PARTIAL, ROUTE_ADV_TX, ROUTE_CHANGES, ROUTE_TX_ERR } from "./counters";
import { ROUTE_AWAIT, ROUTE_CHANGED } from "./entry";
import { seqNextOwn } from "./seq";
import { RouteMode } from "../core/config";
import { RouteState } from "./state";

/** When the radio queue is full, the rest of an update follows this much later. */
const RESUME_MS: u32 = 5;

/** 16-bit mix of a node id, so the XOR of a set of ids is a usable set digest. */
export function idHash(id: u32): u32 {
  let x = id * 0x9e3779b1;
  x ^= x >>> 15;
  x *= 0x85ebca77;
  x ^= x >>> 13;
  return (x ^ (x >>> 16)) & 0xffff;
}

/**
 * Digest of the set of destinations this node can reach (itself included). Two neighbours in
 * a converged network reach the same set, so equal digests are Trickle's "consistent".
 */
export function routeDigest(rs: RouteState): u32 {
  if (rs.digestDirty) {
    let d = idHash(rs.self);
    const t = rs.table;
    for (let i = 0; i < t.size; i++) {
      const r = t.at(i);
      if (r.valid) d ^= idHash(<u32>r.dest);
    }
    rs.digest = d;
    rs.digestDirty = false;
  }
  return rs.digest;
}

/**
 * A significant change happened (here, or heard): schedule a partial update, no sooner than
 * `update_gap_ms` after the previous one and after a small random delay so neighbours that
 * heard the same news do not all answer at once; and reset Trickle (an inconsistency).
 */
export function significantChange(rs: RouteState, now: u32): void {
  count(ROUTE_CHANGES);
  rs.trickle.reset(now, rand());
  schedulePartial(rs, now);
}

/** Schedules a partial update of the entries marked changed (rate-limited, see above). */
export function schedulePartial(rs: RouteState, now: u32): void {
  if (rs.partialDue) return;
  const gap = rs.cfg.updateGapMs;
  let at = now + rand() % (gap / 4 + 1);
  const earliest = rs.lastPartialMs + gap;
  if (before(at, earliest)) at = earliest;
  rs.partialDue = true;
  rs.partialAt = at;
}

/** Starts an update now; a full one replaces any update still being sent. */
export function startUpdate(rs: RouteState, full: bool, now: u32): void {
  const t = rs.table;
  if (!full) {
    let changed = 0;
    for (let i = 0; i < t.size; i++) if (t.at(i).changed) changed++;
    // A partial update near the size of a full one goes out as a full one.
    if (t.size > 0 && changed * 4 >= t.size * 3) full = true;
  }
  // Mesh: a new number per update with news (RouteState.news, docs/routing.md). Tree: a new
  // number per update, as HERMES does; with one path per destination there is no longer path
  // for an early increment to drag a route onto.
  if (rs.news || rs.cfg.routeMode == RouteMode.Tree) rs.ownSeq = seqNextOwn(rs.ownSeq);
  rs.news = false;
  rs.sending = true;
  rs.sendFull = full;
  rs.sendFlags = (full ? RU_FULL : 0) | (rs.solicitNext ? 2 : 0);
  rs.solicitNext = false;
  rs.cursor = 0;
  count(full ? ROUTE_ADV_FULL : ROUTE_ADV_PARTIAL);
  if (full) rs.partialDue = false; // the full update carries every pending change
  continueUpdate(rs, now);
}

/** Sends frames of the current update until it is done or the radio queue is full. */
export function continueUpdate(rs: RouteState, now: u32): void {
  const t = rs.table;
  const per = routeEntriesPerFrame(rs.cfg.mtu);
  const frame = rs.txPtr;
  const p = frame + HEADER_SIZE;
  let first = rs.cursor == 0;
  while (rs.sending) {
    // Entry 0 is always ourselves; the rest are taken from the table from the cursor on.
    putRouteEntry(p, 0, rs.self, rs.ownSeq, 0);
    let n: u32 = 1;
    let i = rs.cursor;
    while (i < t.size && n < per) {
      const r = t.at(i);
      if (rs.sendFull || r.changed) {
        putRouteEntry(p, n, <u32>r.dest, <u32>r.seq, <u32>r.metric);
        n++;
      }
      i++;
    }
    if (n == 1 && !first) {
      rs.sending = false; // nothing left beyond ourselves, already sent in the first frame
      break;
    }
    putRouteUpdateFixed(p, rs.sendFlags, n, routeDigest(rs));
    const len = encodeHeader(frame, MsgType.RouteUpdate, 0, 1, rs.self, BROADCAST, rs.advSeq, ROUTE_UPDATE_FIXED + ROUTE_ENTRY * n);
    const result = linkSend(BROADCAST, frame, len);
    if (result == SendError.QueueFull) {
      rs.resumeAt = now + RESUME_MS;
      return;
    }
    rs.advSeq = (rs.advSeq + 1) & 0xffff;
    if (result < 0) {
      count(ROUTE_TX_ERR);
    } else {
      count(ROUTE_ADV_TX);
      countBy(ROUTE_ADV_BYTES, len);
    }
    // The entries are out (or lost with the frame: a later full update repeats them). A full
    // update also ends every wait for a requested number (seqreq.ts).
    const clear: u8 = rs.sendFull ? ROUTE_CHANGED | ROUTE_AWAIT : ROUTE_CHANGED;
    for (let j = rs.cursor; j < i; j++) t.at(j).flags &= ~clear;
    rs.cursor = i;
    first = false;
    if (i >= t.size) rs.sending = false;
  }
}
