// FRAG payload (docs/wire.md, 0x1E): msg:u16 inner:u8 index:u8 count:u8 total:u16, then the
// fragment's bytes. Every fragment but the last carries `fragChunk(total, count)` bytes and
// the last the rest, so a receiver can place any fragment, in any order, from its own
// header alone, and the wire layer can check each fragment's length exactly.

import { getU16, getU8, putU16, putU8 } from "../core/bytes";

export const FRAG_FIXED: u32 = 7;
/** Inner types below this belong to the link and route layers and are never fragmented. */
export const FRAG_INNER_MIN: u32 = 0x20;
export const FRAG_COUNT_MAX: u32 = 255;

/** Bytes in every fragment but the last. */
// @ts-ignore: decorator
@inline export function fragChunk(total: u32, count: u32): u32 {
  return (total + count - 1) / count;
}

/** Bytes in fragment `index`; 0 when (total, count, index) describe no fragment. */
export function fragBytes(total: u32, count: u32, index: u32): u32 {
  if (count == 0 || index >= count || total == 0) return 0;
  const chunk = fragChunk(total, count);
  const before = (count - 1) * chunk;
  if (before >= total) return 0;
  return index + 1 < count ? chunk : total - before;
}

/**
 * Fragments a sender cuts `total` bytes into when a fragment carries at most `room` bytes;
 * 0 when that would take more than FRAG_COUNT_MAX. With this count the chunk never exceeds
 * `room` and the last fragment is never empty.
 */
export function fragCount(total: u32, room: u32): u32 {
  if (room == 0 || total == 0) return 0;
  const count = (total + room - 1) / room;
  return count > FRAG_COUNT_MAX ? 0 : count;
}

export function fragValid(p: usize, len: u32): bool {
  if (len < FRAG_FIXED) return false;
  if (getU16(p, 0) == 0 || getU8(p, 2) < FRAG_INNER_MIN) return false;
  const expected = fragBytes(getU16(p, 5), getU8(p, 4), getU8(p, 3));
  return expected != 0 && len == FRAG_FIXED + expected;
}

// @ts-ignore: decorator
@inline export function fragMsg(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function fragInner(p: usize): u32 { return getU8(p, 2); }
// @ts-ignore: decorator
@inline export function fragIndex(p: usize): u32 { return getU8(p, 3); }
// @ts-ignore: decorator
@inline export function fragCountOf(p: usize): u32 { return getU8(p, 4); }
// @ts-ignore: decorator
@inline export function fragTotal(p: usize): u32 { return getU16(p, 5); }

export function putFragFixed(p: usize, msg: u32, inner: u32, index: u32, count: u32, total: u32): void {
  putU16(p, 0, msg);
  putU8(p, 2, inner);
  putU8(p, 3, index);
  putU8(p, 4, count);
  putU16(p, 5, total);
}
