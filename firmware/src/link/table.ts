// Fixed-capacity neighbour table: one buffer of records allocated in `init`. The used
// records are kept packed at the front (removal copies the last one into the gap), so every
// walk is over `size` entries and nothing is ever allocated again.
//
// Full-table policy: a newly heard node replaces the entry with the lowest current quality
// (ties: the one heard longest ago) only if that quality is below EVICT_BELOW, i.e. the
// entry has lost at least half of its recent hellos. Otherwise the newcomer is turned away
// and retried on its next hello. Good, established links are never displaced by a node
// we have heard once, and a dying link makes room quickly.

import { Neighbour, NEIGHBOUR_BYTES } from "./neighbour";

export const EVICT_BELOW: u32 = 128;

export class NeighbourTable {
  /** `capacity` records of NEIGHBOUR_BYTES each. */
  records: StaticArray<u8>;
  capacity: i32;
  size: i32 = 0;

  constructor(capacity: i32) {
    this.capacity = capacity;
    this.records = new StaticArray<u8>(capacity * <i32>NEIGHBOUR_BYTES);
  }

  /** The record at index `i` (0 <= i < capacity). */
  at(i: i32): Neighbour {
    return changetype<Neighbour>(changetype<usize>(this.records) + <usize>i * NEIGHBOUR_BYTES);
  }

  /** Index of neighbour `id`, or -1. */
  find(id: u32): i32 {
    for (let i = 0; i < this.size; i++) {
      if (<u32>this.at(i).id == id) return i;
    }
    return -1;
  }

  /** Claims a zeroed record for `id`; -1 when full. The caller fills the rest. */
  add(id: u32): i32 {
    if (this.size >= this.capacity) return -1;
    const i = this.size++;
    const n = this.at(i);
    memory.fill(changetype<usize>(n), 0, NEIGHBOUR_BYTES);
    n.id = <u16>id;
    return i;
  }

  removeAt(i: i32): void {
    const last = --this.size;
    if (i != last) memory.copy(changetype<usize>(this.at(i)), changetype<usize>(this.at(last)), NEIGHBOUR_BYTES);
  }

  /** The entry a newcomer may replace under the full-table policy, or -1. */
  evictionCandidate(now: u32): i32 {
    let worst = -1;
    let worstQ: u32 = EVICT_BELOW;
    let worstAge: u32 = 0;
    for (let i = 0; i < this.size; i++) {
      const n = this.at(i);
      const q = n.quality(now);
      const age = now - n.heardMs;
      if (q < worstQ || (q == worstQ && worst >= 0 && age > worstAge)) {
        worst = i;
        worstQ = q;
        worstAge = age;
      }
    }
    return worst;
  }
}
