// `inspect(1)`: the neighbour table as docs/abi.md lays it out, 10 bytes per entry.

import { fits, putU16, putU32, putU8 } from "../core/bytes";
import { LinkState } from "./state";

export const ENTRY_BYTES: u32 = 10;
export const FLAG_BIDIRECTIONAL: u32 = 1;

/** Bytes of the dump of a table with `capacity` entries. */
export function neighboursDumpBytes(capacity: u32): u32 {
  return 2 + capacity * ENTRY_BYTES;
}

/** Writes `count:u16` and as many entries as fit in `cap` bytes; returns the bytes written. */
export function writeNeighbours(s: LinkState, out: usize, cap: u32, now: u32): u32 {
  if (cap < 2) return 0;
  const t = s.table;
  let written: u32 = 0;
  let at: u32 = 2;
  for (let i = 0; i < t.size; i++) {
    if (!fits(cap, at, ENTRY_BYTES)) break;
    const n = t.at(i);
    putU16(out, at, <u32>n.id);
    putU8(out, at + 2, n.quality(now));
    putU8(out, at + 3, <u32>n.outQ);
    putU8(out, at + 4, <u32><i32>n.rssi);
    putU8(out, at + 5, n.bidirectional ? FLAG_BIDIRECTIONAL : 0);
    putU32(out, at + 6, now - n.heardMs);
    at += ENTRY_BYTES;
    written++;
  }
  putU16(out, 0, written);
  return at;
}
