// Test entry (not a node program): the pure rules of the route layer, callable one by one.

import "../src/hal";
import { seqBroken, seqCompare, seqNextOwn, seqSupersede } from "../src/route/seq";
import { addMetric, etxMetric } from "../src/route/metric";
import { improves, judge, metricVia, significant } from "../src/route/rules";
import { Trickle, trickleImax, trickleNext, tricklePoint, trickleTransmits } from "../src/route/trickle";

export function seq_compare(a: u32, b: u32): i32 { return seqCompare(a, b); }
export function seq_next_own(s: u32): u32 { return seqNextOwn(s); }
export function seq_broken(s: u32): u32 { return seqBroken(s); }
export function seq_supersede(own: u32, heard: u32): u32 { return seqSupersede(own, heard); }
export function etx_metric(inQ: u32, outQ: u32): u32 { return etxMetric(inQ, outQ); }
export function add_metric(a: u32, b: u32): u32 { return addMetric(a, b); }
export function metric_via(seq: u32, advertised: u32, cost: u32): u32 { return metricVia(seq, advertised, cost); }
export function judge_entry(have: bool, curSeq: u32, curMetric: u32, fromNextHop: bool, seq: u32, metric: u32): i32 {
  return judge(have, curSeq, curMetric, fromNextHop, seq, metric);
}
export function is_significant(had: bool, oldMetric: u32, newMetric: u32): bool { return significant(had, oldMetric, newMetric); }
export function would_improve(theirSeq: u32, theirMetric: u32, ourSeq: u32, ourVia: u32): bool { return improves(theirSeq, theirMetric, ourSeq, ourVia); }
export function trickle_imax(imin: u32, doublings: u32): u32 { return trickleImax(imin, doublings); }
export function trickle_next(interval: u32, imax: u32): u32 { return trickleNext(interval, imax); }
export function trickle_point(interval: u32, random: u32): u32 { return tricklePoint(interval, random); }
export function trickle_transmits(heard: u32, k: u32): bool { return trickleTransmits(heard, k); }

// One Trickle timer driven step by step.
let timer = new Trickle(100, 3, 1);
export function trickle_new(imin: u32, doublings: u32, k: u32, now: u32, random: u32): void {
  timer = new Trickle(imin, doublings, k);
  timer.begin(now, random);
}
export function trickle_due(now: u32, random: u32): bool { return timer.due(now, random); }
export function trickle_reset(now: u32, random: u32): void { timer.reset(now, random); }
export function trickle_consistent(): void { timer.consistent(); }
export function trickle_interval(): u32 { return timer.interval; }
export function trickle_deadline(): u32 { return timer.deadline(); }
