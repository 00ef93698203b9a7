// Per-node data sources behind the HAL's sensor, blob_read and accel imports, and the sink of
// the records a node emits. A scenario or test plugs in its own; the default has nothing, so
// every call answers -1 and the module falls back to its own code, as on a board without that
// hardware.

export interface NodeIO {
  /** Up to `max` bytes from a sensor channel at the node's time `atUs`, or null when there is no such channel. */
  sensor(channel: number, max: number, atUs: number): Uint8Array | null;
  /** Bytes of blob `id` from `offset`, at most `len`; -1 no such blob, -2 offset beyond it. */
  blobRead(id: number, offset: number, len: number): Uint8Array | -1 | -2;
  /** A native kernel's output (at most `outLen` bytes), or null when the board has none. */
  accel(op: number, input: Uint8Array, outLen: number): Uint8Array | null;
  /** Every `emit` record (a copy), at the node's time in µs: what the application would receive. */
  record?(kind: number, bytes: Uint8Array, atUs: number): void;
}

export const NO_IO: NodeIO = {
  sensor: () => null,
  blobRead: () => -1,
  accel: () => null,
};

/** An emitted record as MemoryIO keeps it. */
export interface EmittedRecord {
  kind: number;
  bytes: Uint8Array;
  atUs: number;
}

/**
 * NodeIO over memory: blobs a test or tool puts in (`putBlob`), records the node emits kept in
 * order (`records`). No sensors or kernels.
 */
export class MemoryIO implements NodeIO {
  readonly blobs = new Map<number, Uint8Array>();
  readonly records: EmittedRecord[] = [];

  putBlob(id: number, bytes: Uint8Array): this {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new RangeError(`blob id ${id} is not a u32`);
    this.blobs.set(id, bytes);
    return this;
  }

  sensor(): Uint8Array | null {
    return null;
  }

  blobRead(id: number, offset: number, len: number): Uint8Array | -1 | -2 {
    const blob = this.blobs.get(id);
    if (!blob) return -1;
    if (offset > blob.length) return -2;
    return blob.subarray(offset, offset + len);
  }

  /** No native kernels here; a board model that has some overrides this. */
  accel(_op: number, _input: Uint8Array, _outLen: number): Uint8Array | null {
    return null;
  }

  record(kind: number, bytes: Uint8Array, atUs: number): void {
    this.records.push({ kind, bytes, atUs });
  }

  /** The records of one kind, in the order emitted. */
  recordsOf(kind: number): EmittedRecord[] {
    return this.records.filter((r) => r.kind === kind);
  }
}
