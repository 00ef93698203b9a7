// Sensors behind the HAL's `sensor` import for fusion (docs/fusion.md): a node's channel gives
// what a fusion sensor channel gives on a board, a little-endian f32 value and f32 accuracy,
// read from a source at the node's own time.

import type { NodeIO } from './io.ts';

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
