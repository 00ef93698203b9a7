// Pure decisions of the work package manager: which steps a node runs, what comes after them,
// which target a finished package goes to. No state, no HAL: tested directly.

import { STEP_MAX } from "../wire/orch";

/** Step `step` (1..31) is loaded in `mask` (bit step-1). */
export function stepLoaded(mask: u32, step: u32): bool {
  return step >= 1 && step <= STEP_MAX && ((mask >>> (step - 1)) & 1) != 0;
}

/** How many consecutive steps from `next` up to `last` this node runs (0: auction `next`, or none left). */
export function stepsHere(mask: u32, next: u32, last: u32): u32 {
  let n: u32 = 0;
  while (next != 0 && next + n <= last && stepLoaded(mask, next + n)) n++;
  return n;
}

/** The steps of `mask` that begin a run of consecutive loaded steps (step k loaded, k-1 not). */
export function runStarts(mask: u32): u32 {
  return mask & ~(mask << 1);
}

/** The step a package needs after step `done`; 0 when `done` was its last: it goes to its target. */
export function stepAfter(done: u32, last: u32): u32 {
  return done >= last ? 0 : done + 1;
}

/**
 * The target to try after `failed` earlier ones gave up: the target, then each non-zero backup
 * in order; 0 when none is left.
 */
export function targetAt(failed: u32, target: u32, backup1: u32, backup2: u32): u32 {
  let k = failed;
  if (k == 0) return target;
  k--;
  if (backup1 != 0) {
    if (k == 0) return backup1;
    k--;
  }
  if (backup2 != 0 && k == 0) return backup2;
  return 0;
}

/** A package's id as one number: origin in the high half, counter in the low. */
export function packageKey(origin: u32, counter: u32): u32 {
  return (origin << 16) | (counter & 0xffff);
}

/** The next package counter after `c`: 1..0xFFFF, never 0. */
export function nextCounter(c: u32): u32 {
  const n = (c + 1) & 0xffff;
  return n == 0 ? 1 : n;
}
