// FRAG_ACK payload (docs/wire.md, 0x1F): msg:u16 status:u8 count:u8, then a bitmap of
// ceil(count / 8) bytes, bit i (byte i >> 3, bit i & 7) set when fragment i has arrived.
// Status OK with every bit set means the message is complete and delivered.

import { getU16, getU8, putU16, putU8 } from "../core/bytes";

export const FRAG_ACK_FIXED: u32 = 4;

export const enum FragAckStatus {
  /** The bitmap says which fragments the receiver holds. */
  Ok = 0,
  /** No reassembly buffer free: try again later. Bitmap all zero. */
  Busy = 1,
  /** The message is larger than the receiver's buffers: it will never be taken. */
  TooLarge = 2,
}

export const FRAG_ACK_STATUS_MAX: u32 = 2;

// @ts-ignore: decorator
@inline export function bitmapBytes(count: u32): u32 {
  return (count + 7) >> 3;
}

export function fragAckValid(p: usize, len: u32): bool {
  if (len < FRAG_ACK_FIXED) return false;
  const count = getU8(p, 3);
  if (getU16(p, 0) == 0 || getU8(p, 2) > FRAG_ACK_STATUS_MAX || count == 0) return false;
  const bytes = bitmapBytes(count);
  if (len != FRAG_ACK_FIXED + bytes) return false;
  // Bits past `count` in the last byte must be clear.
  const spare = bytes * 8 - count;
  if (spare != 0 && (getU8(p, FRAG_ACK_FIXED + bytes - 1) >> (8 - spare)) != 0) return false;
  if (getU8(p, 2) != FragAckStatus.Ok) {
    for (let i: u32 = 0; i < bytes; i++) if (getU8(p, FRAG_ACK_FIXED + i) != 0) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline export function fragAckMsg(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function fragAckStatus(p: usize): u32 { return getU8(p, 2); }
// @ts-ignore: decorator
@inline export function fragAckCount(p: usize): u32 { return getU8(p, 3); }
/** The bitmap starts here. */
// @ts-ignore: decorator
@inline export function fragAckBitmap(p: usize): usize { return p + FRAG_ACK_FIXED; }

/** Writes the fixed part; the caller copies `bitmapBytes(count)` bytes of bitmap after it. */
export function putFragAckFixed(p: usize, msg: u32, status: u32, count: u32): void {
  putU16(p, 0, msg);
  putU8(p, 2, status);
  putU8(p, 3, count);
}
