// Fragment bitmaps: bit i (byte i >> 3, bit i & 7) stands for fragment i, the layout FRAG_ACK
// carries on the wire, so a bitmap is copied into a frame as it is.

/** Bytes holding the largest bitmap: 255 fragments. */
export const BITMAP_BYTES: u32 = 32;

// @ts-ignore: decorator
@inline export function bitGet(map: usize, i: u32): bool {
  return (load<u8>(map + (i >> 3)) & (1 << (i & 7))) != 0;
}

// @ts-ignore: decorator
@inline export function bitSet(map: usize, i: u32): void {
  const at = map + (i >> 3);
  store<u8>(at, <u8>(<u32>load<u8>(at) | (<u32>1 << (i & 7))));
}

// @ts-ignore: decorator
@inline export function bitClear(map: usize, i: u32): void {
  const at = map + (i >> 3);
  store<u8>(at, <u8>(<u32>load<u8>(at) & ~(<u32>1 << (i & 7))));
}

export function bitsClearAll(map: usize): void {
  memory.fill(map, 0, BITMAP_BYTES);
}

/** Sets bits 0..count-1 and clears the rest. */
export function bitsFill(map: usize, count: u32): void {
  bitsClearAll(map);
  for (let i: u32 = 0; i < count; i++) bitSet(map, i);
}

/** Bits set among 0..count-1. */
export function bitsCount(map: usize, count: u32): u32 {
  let n: u32 = 0;
  for (let i: u32 = 0; i < count; i++) if (bitGet(map, i)) n++;
  return n;
}

/** First set bit at or after `from` below `count`, or -1. */
export function bitsNext(map: usize, from: u32, count: u32): i32 {
  for (let i = from; i < count; i++) if (bitGet(map, i)) return <i32>i;
  return -1;
}

/** Highest set bit below `count`, or -1. */
export function bitsLast(map: usize, count: u32): i32 {
  for (let i = <i32>count - 1; i >= 0; i--) if (bitGet(map, <u32>i)) return i;
  return -1;
}

/** dst = all of 0..count-1 that are not in `have`. */
export function bitsMissing(dst: usize, have: usize, count: u32): void {
  bitsClearAll(dst);
  for (let i: u32 = 0; i < count; i++) if (!bitGet(have, i)) bitSet(dst, i);
}

/** dst &= ~remove, over the whole bitmap. */
export function bitsRemove(dst: usize, remove: usize, bytes: u32): void {
  for (let i: u32 = 0; i < bytes; i++) store<u8>(dst + i, load<u8>(dst + i) & ~load<u8>(remove + i));
}

/** dst |= add, over `bytes` bytes. */
export function bitsAdd(dst: usize, add: usize, bytes: u32): void {
  for (let i: u32 = 0; i < bytes; i++) store<u8>(dst + i, load<u8>(dst + i) | load<u8>(add + i));
}
