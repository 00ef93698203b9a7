// Label propagation (Raghavan, Albert, Kumara 2007) on the sensor graph: every active slot
// starts with its own label; in each round the slots, in a fresh random order, take in turn
// the label carrying the largest total edge weight among their neighbours (ties at random,
// but a slot keeps its own label when it is among the best). Updates are asynchronous (a
// slot sees the labels its neighbours took earlier in the same round), which is what stops
// the two-colour oscillation synchronous updates fall into on bipartite parts.
//
// The paper stops when every node's label is one its neighbours carry most weight of. With
// "keep your own label when it is among the best", a round without a single change is
// exactly that condition, so the loop stops on the first quiet round, or after
// LP_MAX_ROUNDS. Randomness comes from a seed, so the same inputs give the same clusters.

import { edgeWeight, inMask } from "./similarity";

/** Rounds at most; small groups settle in two or three. */
export const LP_MAX_ROUNDS: i32 = 16;

/** Weights closer than this (relative) are a tie: sums in another order differ by rounding. */
const TIE: f64 = 1e-9;

/** Marsaglia's xorshift32: enough spread for shuffles and tie-breaks, one u32 of state. */
export function xorshift32(x: u32): u32 {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x;
}

/** Xorshift has a fixed point at 0, so seed 0 is replaced by a constant. */
export function seedState(seed: u32): u32 {
  return seed == 0 ? 0x9e3779b9 : seed;
}

/**
 * Labels the slots of `mask` (below n) in `labels` (a label is a slot number; -1 for slots
 * outside the mask) from the n x n similarity matrix `sim`. Scratch, each of length >= n:
 * `order` (visit order), `acc` (weight per label), `ties` (best labels). Returns the work:
 * one unit per slot scanned for each visit, plus one per label change.
 */
export function labelPropagation(
  sim: StaticArray<f64>, n: i32, mask: u32, threshold: f64, seed: u32,
  labels: StaticArray<i32>, order: StaticArray<i32>, acc: StaticArray<f64>, ties: StaticArray<i32>,
): u32 {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const active = inMask(mask, i);
    unchecked((labels[i] = active ? i : -1));
    unchecked((acc[i] = 0));
    if (active) unchecked((order[k++] = i));
  }
  let state = seedState(seed);
  let work: u32 = 0;
  for (let round = 0; round < LP_MAX_ROUNDS; round++) {
    state = shuffle(order, k, state);
    let changed = 0;
    for (let v = 0; v < k; v++) {
      const i = unchecked(order[v]);
      const t = bestLabels(sim, n, mask, threshold, labels, i, acc, ties);
      work += <u32>n;
      if (t == 0 || holds(ties, t, unchecked(labels[i]))) continue;
      state = xorshift32(state);
      unchecked((labels[i] = ties[<i32>(state % <u32>t)]));
      changed++;
      work++;
    }
    if (changed == 0) break;
  }
  return work;
}

/**
 * The labels of slot i's neighbours with the largest total edge weight, into ties[0..t),
 * in slot order; returns t (0: no neighbours). Leaves `acc` all zero again.
 */
export function bestLabels(
  sim: StaticArray<f64>, n: i32, mask: u32, threshold: f64,
  labels: StaticArray<i32>, i: i32, acc: StaticArray<f64>, ties: StaticArray<i32>,
): i32 {
  let best = 0.0;
  for (let j = 0; j < n; j++) {
    if (j == i || !inMask(mask, j)) continue;
    const w = edgeWeight(unchecked(sim[i * n + j]), threshold);
    if (w <= 0) continue;
    const l = unchecked(labels[j]);
    const total = unchecked(acc[l]) + w;
    unchecked((acc[l] = total));
    if (total > best) best = total;
  }
  if (best <= 0) return 0;
  const floor = best * (1 - TIE);
  let t = 0;
  // Clearing each total as it is read lists a best label once, at the first slot carrying it, and
  // leaves acc zero for the next slot without a separate pass.
  for (let j = 0; j < n; j++) {
    if (j == i || !inMask(mask, j)) continue;
    const l = unchecked(labels[j]);
    if (unchecked(acc[l]) >= floor) unchecked((ties[t++] = l));
    unchecked((acc[l] = 0));
  }
  return t;
}

/** Fisher-Yates on order[0..k); returns the advanced random state. */
function shuffle(order: StaticArray<i32>, k: i32, state: u32): u32 {
  for (let i = k - 1; i > 0; i--) {
    state = xorshift32(state);
    const j = <i32>(state % <u32>(i + 1));
    const tmp = unchecked(order[i]);
    unchecked((order[i] = order[j]));
    unchecked((order[j] = tmp));
  }
  return state;
}

function holds(list: StaticArray<i32>, t: i32, v: i32): bool {
  for (let q = 0; q < t; q++) if (unchecked(list[q]) == v) return true;
  return false;
}
