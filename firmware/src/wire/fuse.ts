// FUSE_READING payload (docs/wire.md, 0x50): one sensor's reading for one time step, on its
// way to the fusion node. Mirrors tools/wire/fuse.ts.
//
//   phenomenon:u8 seq:u16 value:f32 accuracy:f32
//
// `seq` counts the sensor's readings (wrapping), so the fusion node can tell a repeat from
// the next step's. The value and its accuracy are checked again where they are fused
// (fuse/reading.ts); here only the length is.

import { getU16, getU8, putU16, putU8 } from "../core/bytes";

export const FUSE_READING_BYTES: u32 = 11;

export function fuseReadingValid(len: u32): bool {
  return len == FUSE_READING_BYTES;
}

// @ts-ignore: decorator
@inline export function readingPhenomenon(p: usize): u32 { return getU8(p, 0); }
// @ts-ignore: decorator
@inline export function readingSeq(p: usize): u32 { return getU16(p, 1); }
// @ts-ignore: decorator
@inline export function readingValue(p: usize): f64 { return <f64>load<f32>(p + 3); }
// @ts-ignore: decorator
@inline export function readingAccuracy(p: usize): f64 { return <f64>load<f32>(p + 7); }

export function putReading(p: usize, phenomenon: u32, seq: u32, value: f32, accuracy: f32): u32 {
  putU8(p, 0, phenomenon);
  putU16(p, 1, seq);
  store<f32>(p + 3, value);
  store<f32>(p + 7, accuracy);
  return FUSE_READING_BYTES;
}
