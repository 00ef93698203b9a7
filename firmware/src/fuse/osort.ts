// OSort-style online binning (Rutishauser, Schuman, Mamelak 2006, as modified for hardware
// by Valencia & Alimohammad 2019): each series is seen once, in slot order, and either joins
// the nearest existing bin or opens a new one; a bin is represented only by its mean series,
// updated as members join, and two bins whose means come within the threshold are merged.
// No similarity matrix: the work is O(n k W) for k bins, not O(n^2 W).
//
// Series are compared z-normalised over a common length W (the newest W samples), so offset
// and gain drop out, as in the correlation the graph algorithms use. For z-normalised x, y of
// length W, |x - y|^2 = 2W (1 - r), so the correlation threshold becomes the squared distance
// 2W (1 - threshold). A threshold below 0 counts as 0 (the graph algorithms never link
// anti-correlated sensors either).
//
// The mean is z-normalised too before the distance is taken. The mean of noisy members
// shrinks towards zero, and a shrunken mean sits near everything (|z - m|^2 -> W, the
// distance of r = 0.5, for any z): low thresholds would then sweep unrelated sensors into
// whichever bin grew first. Rescaled, the distance measures how z correlates with the bin's
// consensus, which is higher than with each noisy member, and that is how binning tolerates
// noise. Only the direction of the mean matters, so a bin keeps just the sum of its members.
//
// W is the fewest samples any active slot with MIN_OVERLAP or more holds (up to the scratch
// length): OSort needs one length for all means. A slot that is unknown (fewer than
// MIN_OVERLAP samples, or not varying over the last W) stays alone, like a slot without
// edges in the graph.

import { SeriesWindow } from "./series";
import { inMask, MIN_OVERLAP } from "./similarity";

/**
 * Labels the slots of `mask` (below n) in `labels` by bin (a label is the bin's smallest
 * slot; -1 outside the mask). Scratch: `z` (>= stride), `sums` (n x stride: each bin's sum
 * of member series) and `reps` (n: each bin's label); stride is the longest W considered.
 * Returns the work: one unit per sample normalised or compared (merge passes counted as a
 * comparison with every bin).
 */
export function osortBins(
  series: SeriesWindow, n: i32, mask: u32, threshold: f64, stride: i32,
  labels: StaticArray<i32>, z: StaticArray<f64>, sums: StaticArray<f64>, reps: StaticArray<i32>,
): u32 {
  for (let i = 0; i < n; i++) unchecked((labels[i] = inMask(mask, i) ? i : -1));
  const w = commonLength(series, n, mask, stride);
  if (w < MIN_OVERLAP) return <u32>n;
  const limit = 2 * <f64>w * (1 - max(threshold, 0.0));
  let bins = 0;
  let work: u32 = <u32>n;
  for (let i = 0; i < n; i++) {
    if (!inMask(mask, i) || series.count(i) < w) continue;
    work += <u32>w;
    if (!zNormalise(series, i, w, z)) continue;
    let nearest = -1, nearestD = Infinity;
    for (let b = 0; b < bins; b++) {
      const d = distanceToMean(z, sums, b * stride, w);
      if (d < nearestD) {
        nearestD = d;
        nearest = b;
      }
    }
    work += <u32>(bins * w);
    if (nearest >= 0 && nearestD <= limit) {
      addTo(sums, nearest * stride, z, 0, w);
      unchecked((labels[i] = reps[nearest]));
      const merged = mergeAround(nearest, bins, sums, reps, labels, n, stride, w, limit);
      work += <u32>((merged + 1) * bins * w);
      bins -= merged;
    } else {
      copyTo(sums, bins * stride, z, 0, w);
      unchecked((reps[bins] = i));
      bins++;
    }
  }
  return work;
}

/** The fewest samples held by an active slot that holds MIN_OVERLAP or more, capped at cap. */
export function commonLength(series: SeriesWindow, n: i32, mask: u32, cap: i32): i32 {
  let w = cap;
  let any = false;
  for (let i = 0; i < n; i++) {
    if (!inMask(mask, i)) continue;
    const c = series.count(i);
    if (c < MIN_OVERLAP) continue;
    any = true;
    if (c < w) w = c;
  }
  return any ? w : 0;
}

/** z-scores of the slot's newest w samples into z; false when they do not vary. */
export function zNormalise(series: SeriesWindow, slot: i32, w: i32, z: StaticArray<f64>): bool {
  // Relative to the newest sample, as in pearsonOver: a constant series is exactly flat.
  const x0 = series.at(slot, 0);
  let s = 0.0;
  for (let k = 0; k < w; k++) s += series.at(slot, k) - x0;
  const mean = s / <f64>w;
  let ss = 0.0;
  for (let k = 0; k < w; k++) {
    const d = series.at(slot, k) - x0 - mean;
    unchecked((z[k] = d));
    ss += d * d;
  }
  if (ss <= 0) return false;
  const inv = 1 / Math.sqrt(ss / <f64>w);
  for (let k = 0; k < w; k++) unchecked((z[k] *= inv));
  return true;
}

/** |z - m|^2 with m the bin's mean z-normalised; the bin's sum starts at `at` in sums. */
function distanceToMean(z: StaticArray<f64>, sums: StaticArray<f64>, at: i32, w: i32): f64 {
  let dot = 0.0, norm = 0.0;
  for (let k = 0; k < w; k++) {
    const m = unchecked(sums[at + k]);
    dot += unchecked(z[k]) * m;
    norm += m * m;
  }
  // Members have mean 0, so their sum does too: the correlation is a cosine, |z|^2 = w.
  return distanceOf(dot / Math.sqrt(<f64>w * norm), w);
}

/** |a - b|^2 for the two bins' means z-normalised (sums starting at a and b). */
function distanceBetweenMeans(sums: StaticArray<f64>, a: i32, b: i32, w: i32): f64 {
  let dot = 0.0, na = 0.0, nb = 0.0;
  for (let k = 0; k < w; k++) {
    const x = unchecked(sums[a + k]), y = unchecked(sums[b + k]);
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return distanceOf(dot / Math.sqrt(na * nb), w);
}

/** Squared distance of two z-normalised series of length w that correlate r. */
// @ts-ignore: decorator
@inline function distanceOf(r: f64, w: i32): f64 {
  // Members that cancelled out to a zero mean (NaN here) leave a bin that matches nothing.
  return 2 * <f64>w * (1 - (isNaN(r) ? 0 : r));
}

/**
 * After bin c moved, folds into it every bin whose mean comes within the limit, nearest
 * first, again after each fold (the merged mean moves too). Bins stay packed in
 * [0, bins - merged); returns how many bins were folded away.
 */
function mergeAround(
  c: i32, bins: i32, sums: StaticArray<f64>, reps: StaticArray<i32>,
  labels: StaticArray<i32>, n: i32, stride: i32, w: i32, limit: f64,
): i32 {
  let merged = 0;
  while (bins - merged > 1) {
    const live = bins - merged;
    let other = -1, otherD = Infinity;
    for (let b = 0; b < live; b++) {
      if (b == c) continue;
      const d = distanceBetweenMeans(sums, c * stride, b * stride, w);
      if (d < otherD) {
        otherD = d;
        other = b;
      }
    }
    if (other < 0 || otherD > limit) break;
    fold(c, other, sums, reps, labels, n, stride, w);
    // The last bin fills the hole, so the bins stay packed; c may have been that last bin.
    const last = live - 1;
    if (other != last) {
      copyTo(sums, other * stride, sums, last * stride, w);
      unchecked((reps[other] = reps[last]));
      if (c == last) c = other;
    }
    merged++;
  }
  return merged;
}

/** Bin b joins bin c; the label of both becomes the smaller of their labels. */
function fold(
  c: i32, b: i32, sums: StaticArray<f64>, reps: StaticArray<i32>,
  labels: StaticArray<i32>, n: i32, stride: i32, w: i32,
): void {
  addTo(sums, c * stride, sums, b * stride, w);
  const rc = unchecked(reps[c]), rb = unchecked(reps[b]);
  const rep = min(rc, rb);
  for (let i = 0; i < n; i++) {
    const l = unchecked(labels[i]);
    if (l == rc || l == rb) unchecked((labels[i] = rep));
  }
  unchecked((reps[c] = rep));
}

function addTo(dst: StaticArray<f64>, at: i32, src: StaticArray<f64>, from: i32, w: i32): void {
  for (let k = 0; k < w; k++) unchecked((dst[at + k] += src[from + k]));
}

function copyTo(dst: StaticArray<f64>, at: i32, src: StaticArray<f64>, from: i32, w: i32): void {
  for (let k = 0; k < w; k++) unchecked((dst[at + k] = src[from + k]));
}
