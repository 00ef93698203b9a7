// Data-source clustering (Elastic AI §6.2): which sensors measure the same phenomenon as a
// reference sensor (say, the one the user carries), judged only from their recent series.
// One entry point over three interchangeable algorithms, chosen by config:
// - label propagation (labelprop.ts) and greedy modularity (modularity.ts) cluster the graph
//   whose edges are correlations >= threshold (similarity.ts);
// - OSort binning (osort.ts) bins the z-normalised series directly, no pairwise matrix.
// Everything runs in a ClusterScratch sized once for one algorithm, so a call allocates
// nothing, and the cost of the last call is kept in it for `hal.compute`.

import { SERIES_MAX_LENGTH, SERIES_MAX_SENSORS, SeriesWindow } from "./series";
import { fillSimilarity, inMask } from "./similarity";
import { labelPropagation } from "./labelprop";
import { greedyModularity } from "./modularity";
import { osortBins } from "./osort";

export const enum ClusterAlgo {
  /** No clustering: every active sensor counts as measuring the reference's phenomenon. */
  None = 0,
  LabelPropagation = 1,
  Modularity = 2,
  OSort = 3,
}

/**
 * Working memory of one algorithm, for windows of up to `sensors` slots and `length`
 * samples: only what that algorithm reads is allocated (ClusterScratch.bytes tells how much).
 * After a call, `labels` holds every active slot's cluster (a slot number shared by the
 * members, -1 for inactive slots), and `work`, `pairs`, `clusters` describe the call.
 */
export class ClusterScratch {
  algo: i32;
  capacity: i32;
  length: i32;
  /** Similarity matrix, then (modularity, in place) the edge fractions. */
  matrix: StaticArray<f64>;
  /** OSort: each bin's sum of member series, capacity x length. */
  sums: StaticArray<f64>;
  /** OSort: the series being binned. */
  z: StaticArray<f64>;
  /** Label propagation: weight per label; modularity: a_i. */
  perSlot: StaticArray<f64>;
  labels: StaticArray<i32>;
  /** Label propagation: visit order. */
  order: StaticArray<i32>;
  /** Label propagation: tied labels; OSort: each bin's label. */
  ties: StaticArray<i32>;

  /** Cost of the last call: samples compared, neighbours scanned, labels moved, merges. */
  work: u32 = 0;
  /** Pairs of active slots correlated in the last call (graph algorithms; unknown ones too). */
  pairs: u32 = 0;
  /** Clusters among the active slots in the last call (unknown slots count alone). */
  clusters: i32 = 0;

  constructor(algo: i32, sensors: i32, length: i32) {
    // Sized like a SeriesWindow, so a config that builds one can build the other.
    sensors = sensors < 1 ? 1 : min(sensors, SERIES_MAX_SENSORS);
    length = length < 1 ? 1 : min(length, SERIES_MAX_LENGTH);
    this.algo = algo;
    this.capacity = sensors;
    this.length = length;
    const graph = usesMatrix(algo), bins = algo == ClusterAlgo.OSort;
    this.matrix = new StaticArray<f64>(graph ? sensors * sensors : 0);
    this.sums = new StaticArray<f64>(bins ? sensors * length : 0);
    this.z = new StaticArray<f64>(bins ? length : 0);
    this.perSlot = new StaticArray<f64>(graph ? sensors : 0);
    this.labels = new StaticArray<i32>(sensors);
    this.order = new StaticArray<i32>(algo == ClusterAlgo.LabelPropagation ? sensors : 0);
    this.ties = new StaticArray<i32>(algo == ClusterAlgo.LabelPropagation || bins ? sensors : 0);
  }

  /** Payload bytes a scratch for `algo` takes (StaticArray headers not counted). */
  static bytes(algo: i32, sensors: i32, length: i32): i32 {
    const labels = 4 * sensors;
    if (algo == ClusterAlgo.LabelPropagation) return 8 * (sensors * sensors + sensors) + labels + 8 * sensors;
    if (algo == ClusterAlgo.Modularity) return 8 * (sensors * sensors + sensors) + labels;
    if (algo == ClusterAlgo.OSort) return 8 * (sensors * length + length) + labels + 4 * sensors;
    return labels;
  }
}

/**
 * The slots in the reference's cluster, as a mask: always including `reference` when it is
 * active; 0 when it is not (or out of range), or when `scratch` was built for another
 * algorithm or fewer slots than `series` has, or `algo` is not a ClusterAlgo. `activeMask`
 * bit k stands for slot k (bits beyond the window's slots are ignored); slots whose series
 * are unknown (too short, or constant) join no one. `seed` drives label propagation's
 * random order; the same inputs and seed give the same answer.
 */
export function clusterOfReference(
  algo: i32, series: SeriesWindow, activeMask: u32, reference: i32, threshold: f64, seed: u32, scratch: ClusterScratch,
): u32 {
  scratch.work = 0;
  scratch.pairs = 0;
  scratch.clusters = 0;
  const n = series.sensors;
  const mask = activeMask & slotsBelow(n);
  if (scratch.algo != algo || scratch.capacity < n) return 0;
  if (reference < 0 || reference >= n || !inMask(mask, reference)) return 0;
  const labels = scratch.labels;
  if (algo == ClusterAlgo.LabelPropagation || algo == ClusterAlgo.Modularity) {
    scratch.work = fillSimilarity(series, mask, n, scratch.matrix);
    const k = popcnt<u32>(mask);
    scratch.pairs = k * (k - 1) / 2;
    scratch.work += algo == ClusterAlgo.LabelPropagation
      ? labelPropagation(scratch.matrix, n, mask, threshold, seed, labels, scratch.order, scratch.perSlot, scratch.ties)
      : greedyModularity(scratch.matrix, n, mask, threshold, scratch.matrix, scratch.perSlot, labels);
  } else if (algo == ClusterAlgo.OSort) {
    scratch.work = osortBins(series, n, mask, threshold, scratch.length, labels, scratch.z, scratch.sums, scratch.ties);
  } else if (algo == ClusterAlgo.None) {
    for (let i = 0; i < n; i++) unchecked((labels[i] = inMask(mask, i) ? reference : -1));
  } else {
    return 0;
  }
  scratch.clusters = countClusters(labels, n);
  return membersOf(labels, n, unchecked(labels[reference])) | (<u32>1 << reference);
}

/** Mask of the slots carrying `label`. */
export function membersOf(labels: StaticArray<i32>, n: i32, label: i32): u32 {
  let mask: u32 = 0;
  for (let i = 0; i < n; i++) if (unchecked(labels[i]) == label) mask |= <u32>1 << i;
  return mask;
}

/**
 * Distinct labels among labelled slots. Label propagation can leave label l on slots other
 * than l, so this counts first occurrences rather than slots labelled with themselves.
 */
export function countClusters(labels: StaticArray<i32>, n: i32): i32 {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const l = unchecked(labels[i]);
    if (l < 0) continue;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = unchecked(labels[j]) == l;
    if (!seen) count++;
  }
  return count;
}

function usesMatrix(algo: i32): bool {
  return algo == ClusterAlgo.LabelPropagation || algo == ClusterAlgo.Modularity;
}

function slotsBelow(n: i32): u32 {
  return n >= 32 ? 0xffffffff : (<u32>1 << n) - 1;
}
