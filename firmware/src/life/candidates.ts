// Candidate parents from a Wi-Fi scan (docs/abi.md, SCAN_DONE records
// `id:u16 rssi:i8 depth:u8 children:u8 flags:u8`). A softAP is a candidate when it says it is
// attached to a root and accepting children, at a real depth; the caller excludes its own
// subtree. Candidates are kept best first: least depth, then strongest signal, then fewest
// children (HERMES asks each candidate for its status in turn; the beacon already carries it).

import { WIFI_DEPTH_NONE, WIFI_SCAN_RECORD_BYTES, WifiFlag } from "../hal";
import { getI8, getU16, getU8 } from "../core/bytes";
import { DEPTH_MAX } from "../wire/lifecycle";

export class Candidates {
  ids: StaticArray<u16>;
  depths: StaticArray<u8>;
  rssis: StaticArray<i8>;
  children: StaticArray<u8>;
  size: i32 = 0;
  /** The next candidate to try. */
  cursor: i32 = 0;

  constructor(capacity: i32) {
    this.ids = new StaticArray<u16>(capacity);
    this.depths = new StaticArray<u8>(capacity);
    this.rssis = new StaticArray<i8>(capacity);
    this.children = new StaticArray<u8>(capacity);
  }

  clear(): void {
    this.size = 0;
    this.cursor = 0;
  }

  get left(): i32 {
    return this.size - this.cursor;
  }

  /** The next candidate to try (0 when none is left); advances the cursor. */
  next(): u32 {
    if (this.cursor >= this.size) return 0;
    return <u32>unchecked(this.ids[this.cursor++]);
  }

  /** Depth the candidate `id` advertised in the scan (WIFI_DEPTH_NONE if unknown). */
  depthOf(id: u32): u32 {
    for (let i = 0; i < this.size; i++) if (<u32>unchecked(this.ids[i]) == id) return <u32>unchecked(this.depths[i]);
    return WIFI_DEPTH_NONE;
  }

  /** Whether (depth, rssi, children) a is better than b. */
  static better(da: u32, ra: i32, ca: u32, db: u32, rb: i32, cb: u32): bool {
    if (da != db) return da < db;
    if (ra != rb) return ra > rb;
    return ca < cb;
  }

  /** Inserts in order; when full, a candidate worse than every kept one is dropped. */
  offer(id: u32, depth: u32, rssi: i32, kids: u32): void {
    let at = this.size;
    while (at > 0) {
      const j = at - 1;
      if (!Candidates.better(depth, rssi, kids, <u32>unchecked(this.depths[j]), <i32>unchecked(this.rssis[j]), <u32>unchecked(this.children[j]))) break;
      at = j;
    }
    const cap = this.ids.length;
    if (at >= cap) return;
    const last = this.size < cap ? this.size : cap - 1;
    for (let k = last; k > at; k--) {
      unchecked((this.ids[k] = this.ids[k - 1]));
      unchecked((this.depths[k] = this.depths[k - 1]));
      unchecked((this.rssis[k] = this.rssis[k - 1]));
      unchecked((this.children[k] = this.children[k - 1]));
    }
    unchecked((this.ids[at] = <u16>id));
    unchecked((this.depths[at] = <u8>depth));
    unchecked((this.rssis[at] = <i8>rssi));
    unchecked((this.children[at] = <u8>kids));
    if (this.size < cap) this.size++;
  }
}

/** Whether a scan record's advert makes it a parent candidate at all. */
export function advertAcceptable(depth: u32, flags: u32): bool {
  const want = <u32>(WifiFlag.Accepting | WifiFlag.RootAttached);
  return depth != WIFI_DEPTH_NONE && depth <= DEPTH_MAX && (flags & want) == want;
}

// Scan record fields at `p` (record i).
// @ts-ignore: decorator
@inline export function scanId(p: usize, i: u32): u32 { return getU16(p, i * WIFI_SCAN_RECORD_BYTES); }
// @ts-ignore: decorator
@inline export function scanRssi(p: usize, i: u32): i32 { return getI8(p, i * WIFI_SCAN_RECORD_BYTES + 2); }
// @ts-ignore: decorator
@inline export function scanDepth(p: usize, i: u32): u32 { return getU8(p, i * WIFI_SCAN_RECORD_BYTES + 3); }
// @ts-ignore: decorator
@inline export function scanChildren(p: usize, i: u32): u32 { return getU8(p, i * WIFI_SCAN_RECORD_BYTES + 4); }
// @ts-ignore: decorator
@inline export function scanFlags(p: usize, i: u32): u32 { return getU8(p, i * WIFI_SCAN_RECORD_BYTES + 5); }
