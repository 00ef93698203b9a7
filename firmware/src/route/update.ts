// Receiving routing updates and link changes: the DSDV rules of rules.ts applied to the
// table (docs/routing.md).

import { BROADCAST, rand } from "../hal";
import { count } from "../core/counters";
import { ruCount, ruDest, ruDigest, ruFlags, ruMetric, ruSeq, RU_SOLICIT } from "../wire/routeupdate";
import { Change, NeighbourChanges } from "../link/changes";
import { routeDigest, schedulePartial, significantChange } from "./advert";
import {
  ROUTE_ADV_IGNORED, ROUTE_ADV_RX, ROUTE_INVALIDATED, ROUTE_RESYNC, ROUTE_SEQ_SUPERSEDED, ROUTE_TABLE_FULL,
} from "./counters";
import { ROUTE_AWAIT, ROUTE_CHANGED } from "./entry";
import { requestSeq } from "./seqreq";
import { addMetric, METRIC_INFINITE, METRIC_SIGNIFICANT } from "./metric";
import { improves, judge, metricVia, significant, Verdict } from "./rules";
import { seqBroken, seqCompare, seqNewer, seqOdd } from "./seq";
import { RouteState } from "./state";

/**
 * Every route through neighbour `id` becomes unreachable: its number goes to the next odd one
 * and its metric to infinity, and the change is advertised promptly. Returns routes changed.
 */
export function invalidateVia(rs: RouteState, id: u32, now: u32): i32 {
  const t = rs.table;
  let n = 0;
  for (let i = 0; i < t.size; i++) {
    const r = t.at(i);
    if (<u32>r.next != id || !r.valid) continue;
    r.seq = <u16>seqBroken(<u32>r.seq);
    r.metric = <u16>METRIC_INFINITE;
    r.flags |= ROUTE_CHANGED;
    r.updatedMs = now;
    n++;
  }
  if (n > 0) {
    count(ROUTE_INVALIDATED);
    rs.digestDirty = true;
    significantChange(rs, now);
  }
  return n;
}

/** Hands the link layer's neighbour changes to the route core, then empties the ring. */
export function routeLinkChanges(rs: RouteState, changes: NeighbourChanges, now: u32): void {
  for (let i = 0; i < changes.size; i++) {
    const kind = changes.kindAt(i);
    const id = changes.idAt(i);
    if (kind == Change.Down) {
      rs.news = true;
      invalidateVia(rs, id, now);
    }
    // A neighbour we can now reach both ways needs our table: an inconsistency for Trickle.
    else if (kind == Change.Usable) {
      rs.news = true;
      rs.trickle.reset(now, rand());
    }
  }
  if (changes.overflowed) {
    // Some changes were lost: drop every route whose next hop is no longer a neighbour.
    count(ROUTE_RESYNC);
    const t = rs.table;
    for (let i = 0; i < t.size; i++) {
      const r = t.at(i);
      if (r.valid && !rs.nb.has(<u32>r.next)) invalidateVia(rs, <u32>r.next, now);
    }
    rs.trickle.reset(now, rand());
  }
  changes.clear();
}

/**
 * A validated ROUTE_UPDATE (header in `rs.rx`, payload at `p`) from neighbour `sender`.
 * Entries are independent, so duplicated, reordered or split updates need no reassembly: the
 * sequence-number rules discard whatever is stale.
 */
export function receiveUpdate(rs: RouteState, p: usize, sender: u32, now: u32): void {
  const h = rs.rx;
  if (h.src != sender || h.dst != BROADCAST) {
    count(ROUTE_ADV_IGNORED);
    return;
  }
  count(ROUTE_ADV_RX);
  const flags = ruFlags(p);
  const n = ruCount(p);
  const cost = rs.nb.cost(sender, now);
  const usable = cost < METRIC_INFINITE;
  if (!usable) count(ROUTE_ADV_IGNORED);
  const t = rs.table;
  // Loop invariants read once: nothing in the loop changes them, and each read is a load
  // (and a bounds check) per entry on every engine.
  const self = rs.self;
  const holding = rs.holding;
  const newerReplaces = rs.nb.newerReplaces();
  let changed = false;
  let better = false;
  let hint = 0;
  for (let k: u32 = 0; k < n; k++) {
    const dest = ruDest(p, k);
    const seq = ruSeq(p, k);
    if (dest == self) {
      // The network holds a number for us at least as new as ours (we restarted, or a
      // neighbour declared us unreachable): issue a newer one at once.
      if (seqCompare(seq, rs.ownSeq) > 0) {
        count(ROUTE_SEQ_SUPERSEDED);
        rs.ownSeq = seq & 0xfffe;
        rs.news = true;
        changed = true;
      } else if (usable && improves(seq, ruMetric(p, k), rs.ownSeq, cost)) {
        better = true; // it reaches us the long way round: every update lists us first
      }
      continue;
    }
    if (!usable) continue;
    // In hold-down only the advertiser itself may become a route (it cannot lead back to us).
    if (holding && dest != sender) continue;
    const metric = metricVia(seq, ruMetric(p, k), cost);
    let i = t.findFrom(dest, hint);
    const have = i >= 0;
    if (have) hint = i + 1;
    const cur = t.at(have ? i : 0);
    const curSeq = have ? <u32>cur.seq : 0;
    const curMetric = have ? <u32>cur.metric : METRIC_INFINITE;
    const curNext = have ? <u32>cur.next : 0;
    // Tree mode: a newer number that brings a valid route replaces ours whoever brings it (one
    // path per destination, so it means the topology changed); an invalidation from another
    // neighbour than our next hop is deferred as in mesh mode (repair asks the destination).
    const replaces = newerReplaces && metric < METRIC_INFINITE;
    const verdict = judge(have, curSeq, curMetric, curNext == sender || replaces, seq, metric);
    if (verdict != Verdict.Accept) {
      // Our route would serve the neighbour better than its own: it missed an update, or
      // learnt a longer path with a number it already had. Send ours again soon.
      if (have && curNext != sender && improves(seq, ruMetric(p, k), curSeq, addMetric(curMetric, cost))) {
        t.at(i).flags |= ROUTE_CHANGED;
        better = true;
      }
      // The neighbour holds a newer number than our valid route, but has lost the destination
      // or reaches it the long way round: our route would serve it, but it refuses our older
      // number. Only the destination can issue one it will take (seqreq.ts).
      if (have && curMetric < METRIC_INFINITE && seqNewer(seq, curSeq)) {
        if (seqOdd(seq) || addMetric(curMetric, cost) + METRIC_SIGNIFICANT <= ruMetric(p, k)) requestSeq(rs, i, seq, now);
      }
      continue;
    }
    if (!have) {
      i = t.insert(dest);
      if (i < 0) {
        count(ROUTE_TABLE_FULL);
        continue;
      }
    }
    hint = i + 1;
    const r = t.at(i);
    const awaited = (r.flags & ROUTE_AWAIT) != 0 && seqNewer(seq, curSeq);
    if (awaited || significant(have, curMetric, metric)) {
      r.flags = (r.flags | ROUTE_CHANGED) & ~ROUTE_AWAIT;
      changed = true;
    }
    if ((curMetric < METRIC_INFINITE) != (metric < METRIC_INFINITE)) rs.digestDirty = true;
    r.seq = <u16>seq;
    r.metric = <u16>metric;
    r.next = <u16>sender;
    r.updatedMs = now;
  }
  if ((flags & RU_SOLICIT) != 0) rs.trickle.demand(now, rand());
  if (changed) significantChange(rs, now);
  else if (better) schedulePartial(rs, now);
  else if (ruDigest(p) == routeDigest(rs)) rs.trickle.consistent();
}
