// The sensor role: once per period, read the sensor channel and send the reading to the
// fusion node (FUSE_READING, routed unicast). Readings are sent without ACK_REQ: the next
// period brings a fresh one, and fusion copes with any subset of sensors per step.
//
// A fusion channel gives a little-endian f32 value, optionally followed by an f32 accuracy;
// without one the configured `fuse_accuracy_milli` is sent (a datasheet figure).

import { sensor } from "../hal";
import { count } from "../core/counters";
import { MsgType } from "../wire/format";
import { FUSE_READING_BYTES, putReading } from "../wire/fuse";
import { routeSend } from "../route/service";
import { FuseConfig } from "./config";
import { FUSE_READING_TX, FUSE_SENSOR_NONE } from "./counters";

const PAYLOAD: usize = 8;

export class SensorState {
  cfg: FuseConfig;
  seq: u32 = 0;
  nextAtMs: u32;
  /** The channel's 8 bytes, then the frame payload at PAYLOAD. */
  buf: usize;

  constructor(cfg: FuseConfig, now: u32) {
    this.cfg = cfg;
    this.buf = heap.alloc(PAYLOAD + FUSE_READING_BYTES);
    this.nextAtMs = nextBoundary(now, cfg.periodMs, 0);
  }
}

/** The first multiple of `period` (plus `offset`) after `now`: every node of a network samples on the same grid. */
export function nextBoundary(now: u32, period: u32, offset: u32): u32 {
  const base = now - (now % period) + offset;
  // Compared as a difference, so a base past the u32 wrap still counts as after `now`.
  return <i32>(base - now) > 0 ? base : base + period;
}

function sample(s: SensorState): void {
  const got = sensor(s.cfg.channel, s.buf, 8);
  if (got != 4 && got != 8) {
    count(FUSE_SENSOR_NONE);
    return;
  }
  const value = load<f32>(s.buf);
  const accuracy = got == 8 ? load<f32>(s.buf + 4) : <f32>(<f64>s.cfg.accuracyMilli / 1000.0);
  s.seq = (s.seq + 1) & 0xffff;
  const len = putReading(s.buf + PAYLOAD, s.cfg.phenomenon, s.seq, value, accuracy);
  if (routeSend(MsgType.FuseReading, s.cfg.sink, s.buf + PAYLOAD, len, 0) >= 0) count(FUSE_READING_TX);
}

/** Samples when a period boundary has come; ms until the next one. */
export function sensorTick(s: SensorState, now: u32): u32 {
  if (<i32>(now - s.nextAtMs) >= 0) {
    sample(s);
    s.nextAtMs = nextBoundary(now, s.cfg.periodMs, 0);
  }
  return s.nextAtMs - now;
}

