// `inspect(2)`: the routing table as docs/abi.md lays it out.

import { fits, putU16, putU8 } from "../core/bytes";
import { RouteState } from "./state";

export const ROUTES_FIXED: u32 = 6;
export const ROUTE_ENTRY_BYTES: u32 = 10;
/** Header flag: the node is in its post-boot hold-down. */
export const DUMP_HOLDING: u32 = 1;

export function routesDumpBytes(capacity: u32): u32 {
  return ROUTES_FIXED + capacity * ROUTE_ENTRY_BYTES;
}

/**
 * `count:u16 own_seq:u16 flags:u8 reserved:u8`, then per entry
 * `dest:u16 next:u16 seq:u16 metric:u16 flags:u8 age_s:u8`; returns the bytes written.
 */
export function writeRoutes(rs: RouteState, out: usize, cap: u32, now: u32): u32 {
  if (cap < ROUTES_FIXED) return 0;
  const t = rs.table;
  let at = ROUTES_FIXED;
  let written: u32 = 0;
  for (let i = 0; i < t.size; i++) {
    if (!fits(cap, at, ROUTE_ENTRY_BYTES)) break;
    const r = t.at(i);
    putU16(out, at, <u32>r.dest);
    putU16(out, at + 2, <u32>r.next);
    putU16(out, at + 4, <u32>r.seq);
    putU16(out, at + 6, <u32>r.metric);
    putU8(out, at + 8, <u32>r.flags);
    const age = (now - r.updatedMs) / 1000;
    putU8(out, at + 9, age > 255 ? 255 : age);
    at += ROUTE_ENTRY_BYTES;
    written++;
  }
  putU16(out, 0, written);
  putU16(out, 2, rs.ownSeq);
  putU8(out, 4, rs.holding ? DUMP_HOLDING : 0);
  putU8(out, 5, 0);
  return at;
}
