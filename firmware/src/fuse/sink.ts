// The fusion role (docs/fusion.md, "The fusion node"): collect the readings sensor nodes send,
// fuse them once per time step, emit the fused value.
//
// Steps follow the period grid shifted by half a period: sensors send on multiples of the
// period, so their readings arrive well inside the step that ends half a period later, on
// boards whose clocks are not aligned as much as in the simulator. A sensor's reading is
// fused in the step it arrives in (the newest wins if two arrive); a sensor that stays
// silent for `fuse_sensor_timeout` steps loses its slot, and one heard again (or a new one)
// takes a free slot: sensors may come, go or fail mid-run. With clustering on, only the
// sensors found to measure what the reference sensor measures are fused (cluster.ts).

import { count, countBy } from "../core/counters";
import { Header } from "../wire/header";
import { HEADER_SIZE } from "../wire/format";
import { readingAccuracy, readingPhenomenon, readingSeq, readingValue } from "../wire/fuse";
import { FuseConfig } from "./config";
import {
  FUSE_CLUSTER_RUN, FUSE_EMPTY, FUSE_READING_DUP, FUSE_READING_OTHER, FUSE_READING_RX,
  FUSE_REJECTED, FUSE_SENSOR_FULL, FUSE_SENSOR_JOIN, FUSE_SENSOR_LEAVE, FUSE_STEP,
} from "./counters";
import { FuseFlag, Fusion, FuseResult } from "./fusion";
import { emitCluster, emitFused, RECORD_BYTES } from "./records";
import { nextBoundary } from "./sensor";
import { SensorSlots } from "./slots";
import { readingValid } from "./reading";
import { FuseClusters } from "./clusters";

export class SinkState {
  cfg: FuseConfig;
  slots: SensorSlots;
  fusion: Fusion;
  fti: FuseResult = new FuseResult();
  average: FuseResult = new FuseResult();
  clusters: FuseClusters | null;
  step: u32 = 0;
  nextAtMs: u32;
  record: usize;

  constructor(cfg: FuseConfig, seed: u32, now: u32) {
    this.cfg = cfg;
    this.slots = new SensorSlots(<i32>cfg.sensors);
    this.fusion = new Fusion(<i32>cfg.sensors);
    this.clusters = cfg.cluster != 0 ? new FuseClusters(cfg, seed) : null;
    this.record = heap.alloc(RECORD_BYTES);
    this.nextAtMs = nextBoundary(now, cfg.periodMs, cfg.periodMs >> 1);
  }
}

/** A FUSE_READING for this node (header in `h`, payload after it; its length checked by the wire layer). */
export function sinkReceive(s: SinkState, frame: usize, h: Header): void {
  const p = frame + HEADER_SIZE;
  if (readingPhenomenon(p) != s.cfg.phenomenon) {
    count(FUSE_READING_OTHER);
    return;
  }
  count(FUSE_READING_RX);
  let slot = s.slots.find(h.src);
  // The same reading again (a frame repeated on the way): its seq is the one last taken.
  if (slot >= 0 && <u32>unchecked(s.slots.lastSeq[slot]) == readingSeq(p)) {
    count(FUSE_READING_DUP);
    return;
  }
  if (slot < 0) {
    slot = s.slots.join(h.src);
    if (slot < 0) {
      count(FUSE_SENSOR_FULL);
      return;
    }
    count(FUSE_SENSOR_JOIN);
    if (s.clusters !== null) s.clusters!.joined(slot);
  }
  if (!s.slots.put(slot, readingValue(p), readingAccuracy(p), readingSeq(p))) count(FUSE_READING_DUP);
}

/** Ends the step: ages silent sensors, fuses, emits; then clusters when it is time. */
function endStep(s: SinkState): void {
  const slots = s.slots;
  const clusters = s.clusters;
  const fusion = s.fusion;
  fusion.clear();
  let sensors = 0;
  for (let i = 0; i < slots.capacity; i++) {
    if (!slots.isActive(i)) continue;
    const has = unchecked(slots.has[i]);
    // A reading fusion would reject is no sample of the phenomenon either.
    const valid = has && readingValid(unchecked(slots.values[i]), unchecked(slots.accuracies[i]));
    if (clusters !== null) clusters!.observe(i, valid ? unchecked(slots.values[i]) : NaN);
    if (!has) {
      const missed = <u32>unchecked(slots.missed[i]) + 1;
      if (missed >= s.cfg.sensorTimeout) {
        slots.leave(i);
        if (clusters !== null) clusters!.left(i);
        count(FUSE_SENSOR_LEAVE);
        continue;
      }
      unchecked((slots.missed[i] = <u8>missed));
      sensors++;
      continue;
    }
    unchecked((slots.missed[i] = 0));
    unchecked((slots.has[i] = false));
    sensors++;
    if (clusters !== null && !clusters!.fuses(i)) continue;
    fusion.add(unchecked(slots.values[i]), unchecked(slots.accuracies[i]));
  }
  fusion.fti(s.cfg.qos, s.fti);
  fusion.average(s.average);
  count(FUSE_STEP);
  if ((s.fti.flags & FuseFlag.Empty) != 0) count(FUSE_EMPTY);
  countBy(FUSE_REJECTED, <u32>s.fti.rejected);
  emitFused(s.record, s.step, s.fti, s.average, sensors);
  s.step++;
  if (clusters !== null && s.step % s.cfg.clusterEvery == 0) {
    const mask = clusters!.run(slots);
    count(FUSE_CLUSTER_RUN);
    emitCluster(s.record, s.step, s.cfg.cluster, s.cfg.reference, mask, slots);
  }
}

/** Ends the step when its time has come (a tick late by whole periods ends one step: the
 *  readings of the periods it missed arrive into it); ms until the next. */
export function sinkTick(s: SinkState, now: u32): u32 {
  if (<i32>(now - s.nextAtMs) >= 0) {
    endStep(s);
    s.nextAtMs = nextBoundary(now, s.cfg.periodMs, s.cfg.periodMs >> 1);
  }
  return s.nextAtMs - now;
}
