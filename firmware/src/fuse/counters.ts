// Counter slots of sensor fusion (fuse.*), after orchestration. Defined only when fusion is
// on, so other nodes' counter dumps are unchanged.

import { defineCounterBlock } from "../core/counters";
import { ORCH_COUNTERS_END } from "../orch/counters";

const BASE: i32 = ORCH_COUNTERS_END;

export const FUSE_READING_TX: i32 = BASE + 0;
export const FUSE_READING_RX: i32 = BASE + 1;
export const FUSE_READING_OTHER: i32 = BASE + 2;
export const FUSE_READING_DUP: i32 = BASE + 3;
export const FUSE_SENSOR_JOIN: i32 = BASE + 4;
export const FUSE_SENSOR_LEAVE: i32 = BASE + 5;
export const FUSE_SENSOR_FULL: i32 = BASE + 6;
export const FUSE_SENSOR_NONE: i32 = BASE + 7;
export const FUSE_STEP: i32 = BASE + 8;
export const FUSE_EMPTY: i32 = BASE + 9;
export const FUSE_REJECTED: i32 = BASE + 10;
export const FUSE_CLUSTER_RUN: i32 = BASE + 11;
export const FUSE_COUNTERS_END: i32 = BASE + 12;

export function defineFuseCounters(): void {
  // In slot order from FUSE_READING_TX.
  defineCounterBlock(FUSE_READING_TX, "fuse.reading.tx fuse.reading.rx fuse.reading.other fuse.reading.dup fuse.sensor.join fuse.sensor.leave fuse.sensor.full fuse.sensor.none fuse.step fuse.empty fuse.rejected fuse.cluster.run");
}
