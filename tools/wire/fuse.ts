// Sensor fusion on the wire and across the ABI (docs/wire.md 0x50, docs/abi.md emit kinds 13
// and 14; firmware/src/wire/fuse.ts and firmware/src/fuse/records.ts are the module's side).

export const FUSE_READING_BYTES = 11;

export interface FuseReadingPayload {
  phenomenon: number;
  seq: number;
  value: number;
  accuracy: number;
}

export function encodeFuseReading(r: FuseReadingPayload): Uint8Array {
  const b = new Uint8Array(FUSE_READING_BYTES);
  const v = new DataView(b.buffer);
  v.setUint8(0, r.phenomenon);
  v.setUint16(1, r.seq, true);
  v.setFloat32(3, r.value, true);
  v.setFloat32(7, r.accuracy, true);
  return b;
}

export function decodeFuseReading(p: Uint8Array): FuseReadingPayload | null {
  if (p.length !== FUSE_READING_BYTES) return null;
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  return { phenomenon: v.getUint8(0), seq: v.getUint16(1, true), value: v.getFloat32(3, true), accuracy: v.getFloat32(7, true) };
}

export const FUSED_BYTES = 25;

export interface FusedRecord {
  step: number;
  value: number;
  lo: number;
  hi: number;
  average: number;
  /** FuseFlag bits (tools/fuse/engine.ts FUSE_FLAG). */
  flags: number;
  used: number;
  f: number;
  rejected: number;
  sensors: number;
}

export function decodeFused(p: Uint8Array): FusedRecord | null {
  if (p.length !== FUSED_BYTES) return null;
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  return {
    step: v.getUint32(0, true),
    value: v.getFloat32(4, true),
    lo: v.getFloat32(8, true),
    hi: v.getFloat32(12, true),
    average: v.getFloat32(16, true),
    flags: v.getUint8(20),
    used: v.getUint8(21),
    f: v.getUint8(22),
    rejected: v.getUint8(23),
    sensors: v.getUint8(24),
  };
}

export interface FuseClusterRecord {
  step: number;
  algo: number;
  reference: number;
  ids: number[];
}

export function decodeFuseCluster(p: Uint8Array): FuseClusterRecord | null {
  if (p.length < 8) return null;
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const count = v.getUint8(5);
  if (p.length !== 8 + 2 * count) return null;
  return {
    step: v.getUint32(0, true),
    algo: v.getUint8(4),
    reference: v.getUint16(6, true),
    ids: Array.from({ length: count }, (_, i) => v.getUint16(8 + 2 * i, true)),
  };
}
