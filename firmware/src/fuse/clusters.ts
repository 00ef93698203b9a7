// Clustering as the fusion node uses it: each sensor's series of readings, one sample per
// step, and every `fuse_cluster_every` steps the set of sensors that measure what the
// reference sensor measures (cluster.ts). Only those are fused until the next run.
//
// A step without a reading repeats the sensor's last sample, so every series stays aligned
// step for step (the window compares slots sample by sample) and one lost frame does not
// erase a sensor's history. A sensor that joins is not fused until a run has placed it: what
// it measures is not known yet. Until the first run every sensor is fused; while the reference
// is not heard, the last set stands, less the sensors that left (it may empty: then the step
// has no reading and says so, rather than fusing sensors never placed with the reference).

import { ClusterScratch, clusterOfReference } from "./cluster";
import { FuseConfig } from "./config";
import { SeriesWindow } from "./series";
import { SensorSlots } from "./slots";

export class FuseClusters {
  cfg: FuseConfig;
  series: SeriesWindow;
  scratch: ClusterScratch;
  seed: u32;
  /** The sensors fused, once `ran`. */
  mask: u32 = 0;
  /** A run has found the reference's cluster; before it every sensor is fused. */
  ran: bool = false;

  constructor(cfg: FuseConfig, seed: u32) {
    this.cfg = cfg;
    this.series = new SeriesWindow(<i32>cfg.sensors, <i32>cfg.window);
    this.scratch = new ClusterScratch(<i32>cfg.cluster, <i32>cfg.sensors, <i32>cfg.window);
    this.seed = seed | 1;
  }

  joined(slot: i32): void {
    this.series.clear(slot);
    this.mask &= ~(<u32>1 << slot);
  }

  left(slot: i32): void {
    this.series.clear(slot);
    this.mask &= ~(<u32>1 << slot);
  }

  /** The step's sample of an active slot; NaN when it sent none. */
  observe(slot: i32, value: f64): void {
    if (isFinite(value)) this.series.push(slot, value);
    else if (this.series.count(slot) > 0) this.series.push(slot, this.series.at(slot, 0));
  }

  fuses(slot: i32): bool {
    return !this.ran || (this.mask & (<u32>1 << slot)) != 0;
  }

  /** The sensors fused now: every active one before the first run. */
  fused(slots: SensorSlots): u32 {
    return this.ran ? this.mask & slots.active : slots.active;
  }

  /** Clusters now; the mask fused from here on. */
  run(slots: SensorSlots): u32 {
    const ref = slots.find(this.cfg.reference);
    if (ref < 0) return this.fused(slots);
    this.seed = this.seed * 1664525 + 1013904223;
    const threshold = <f64>this.cfg.thresholdMilli / 1000.0;
    this.mask = clusterOfReference(<i32>this.cfg.cluster, this.series, slots.active, ref, threshold, this.seed, this.scratch);
    this.ran = true;
    return this.mask;
  }
}
