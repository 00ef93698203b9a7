// Counter slots of the node lifecycle (tree mode), after the delivery block. Defined only in
// tree mode, so a mesh node's counter dump is unchanged.

import { defineCounter } from "../core/counters";
import { DELIVERY_COUNTERS_END } from "../route/deliverycounters";

const BASE: i32 = DELIVERY_COUNTERS_END;

export const LIFE_TRANSITIONS: i32 = BASE + 0;
export const LIFE_IGNORED: i32 = BASE + 1;
export const LIFE_RING_OVERWRITE: i32 = BASE + 2;
export const LIFE_SCAN: i32 = BASE + 3;
export const LIFE_JOIN: i32 = BASE + 4;
export const LIFE_JOIN_FAIL: i32 = BASE + 5;
export const LIFE_TX: i32 = BASE + 6;
export const LIFE_RX_STALE: i32 = BASE + 7;
export const LIFE_CHILD_DROP: i32 = BASE + 8;
export const LIFE_SAFEGUARD: i32 = BASE + 9;

/** At most MAX_COUNTERS (core/counters.ts): 119 of 128 slots are named in tree mode. */
export const LIFE_COUNTERS_END: i32 = BASE + 10;

export function defineLifeCounters(): void {
  // State changes, and events the current state did not expect (stale timers, late frames).
  defineCounter(LIFE_TRANSITIONS, "life.transitions");
  defineCounter(LIFE_IGNORED, "life.ignored");
  // Events lost because the fixed event ring was full (the oldest is overwritten).
  defineCounter(LIFE_RING_OVERWRITE, "life.ring.overwrite");
  // Scans started, joins attempted, joins failed (association, refusal or a timeout).
  defineCounter(LIFE_SCAN, "life.scan");
  defineCounter(LIFE_JOIN, "life.join");
  defineCounter(LIFE_JOIN_FAIL, "life.join.fail");
  // Lifecycle messages sent (JOIN_REQ, JOIN_ACCEPT, TREE_STATUS, ANNOUNCE).
  defineCounter(LIFE_TX, "life.tx");
  // Lifecycle frames that match nothing expected: repeated, reordered, late or from a stranger.
  defineCounter(LIFE_RX_STALE, "life.rx.stale");
  // Children dropped without a CHILD_DOWN: failed unicasts in a row, or announced elsewhere.
  defineCounter(LIFE_CHILD_DROP, "life.child.drop");
  // Routing updates from the parent that showed the root unreachable (odd number).
  defineCounter(LIFE_SAFEGUARD, "life.safeguard");
}
