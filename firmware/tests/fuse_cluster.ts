// Test entry (not a node program): data-source clustering (firmware/src/fuse), driven
// through one SeriesWindow and one ClusterScratch per algorithm that tests set up, fill
// sample by sample and query.

import "../src/hal";
import { SeriesWindow } from "../src/fuse/series";
import { fillSimilarity, pearson } from "../src/fuse/similarity";
import { ClusterAlgo, ClusterScratch, clusterOfReference } from "../src/fuse/cluster";
import { xorshift32 } from "../src/fuse/labelprop";

let window = new SeriesWindow(1, 1);
let scratches = new StaticArray<ClusterScratch>(4);
let matrix = new StaticArray<f64>(0);
let last: ClusterScratch = new ClusterScratch(ClusterAlgo.None, 1, 1);

/** A window of sensors x length and a scratch of the same size for every algorithm. */
export function setup(sensors: i32, length: i32): void {
  setup_sized(sensors, length, sensors, length);
}

/** As setup, with scratches of their own size (to test mismatches). */
export function setup_sized(sensors: i32, length: i32, scratchSensors: i32, scratchLength: i32): void {
  window = new SeriesWindow(sensors, length);
  for (let a = 0; a < 4; a++) scratches[a] = new ClusterScratch(a, scratchSensors, scratchLength);
  matrix = new StaticArray<f64>(window.sensors * window.sensors);
  last = scratches[0];
}

export function sensors(): i32 { return window.sensors; }
export function length(): i32 { return window.length; }
export function push(slot: i32, value: f64): bool { return window.push(slot, value); }
export function clear(slot: i32): void { window.clear(slot); }
export function count(slot: i32): i32 { return window.count(slot); }
export function recent(slot: i32, k: i32): f64 { return window.recent(slot, k); }
export function ready_mask(min: i32): u32 { return window.readyMask(min); }

export function correlation(a: i32, b: i32): f64 { return pearson(window, a, b); }
export function fill_similarity(mask: u32): u32 { return fillSimilarity(window, mask, window.sensors, matrix); }
export function similarity(i: i32, j: i32): f64 { return matrix[i * window.sensors + j]; }

/** The reference's cluster with `algo`'s own scratch (or another's, to test mismatches). */
export function cluster_with(algo: i32, scratchOf: i32, mask: u32, reference: i32, threshold: f64, seed: u32): u32 {
  last = scratches[scratchOf];
  return clusterOfReference(algo, window, mask, reference, threshold, seed, last);
}
export function cluster(algo: i32, mask: u32, reference: i32, threshold: f64, seed: u32): u32 {
  return cluster_with(algo, algo, mask, reference, threshold, seed);
}
export function last_work(): u32 { return last.work; }
export function last_pairs(): u32 { return last.pairs; }
export function last_clusters(): i32 { return last.clusters; }
export function label_of(slot: i32): i32 { return last.labels[slot]; }
export function scratch_bytes(algo: i32, sensors: i32, length: i32): i32 { return ClusterScratch.bytes(algo, sensors, length); }

export function xorshift(x: u32): u32 { return xorshift32(x); }

/** The stub runtime's heap top: unchanged across calls means nothing was allocated. */
export function heap_top(): u32 {
  const p = heap.alloc(0);
  heap.free(p);
  return <u32>p;
}
