// ROUTE_UPDATE payload (docs/wire.md, 0x10): flags:u8 count:u8 digest:u16, then
// count x (dest:u16 seq:u16 metric:u16). The first entry is the sender itself.

import { getU16, getU8, putU16, putU8 } from "../core/bytes";
import { ADDR_BROADCAST } from "./format";

export const ROUTE_UPDATE_FIXED: u32 = 4;
export const ROUTE_ENTRY: u32 = 6;
/** A full update: the sender's whole table (possibly over several frames). */
export const RU_FULL: u32 = 1;
/** The sender has just booted or left hold-down and asks its neighbours for their tables. */
export const RU_SOLICIT: u32 = 2;
export const RU_RESERVED: u32 = 0xfc;

export function routeUpdateValid(p: usize, len: u32): bool {
  if (len < ROUTE_UPDATE_FIXED + ROUTE_ENTRY) return false;
  const count = getU8(p, 1);
  if ((getU8(p, 0) & RU_RESERVED) != 0 || len != ROUTE_UPDATE_FIXED + ROUTE_ENTRY * count) return false;
  for (let i: u32 = 0; i < count; i++) {
    const dest = getU16(p, ROUTE_UPDATE_FIXED + i * ROUTE_ENTRY);
    if (dest == 0 || dest == ADDR_BROADCAST) return false;
  }
  return true;
}

/** ROUTE_SEQ_REQ payload (0x11): seq:u16, the (odd) number the destination must move past. */
export const ROUTE_SEQ_REQ_SIZE: u32 = 2;

export function routeSeqReqValid(len: u32): bool {
  return len == ROUTE_SEQ_REQ_SIZE;
}

/** Entries that fit a frame of `mtu` bytes (the header takes 12). */
export function routeEntriesPerFrame(mtu: u32): u32 {
  const room = mtu - 12 - ROUTE_UPDATE_FIXED;
  const n = room / ROUTE_ENTRY;
  return n > 255 ? 255 : n;
}

// @ts-ignore: decorator
@inline export function ruFlags(p: usize): u32 { return getU8(p, 0); }
// @ts-ignore: decorator
@inline export function ruCount(p: usize): u32 { return getU8(p, 1); }
// @ts-ignore: decorator
@inline export function ruDigest(p: usize): u32 { return getU16(p, 2); }
// @ts-ignore: decorator
@inline export function ruDest(p: usize, i: u32): u32 { return getU16(p, ROUTE_UPDATE_FIXED + i * ROUTE_ENTRY); }
// @ts-ignore: decorator
@inline export function ruSeq(p: usize, i: u32): u32 { return getU16(p, ROUTE_UPDATE_FIXED + i * ROUTE_ENTRY + 2); }
// @ts-ignore: decorator
@inline export function ruMetric(p: usize, i: u32): u32 { return getU16(p, ROUTE_UPDATE_FIXED + i * ROUTE_ENTRY + 4); }

export function putRouteUpdateFixed(p: usize, flags: u32, count: u32, digest: u32): void {
  putU8(p, 0, flags);
  putU8(p, 1, count);
  putU16(p, 2, digest);
}

export function putRouteEntry(p: usize, i: u32, dest: u32, seq: u32, metric: u32): void {
  const at = ROUTE_UPDATE_FIXED + i * ROUTE_ENTRY;
  putU16(p, at, dest);
  putU16(p, at + 2, seq);
  putU16(p, at + 4, metric);
}
