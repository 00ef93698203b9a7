// Host tool entry (not a node program): the node's fusion code (firmware/src/fuse) one time
// step at a time, for `myco fuse report` (tools/fuse/runner.ts) and the fusion tests. The host
// adds a step's readings, fuses them, then reads the result's fields.

import "../src/hal";
import { faultTolerance } from "../src/fuse/qos";
import { Fusion, FuseResult } from "../src/fuse/fusion";
import { SeriesWindow, SERIES_MAX_LENGTH, SERIES_MAX_SENSORS } from "../src/fuse/series";
import { ClusterAlgo, ClusterScratch, clusterOfReference } from "../src/fuse/cluster";

/** Readings one step may hold here; a node sizes its own from `fuse_sensors`. */
const CAPACITY: i32 = 64;

const fusion = new Fusion(CAPACITY);
const result = new FuseResult();

export function fuse_capacity(): i32 { return CAPACITY; }
export function fuse_clear(): void { fusion.clear(); }
export function fuse_add(value: f64, accuracy: f64): bool { return fusion.add(value, accuracy); }
/** FTI at `qos`; the value (NaN without a valid reading). */
export function fuse_fti(qos: u32): f64 { fusion.fti(qos, result); return result.value; }
export function fuse_average(): f64 { fusion.average(result); return result.value; }
/** The fused interval for an explicit f, into result_lo / result_hi. */
export function fuse_interval(f: i32): void { fusion.intervalWith(f, result); }
export function fault_tolerance(qos: u32, n: i32): i32 { return faultTolerance(qos, n); }

export function result_value(): f64 { return result.value; }
export function result_lo(): f64 { return result.lo; }
export function result_hi(): f64 { return result.hi; }
export function result_flags(): u32 { return result.flags; }
export function result_used(): i32 { return result.used; }
export function result_f(): i32 { return result.f; }
export function result_rejected(): i32 { return result.rejected; }
export function result_ops(): u32 { return result.ops; }

// Clustering: one window of the largest size, one scratch per algorithm, made once.
const series = new SeriesWindow(SERIES_MAX_SENSORS, SERIES_MAX_LENGTH);
const scratches = new StaticArray<ClusterScratch>(3);
scratches[0] = new ClusterScratch(ClusterAlgo.LabelPropagation, SERIES_MAX_SENSORS, SERIES_MAX_LENGTH);
scratches[1] = new ClusterScratch(ClusterAlgo.Modularity, SERIES_MAX_SENSORS, SERIES_MAX_LENGTH);
scratches[2] = new ClusterScratch(ClusterAlgo.OSort, SERIES_MAX_SENSORS, SERIES_MAX_LENGTH);
let lastWork: u32 = 0;

export function series_clear(): void { for (let i = 0; i < SERIES_MAX_SENSORS; i++) series.clear(i); }
export function series_push(slot: i32, value: f64): bool { return series.push(slot, value); }
/** The mask of slots clustered with `reference` by `algo` (1..3); 0 for another algo. */
export function cluster_of(algo: i32, active: u32, reference: i32, threshold: f64, seed: u32): u32 {
  if (algo < 1 || algo > 3) return 0;
  const scratch = scratches[algo - 1];
  const mask = clusterOfReference(algo, series, active, reference, threshold, seed, scratch);
  lastWork = scratch.work;
  return mask;
}
export function cluster_work(): u32 { return lastWork; }
