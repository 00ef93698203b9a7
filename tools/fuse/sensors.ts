// The paper's sensor model (Elastic AI §7.2.2): sensor i has a maximum deviation d_i relative to
// the full scale m_max, drawn once, uniformly from [0.005, 0.05] for a high-quality sensor and
// from [0.01, 0.1] for a low-quality one. Its reading at minute t is uniform on
// [m_t - m_max·d_i, m_t + m_max·d_i] around the truth m_t, and it reports m_max·d_i as its
// accuracy, so a working sensor's claimed interval always holds the truth. Readings are not
// clipped at 0: the paper's model is followed as written, and a low wind with a coarse sensor
// can give a slightly negative reading.
//
// A broken sensor (§7.2.3), inside its fault window, reports values with no relation to the
// truth, uniform over the whole scale [0, m_max], and goes on claiming its usual accuracy:
// the fault is invisible to the sensor itself, as with a blocked or damaged anemometer.

import type { Reading } from './engine.ts';
import { stream, uniform, type Rng } from './random.ts';
import { M_MAX } from './wind.ts';

export type Quality = 'high' | 'low';

/** The range d is drawn from, per quality. */
export const DEVIATION: Record<Quality, readonly [number, number]> = {
  high: [0.005, 0.05],
  low: [0.01, 0.1],
};

/** Minutes [from, to) in which a sensor is broken. */
export interface FaultWindow {
  from: number;
  to: number;
}

export interface Sensor {
  quality: Quality;
  /** Maximum deviation relative to the full scale. */
  d: number;
  /** The half-width it reports with every reading: mMax · d. */
  accuracy: number;
  fault?: FaultWindow;
}

export function drawSensor(rng: Rng, quality: Quality, mMax: number, fault?: FaultWindow): Sensor {
  const [lo, hi] = DEVIATION[quality];
  const d = uniform(rng, lo, hi);
  return { quality, d, accuracy: mMax * d, ...(fault ? { fault } : {}) };
}

export function isBroken(sensor: Sensor, minute: number): boolean {
  return sensor.fault !== undefined && minute >= sensor.fault.from && minute < sensor.fault.to;
}

/** What `sensor` reports at `minute` when the wind is `truth`. */
export function readSensor(rng: Rng, sensor: Sensor, truth: number, minute: number, mMax: number): Reading {
  const value = isBroken(sensor, minute) ? uniform(rng, 0, mMax) : uniform(rng, truth - sensor.accuracy, truth + sensor.accuracy);
  return { value, accuracy: sensor.accuracy };
}

/** n sensors, the first `low` of them low quality (fusion does not depend on their order). */
export function qualities(n: number, low: number): Quality[] {
  return Array.from({ length: n }, (_, i) => (i < low ? 'low' : 'high'));
}

export interface SensorSetSpec {
  seed: number;
  qualities: readonly Quality[];
  /** Fault windows by sensor index. */
  faults?: Readonly<Record<number, FaultWindow>>;
  mMax?: number;
}

export interface SensorData {
  sensors: Sensor[];
  /** readings[minute][sensor]. */
  readings: Reading[][];
}

/**
 * The sensors of a set and their readings of `truth`. Each sensor draws its d and its noise
 * from streams of its own, so adding a sensor or a fault leaves the others' readings unchanged.
 */
export function sensorReadings(truth: readonly number[], spec: SensorSetSpec): SensorData {
  const mMax = spec.mMax ?? M_MAX;
  const sensors = spec.qualities.map((q, i) => drawSensor(stream(spec.seed, `sensor/${i}/d`), q, mMax, spec.faults?.[i]));
  const noise = sensors.map((_, i) => stream(spec.seed, `sensor/${i}/noise`));
  const readings = truth.map((m, t) => sensors.map((s, i) => readSensor(noise[i], s, m, t, mMax)));
  return { sensors, readings };
}
