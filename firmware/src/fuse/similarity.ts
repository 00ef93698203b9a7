// How alike two sensors' recent series are: Pearson's correlation, which ignores each
// sensor's offset and gain (a cheap sensor reading 2 degrees high and 10% steep still
// measures the room), over the most recent samples both slots hold.
//
// Unknown (NaN): fewer than MIN_OVERLAP common samples, or a series that does not vary (a
// stuck sensor, or one never read): nothing says what it measures. Unknown is never an
// edge, so such a sensor stays alone, except that the reference is always in its own cluster.
//
// Edges for the graph algorithms are correlations at or above the threshold and above zero:
// both label propagation and modularity need positive weights, and an anti-correlated
// sensor does not measure "the same" phenomenon in a way fusion could use unchanged.

import { SeriesWindow } from "./series";

/** Fewest common samples that give a correlation; below it the pair is unknown. */
export const MIN_OVERLAP: i32 = 4;

/** Common samples of two slots: the most recent min(count a, count b). */
export function overlap(series: SeriesWindow, a: i32, b: i32): i32 {
  return min(series.count(a), series.count(b));
}

/** Pearson's r of slots a and b over their common recent samples; NaN when unknown. */
export function pearson(series: SeriesWindow, a: i32, b: i32): f64 {
  const n = overlap(series, a, b);
  return n < MIN_OVERLAP ? NaN : pearsonOver(series, a, b, n);
}

/**
 * r over the n newest samples (n <= both counts). Values are taken relative to each slot's
 * newest sample, so a constant series gives exactly zero variance however large its level,
 * and a small variation on a large level (a barometer's noise) keeps its precision.
 */
export function pearsonOver(series: SeriesWindow, a: i32, b: i32, n: i32): f64 {
  const a0 = series.at(a, 0), b0 = series.at(b, 0);
  let sa = 0.0, sb = 0.0;
  for (let k = 0; k < n; k++) {
    sa += series.at(a, k) - a0;
    sb += series.at(b, k) - b0;
  }
  const ma = sa / <f64>n, mb = sb / <f64>n;
  let saa = 0.0, sbb = 0.0, sab = 0.0;
  for (let k = 0; k < n; k++) {
    const da = series.at(a, k) - a0 - ma;
    const db = series.at(b, k) - b0 - mb;
    saa += da * da;
    sbb += db * db;
    sab += da * db;
  }
  if (saa <= 0 || sbb <= 0) return NaN;
  const r = sab / Math.sqrt(saa * sbb);
  // Rounding can step just outside [-1, 1]; thresholds at the ends must still mean something.
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/**
 * Fills the n x n matrix `out` (row-major, n <= series.sensors, out.length >= n * n) with r
 * for every pair of slots in `mask`, symmetric; rows and columns of other slots, and unknown
 * pairs, are NaN; the diagonal is 1 for a slot whose own series is known. Returns the work:
 * one unit per sample pair compared. Does nothing (returns 0) when `out` is too small.
 */
export function fillSimilarity(series: SeriesWindow, mask: u32, n: i32, out: StaticArray<f64>): u32 {
  if (n > series.sensors || out.length < n * n) return 0;
  let work: u32 = 0;
  for (let i = 0; i < n; i++) {
    const rowActive = inMask(mask, i);
    unchecked((out[i * n + i] = rowActive ? selfSimilarity(series, i) : NaN));
    for (let j = i + 1; j < n; j++) {
      let r = NaN;
      if (rowActive && inMask(mask, j)) {
        const m = overlap(series, i, j);
        if (m >= MIN_OVERLAP) {
          r = pearsonOver(series, i, j, m);
          work += <u32>m;
        }
      }
      unchecked((out[i * n + j] = r));
      unchecked((out[j * n + i] = r));
    }
  }
  return work;
}

/** 1 when the slot's series is known (enough samples, and varying), else NaN. */
function selfSimilarity(series: SeriesWindow, slot: i32): f64 {
  const n = series.count(slot);
  if (n < MIN_OVERLAP) return NaN;
  const first = series.at(slot, 0);
  for (let k = 1; k < n; k++) if (series.at(slot, k) != first) return 1.0;
  return NaN;
}

/** Weight of the edge a correlation gives under `threshold`: r itself, or 0 for no edge. */
// @ts-ignore: decorator
@inline export function edgeWeight(r: f64, threshold: f64): f64 {
  // NaN fails both comparisons: unknown is no edge.
  return r >= threshold && r > 0 ? r : 0;
}

// @ts-ignore: decorator
@inline export function inMask(mask: u32, slot: i32): bool {
  return ((mask >>> <u32>slot) & 1) != 0;
}
