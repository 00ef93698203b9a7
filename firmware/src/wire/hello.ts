// HELLO payload (docs/wire.md, 0x01): interval_ms:u16 epoch:u16 count:u8, then
// count x (id:u16 in_q:u8). `epoch` is drawn at random when the sender boots, so a
// receiver recognises a restart even when the hello sequence number does not step back.

import { fits, getU16, getU8, putU16, putU8 } from "../core/bytes";

export const HELLO_FIXED: u32 = 5;
export const HELLO_ENTRY: u32 = 3;

export function helloValid(p: usize, len: u32): bool {
  if (len < HELLO_FIXED) return false;
  const count = getU8(p, 4);
  return len == HELLO_FIXED + HELLO_ENTRY * count && getU16(p, 0) > 0;
}

// @ts-ignore: decorator
@inline export function helloInterval(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function helloEpoch(p: usize): u32 { return getU16(p, 2); }
// @ts-ignore: decorator
@inline export function helloCount(p: usize): u32 { return getU8(p, 4); }
// @ts-ignore: decorator
@inline export function helloEntryId(p: usize, i: u32): u32 { return getU16(p, HELLO_FIXED + i * HELLO_ENTRY); }
// @ts-ignore: decorator
@inline export function helloEntryQuality(p: usize, i: u32): u32 { return getU8(p, HELLO_FIXED + i * HELLO_ENTRY + 2); }

/** Neighbours a HELLO can list within `room` payload bytes (and the u8 count). */
export function helloRoom(room: u32): u32 {
  if (room < HELLO_FIXED) return 0;
  const n = (room - HELLO_FIXED) / HELLO_ENTRY;
  return n > 255 ? 255 : n;
}

export function putHelloFixed(p: usize, intervalMs: u32, epoch: u32, count: u32): void {
  putU16(p, 0, intervalMs);
  putU16(p, 2, epoch);
  putU8(p, 4, count);
}

export function putHelloEntry(p: usize, i: u32, id: u32, quality: u32): void {
  putU16(p, HELLO_FIXED + i * HELLO_ENTRY, id);
  putU8(p, HELLO_FIXED + i * HELLO_ENTRY + 2, quality);
}

/** Finds `id` in a validated HELLO; returns its in_q, or -1 when it is not listed. */
export function helloQualityOf(p: usize, len: u32, id: u32): i32 {
  const n = helloCount(p);
  for (let i: u32 = 0; i < n; i++) {
    if (!fits(len, HELLO_FIXED + i * HELLO_ENTRY, HELLO_ENTRY)) return -1;
    if (helloEntryId(p, i) == id) return <i32>helloEntryQuality(p, i);
  }
  return -1;
}
