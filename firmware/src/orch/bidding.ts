// Bidding in the Contract-Net auction, as a strategy (`orch_bidding`): whether this node offers
// to take a requested step, and whether a requester takes an offer it hears. Pure functions.
// First-accept (the DATOR default): the first ACCEPT wins; later ones are cancelled.
// Weighted: the requester collects ACCEPTs for a short window after the first one and takes the
// best `score` (docs/orchestration.md, "Bidding"); the others are cancelled.

import { Bidding } from "./config";
import { stepLoaded } from "./decide";

/**
 * An accepter's side: offer for `step` when it is loaded and the node's load (packages queued
 * or running here, plus seats reserved by earlier accepts) is under `limit`, and a free package
 * slot remains beyond the reserved ones. Both strategies offer alike; they differ in the choice.
 */
export function shouldAccept(strategy: u32, mask: u32, step: u32, load: u32, reserved: u32, limit: u32, freeSlots: u32): bool {
  if (!stepLoaded(mask, step)) return false;
  switch (strategy) {
    case Bidding.FirstAccept:
    case Bidding.Weighted: return load + reserved < limit && freeSlots > reserved;
  }
  return false;
}

/**
 * The step-assumption heuristic (`orch_assume`): a node that could load `step` (`canMask`) but
 * has not takes it on when it hears a REQUEST for it in round `round` >= `rounds`, i.e. after
 * that many rounds went unanswered. Several capable nodes may take it on alike; that only adds
 * redundancy.
 */
export function shouldAssume(enabled: u32, canMask: u32, step: u32, round: u32, rounds: u32): bool {
  return enabled == 1 && stepLoaded(canMask, step) && round >= rounds;
}

/** The `load:u8` an ACCEPT reports (for strategies that compare offers). */
export function loadByte(load: u32, reserved: u32): u32 {
  const n = load + reserved;
  return n > 255 ? 255 : n;
}

/**
 * A requester's side under first-accept: take the offer now (dispatch to its sender)?
 * `waiting` = the package is still being auctioned (not yet given to anyone). Weighted never
 * takes an offer on arrival: it collects them (`collectWindow`) and compares their `score`.
 */
export function takeOffer(strategy: u32, waiting: bool, offerLoad: u32): bool {
  switch (strategy) {
    case Bidding.FirstAccept: return waiting;
  }
  return false;
}

/** Capability assumed for an accepter that reports 0 (unknown): the middle of 1..255. */
export const CAPABILITY_UNKNOWN_AS: u32 = 128;
/** Battery byte meaning "unknown" (mains powered, or not measured): no penalty. */
export const BATTERY_UNKNOWN: u32 = 255;
/** Hops assumed for an accepter the requester has no route to. */
export const HOPS_UNKNOWN: u32 = 16;

/**
 * The weighted score of an offer; higher is better:
 * 4·capability − 64·queue − 16·hops − 2·(254 − battery), where capability 0 (unknown) counts as
 * 128 and battery 255 (unknown) costs nothing. One queued package weighs as much as 16 points
 * of capability, one hop as 4, an empty battery as 127.
 */
export function score(capability: u32, queue: u32, hops: u32, battery: u32): i32 {
  const c = capability == 0 ? CAPABILITY_UNKNOWN_AS : (capability > 255 ? 255 : capability);
  const q = queue > 255 ? 255 : queue;
  const h = hops > 255 ? 255 : hops;
  let s = <i32>(4 * c) - <i32>(64 * q) - <i32>(16 * h);
  if (battery < BATTERY_UNKNOWN) s -= <i32>(2 * (254 - battery));
  return s;
}

/** Whether offer A (score, node id) beats offer B: the higher score, ties to the lower node id. */
export function better(scoreA: i32, idA: u32, scoreB: i32, idB: u32): bool {
  return scoreA > scoreB || (scoreA == scoreB && idA < idB);
}

/** Hops from a path metric (16 per lossless hop, route/metric.ts): rounded, at least 1; unknown (≥ 0xFFFF) = HOPS_UNKNOWN. */
export function hopsOf(metric: u32): u32 {
  if (metric >= 0xffff) return HOPS_UNKNOWN;
  const h = (metric + 8) / 16;
  return h < 1 ? 1 : (h > 255 ? 255 : h);
}

/** How long a weighted requester collects offers after the first: half a REQUEST interval. */
export function collectWindow(requestIntervalMs: u32): u32 {
  return requestIntervalMs / 2;
}
