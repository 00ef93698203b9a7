// Fixed-capacity routing table, allocated once in `init` from `route_capacity`. Records are
// kept sorted by destination so a lookup is a binary search (a 200-node update touches every
// entry); adding a destination moves the records above it up by one. A full table turns new
// destinations away (`route.table.full`): entries are never dropped, because forgetting a
// destination's sequence number could let an older route in (docs/routing.md).

import { Route, ROUTE_BYTES } from "./entry";
import { METRIC_INFINITE } from "./metric";

export class RouteTable {
  records: StaticArray<u8>;
  capacity: i32;
  size: i32 = 0;

  constructor(capacity: i32) {
    this.capacity = capacity;
    this.records = new StaticArray<u8>(capacity * <i32>ROUTE_BYTES);
  }

  at(i: i32): Route {
    return changetype<Route>(changetype<usize>(this.records) + <usize>i * ROUTE_BYTES);
  }

  /** Index of `dest`, or -(insertion point) - 1 when absent. */
  search(dest: u32): i32 {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = <u32>this.at(mid).dest;
      if (d == dest) return mid;
      if (d < dest) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  find(dest: u32): i32 {
    const i = this.search(dest);
    return i >= 0 ? i : -1;
  }

  /**
   * `find`, trying record `hint` first. An update lists its routes in table order (sorted by
   * destination), so the record after the last one found is usually the next one asked for:
   * one comparison instead of a binary search per entry.
   */
  findFrom(dest: u32, hint: i32): i32 {
    if (hint >= 0 && hint < this.size && <u32>this.at(hint).dest == dest) return hint;
    return this.find(dest);
  }

  /** Claims an unreachable record for `dest` (absent); -1 when full. The caller fills it. */
  insert(dest: u32): i32 {
    if (this.size >= this.capacity) return -1;
    const i = -this.search(dest) - 1;
    const from = changetype<usize>(this.at(i));
    memory.copy(from + ROUTE_BYTES, from, <usize>(this.size - i) * ROUTE_BYTES);
    this.size++;
    memory.fill(from, 0, ROUTE_BYTES);
    const r = this.at(i);
    r.dest = <u16>dest;
    r.metric = <u16>METRIC_INFINITE;
    return i;
  }

  /** Valid routes (finite metric). */
  reachable(): i32 {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (this.at(i).valid) n++;
    return n;
  }
}
