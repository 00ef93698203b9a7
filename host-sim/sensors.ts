// Sensors behind the HAL's `sensor` import for fusion (docs/fusion.md): a node's channel gives
// what a fusion sensor channel gives on a board, a little-endian f32 value and f32 accuracy,
// read from a source at the node's own time.

import type { NodeIO } from './io.ts';
import { M_MAX, windSeries } from '../tools/fuse/wind.ts';
import { drawSensor, readSensor, type FaultWindow, type Quality } from '../tools/fuse/sensors.ts';
import { stream } from '../tools/fuse/random.ts';

export interface SensorReading {
  value: number;
  /** Half-width of the interval the sensor guarantees around `value`. */
  accuracy: number;
}

/** A node's sensor: its reading on `channel` at `atUs`, or null when it has no such channel. */
export type SensorSource = (channel: number, atUs: number) => SensorReading | null;

export const READING_BYTES = 8;

export function encodeReading(r: SensorReading): Uint8Array {
  const bytes = new Uint8Array(READING_BYTES);
  const view = new DataView(bytes.buffer);
  view.setFloat32(0, r.value, true);
  view.setFloat32(4, r.accuracy, true);
  return bytes;
}

/** `io` with `source` answering its sensor calls. */
export function withSensor(io: NodeIO, source: SensorSource): NodeIO {
  return {
    sensor: (channel, max, atUs) => {
      const r = source(channel, atUs);
      return r ? encodeReading(r).subarray(0, Math.min(READING_BYTES, max)) : io.sensor(channel, max, atUs);
    },
    blobRead: (id, offset, len) => io.blobRead(id, offset, len),
    accel: (op, input, outLen) => io.accel(op, input, outLen),
    record: io.record ? (kind, bytes, atUs) => io.record!(kind, bytes, atUs) : undefined,
  };
}

// ---- Scenario sensors (`sensors:`): the synthetic wind of tools/fuse/wind.ts, read by nodes
// with the paper's sensor model (tools/fuse/sensors.ts), one value a minute.

export interface ScenarioSensor {
  node: number;
  quality: Quality;
  /** Minutes [from, to) in which it reports values unrelated to the truth. */
  broken?: FaultWindow;
}

export interface SensorFeedSpec {
  /** Seed of the wind series (the scenario's seed when the file gives none). */
  windSeed?: number;
  sensors: ScenarioSensor[];
}

/** Each sensor node's source on channel 0 for a run of `minutes`; deterministic for `seed`. */
export function scenarioSensors(spec: SensorFeedSpec, seed: number, minutes: number): Map<number, SensorSource> {
  const wind = scenarioWind(spec, seed, minutes);
  const sources = new Map<number, SensorSource>();
  for (const s of spec.sensors) {
    const sensor = drawSensor(stream(seed, `sensor/${s.node}/quality`), s.quality, M_MAX, s.broken);
    const noise = stream(seed, `sensor/${s.node}/noise`);
    sources.set(s.node, (channel, atUs) => {
      if (channel !== 0) return null;
      const minute = Math.min(wind.length - 1, Math.floor(atUs / 60e6));
      return readSensor(noise, sensor, wind[minute], minute, M_MAX);
    });
  }
  return sources;
}

/** The truth the scenario's sensors measure, minute by minute (for reports and tests). */
export function scenarioWind(spec: SensorFeedSpec, seed: number, minutes: number): number[] {
  return windSeries(minutes + 1, spec.windSeed ?? seed);
}
