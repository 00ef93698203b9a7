// Counter slots of the node lifecycle (tree mode), after the delivery block. Defined only in
// tree mode, so a mesh node's counter dump is unchanged.

import { defineCounterBlock } from "../core/counters";
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

/** Slots end below MAX_COUNTERS (core/counters.ts). */
export const LIFE_COUNTERS_END: i32 = BASE + 10;

export function defineLifeCounters(): void {
  // In slot order from LIFE_TRANSITIONS:
  // - life.transitions/ignored: state changes, and events the current state did not expect
  //   (stale timers, late frames).
  // - life.ring.overwrite: events lost because the fixed event ring was full (the oldest is
  //   overwritten).
  // - life.scan/join/join.fail: scans started, joins attempted, joins failed (association,
  //   refusal or a timeout).
  // - life.tx: lifecycle messages sent (JOIN_REQ, JOIN_ACCEPT, TREE_STATUS, ANNOUNCE).
  // - life.rx.stale: lifecycle frames that match nothing expected: repeated, reordered, late
  //   or from a stranger.
  // - life.child.drop: children dropped without a CHILD_DOWN: failed unicasts in a row, or
  //   announced elsewhere.
  // - life.safeguard: routing updates from the parent that showed the root unreachable (odd
  //   number).
  defineCounterBlock(LIFE_TRANSITIONS, "life.transitions life.ignored life.ring.overwrite life.scan life.join life.join.fail life.tx life.rx.stale life.child.drop life.safeguard");
}
