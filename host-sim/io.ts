// Per-node data sources behind the HAL's sensor, blob_read and accel imports. A scenario
// or test plugs in its own; the default has nothing, so every call answers -1 and the
// module falls back to its own code, as on a board without that hardware.

export interface NodeIO {
  /** Up to `max` bytes from a sensor channel, or null when there is no such channel. */
  sensor(channel: number, max: number): Uint8Array | null;
  /** Bytes of blob `id` from `offset`, at most `len`; -1 no such blob, -2 offset beyond it. */
  blobRead(id: number, offset: number, len: number): Uint8Array | -1 | -2;
  /** A native kernel's output (at most `outLen` bytes), or null when the board has none. */
  accel(op: number, input: Uint8Array, outLen: number): Uint8Array | null;
}

export const NO_IO: NodeIO = {
  sensor: () => null,
  blobRead: () => -1,
  accel: () => null,
};
