// Newman's fast greedy modularity (Newman 2004, "Fast algorithm for detecting community
// structure in networks") on the weighted sensor graph. Every active slot starts as its own
// community; e_ij is the fraction of all edge weight joining communities i and j (each
// direction counted once, so the matrix is symmetric and sums to 1) and a_i = sum_j e_ij.
// Merging i and j changes the modularity Q = sum_i (e_ii - a_i^2) by dQ = 2 (e_ij - a_i a_j);
// the pair with the largest dQ among pairs joined by an edge is merged, until no merge gains.
//
// Against label propagation: no randomness, and a weak spurious edge between two groups does
// not pull them together, since joining two heavy communities costs 2 a_i a_j. With n <= 32
// the plain O(n^2) search per merge (O(n^3) in all) needs no heaps.

import { edgeWeight, inMask } from "./similarity";

/** A gain this small is rounding, not structure: a clique must not split or join on it. */
const GAIN_EPSILON: f64 = 1e-12;

/**
 * Labels the slots of `mask` (below n) in `labels` by community (a label is the community's
 * smallest slot; -1 outside the mask) from the n x n similarity matrix `sim`. Scratch: `e`
 * (n x n; may be `sim` itself, which is then overwritten: each cell is read before it is
 * written, and a node short of memory needs only one matrix) and `a` (n). Returns the work:
 * one unit per matrix cell set or pair scanned.
 */
export function greedyModularity(
  sim: StaticArray<f64>, n: i32, mask: u32, threshold: f64,
  e: StaticArray<f64>, a: StaticArray<f64>, labels: StaticArray<i32>,
): u32 {
  const total = edgeFractions(sim, n, mask, threshold, e, a);
  let work = <u32>(n * n);
  for (let i = 0; i < n; i++) unchecked((labels[i] = inMask(mask, i) ? i : -1));
  if (total <= 0) return work;
  let alive = mask;
  // Each merge removes a community, so at most n - 1 rounds.
  for (let round = 1; round < n; round++) {
    let best = GAIN_EPSILON, bi = -1, bj = -1;
    for (let i = 0; i < n; i++) {
      if (!inMask(alive, i)) continue;
      const ai = unchecked(a[i]);
      for (let j = i + 1; j < n; j++) {
        if (!inMask(alive, j)) continue;
        const eij = unchecked(e[i * n + j]);
        if (eij <= 0) continue;
        const gain = 2 * (eij - ai * unchecked(a[j]));
        if (gain > best) {
          best = gain;
          bi = i;
          bj = j;
        }
      }
    }
    work += <u32>(n * n) >> 1;
    if (bi < 0) break;
    merge(n, alive, e, a, labels, bi, bj);
    alive &= ~(<u32>1 << bj);
    work += <u32>n;
  }
  return work;
}

/**
 * e and a of the singleton partition: e_ij = w_ij / W with W the sum of w over ordered
 * pairs (each edge twice), so sum_ij e_ij = 1. Returns W (0: no edge at all).
 */
function edgeFractions(
  sim: StaticArray<f64>, n: i32, mask: u32, threshold: f64, e: StaticArray<f64>, a: StaticArray<f64>,
): f64 {
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = i != j && inMask(mask, i) && inMask(mask, j) ? edgeWeight(unchecked(sim[i * n + j]), threshold) : 0;
      unchecked((e[i * n + j] = w));
      total += w;
    }
  }
  for (let i = 0; i < n; i++) {
    let ai = 0.0;
    for (let j = 0; j < n; j++) {
      const f = total > 0 ? unchecked(e[i * n + j]) / total : 0;
      unchecked((e[i * n + j] = f));
      ai += f;
    }
    unchecked((a[i] = ai));
  }
  return total;
}

/** Folds community j into i (i < j, so labels stay the smallest slot of the community). */
function merge(
  n: i32, alive: u32, e: StaticArray<f64>, a: StaticArray<f64>, labels: StaticArray<i32>, i: i32, j: i32,
): void {
  for (let k = 0; k < n; k++) {
    if (!inMask(alive, k) || k == i || k == j) continue;
    const f = unchecked(e[i * n + k]) + unchecked(e[j * n + k]);
    unchecked((e[i * n + k] = f));
    unchecked((e[k * n + i] = f));
  }
  // e_ii is never read (only pairs are merged), so the internal weight is not kept.
  unchecked((a[i] += a[j]));
  for (let k = 0; k < n; k++) if (unchecked(labels[k]) == j) unchecked((labels[k] = i));
}
