// The DSDV update rules (docs/routing.md, "Rules") as pure functions: what a node does with
// one advertised entry (destination, sequence number, metric) heard from a neighbour.
//
// - an unknown destination is added (if reachable);
// - an older sequence number is discarded;
// - the same sequence number is accepted only over a strictly shorter path;
// - a newer sequence number replaces the route, except that a newer number offered over a
//   longer path than a still-valid current route by another neighbour is deferred: the
//   current next hop will pass the same number on, and following whichever neighbour relays
//   a sequence increment first would move routes onto longer paths. Deferring only withholds
//   an adoption, so it cannot create a loop (see docs/routing.md, "Loop freedom").
// An odd sequence number means unreachable whatever metric comes with it.

import { METRIC_INFINITE, METRIC_SIGNIFICANT } from "./metric";
import { seqCompare } from "./seq";

export const enum Verdict {
  /** Take the entry: new destination, newer number, or shorter path. */
  Accept = 1,
  /** Unknown destination offered as unreachable: nothing to store. */
  IgnoreUnreachable = 2,
  /** Older sequence number. */
  RejectOlder = 3,
  /** Same sequence number, path not strictly shorter. */
  RejectNotShorter = 4,
  /** Newer number over a longer path than the valid current one, by another neighbour. */
  Defer = 5,
}

/**
 * `have`: a route to the destination exists (`curSeq`, `curMetric`, `fromNextHop`: the
 * advertiser is its next hop). `seq` is the advertised number and `metric` the path cost
 * through the advertiser (advertised metric plus link cost, infinite for odd numbers).
 */
export function judge(have: bool, curSeq: u32, curMetric: u32, fromNextHop: bool, seq: u32, metric: u32): i32 {
  if (!have) return metric >= METRIC_INFINITE ? Verdict.IgnoreUnreachable : Verdict.Accept;
  const c = seqCompare(seq, curSeq);
  if (c < 0) return Verdict.RejectOlder;
  if (c == 0) return metric < curMetric ? Verdict.Accept : Verdict.RejectNotShorter;
  if (fromNextHop || curMetric >= METRIC_INFINITE || metric <= curMetric) return Verdict.Accept;
  return Verdict.Defer;
}

/**
 * Whether an accepted change is significant, i.e. goes into a partial update at once
 * (HERMES: new nodes, link failures, path changes), rather than waiting for the next full
 * update (a mere sequence increment or a small metric drift). Neighbours see only
 * (destination, number, metric), so a new next hop at the same cost is not news to them.
 */
export function significant(had: bool, oldMetric: u32, newMetric: u32): bool {
  if (!had) return true;
  const wasUp = oldMetric < METRIC_INFINITE;
  const isUp = newMetric < METRIC_INFINITE;
  if (wasUp != isUp) return true;
  if (!isUp) return false;
  const delta = oldMetric > newMetric ? oldMetric - newMetric : newMetric - oldMetric;
  return delta >= METRIC_SIGNIFICANT;
}

/**
 * Whether our route (`ourSeq`, `ourVia`: our metric plus the link to the neighbour) would
 * improve the neighbour's advertised entry (`theirSeq`, `theirMetric`) under `judge`, by at
 * least METRIC_SIGNIFICANT (a smaller gain waits for the next full update; the margin also
 * keeps two ends that estimate their link differently from answering each other forever).
 * Then the neighbour missed something (an update lost, a better path that came with a number
 * it already had) and we send our entry again.
 */
export function improves(theirSeq: u32, theirMetric: u32, ourSeq: u32, ourVia: u32): bool {
  if (ourVia >= METRIC_INFINITE) return false;
  const c = seqCompare(ourSeq, theirSeq);
  if (c < 0) return false;
  const theirs = (theirSeq & 1) != 0 ? METRIC_INFINITE : theirMetric;
  if (theirs >= METRIC_INFINITE) return true;
  return ourVia + METRIC_SIGNIFICANT <= theirs;
}

/** The metric an advertised entry gives through a neighbour whose link costs `linkCost`. */
export function metricVia(seq: u32, advertised: u32, linkCost: u32): u32 {
  if ((seq & 1) != 0 || advertised >= METRIC_INFINITE || linkCost >= METRIC_INFINITE) return METRIC_INFINITE;
  const sum = advertised + linkCost;
  return sum >= METRIC_INFINITE ? METRIC_INFINITE : sum;
}
