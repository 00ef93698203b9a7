// The neighbour set a route core runs over, as a strategy: the core asks only what a link to
// a neighbour costs (METRIC_INFINITE = not usable as a next hop). Mesh mode uses every
// bidirectional neighbour of the link table at its ETX cost; a tree mode restricts the set to
// parent and children and counts hops, without touching the core.

import { LinkState } from "../link/state";
import { etxMetric, METRIC_INFINITE, METRIC_UNIT } from "./metric";

export abstract class NeighbourSet {
  /** Cost of the link to `id` at `now`, METRIC_INFINITE if it may not carry routes. */
  abstract cost(id: u32, now: u32): u32;

  /** Whether `id` is still a neighbour at all (used to resynchronise after lost changes). */
  abstract has(id: u32): bool;

  /**
   * Whether a newer sequence number with a valid route replaces ours even when another
   * neighbour offers it over a longer path. Mesh mode defers such offers (docs/routing.md, "Rules"); in a tree
   * there is one path, so a newer number over another neighbour means the topology changed.
   */
  newerReplaces(): bool {
    return false;
  }
}

/** Mesh mode: bidirectional neighbours of the link table, ETX from hello reception. */
export class MeshNeighbours extends NeighbourSet {
  link: LinkState;

  constructor(link: LinkState) {
    super();
    this.link = link;
  }

  cost(id: u32, now: u32): u32 {
    const i = this.link.table.find(id);
    if (i < 0) return METRIC_INFINITE;
    const n = this.link.table.at(i);
    if (!n.bidirectional) return METRIC_INFINITE;
    return etxMetric(n.quality(now), <u32>n.outQ);
  }

  has(id: u32): bool {
    return this.link.table.find(id) >= 0;
  }
}

/** TreeNeighbours.flags bits of a child: registered; asked whether it is alive (life/). */
export const CHILD_REGISTERED: u8 = 1;
export const CHILD_PROBED: u8 = 2;

/**
 * Tree mode: the parent this node registered with and the children that registered with it,
 * one hop each (metric = hop count). Only these carry routes, so every next hop lies on the
 * tree. The lifecycle (life/) keeps the membership; the route core only asks `cost`.
 * Node ids are the addresses, so a child's id is all its mapping needs.
 */
export class TreeNeighbours extends NeighbourSet {
  /** The registered parent, 0 while there is none. */
  parent: u32 = 0;
  /** Stations on our softAP (CHILD_UP), registered or not, in arrival order. */
  ids: StaticArray<u16>;
  flags: StaticArray<u8>;
  /** Failed unicasts in a row to each child (life/: `tree_fail_limit`). */
  fails: StaticArray<u8>;
  size: i32 = 0;

  constructor(capacity: i32) {
    super();
    this.ids = new StaticArray<u16>(capacity);
    this.flags = new StaticArray<u8>(capacity);
    this.fails = new StaticArray<u8>(capacity);
  }

  get capacity(): i32 {
    return this.ids.length;
  }

  cost(id: u32, now: u32): u32 {
    if (id == 0) return METRIC_INFINITE;
    if (id == this.parent) return METRIC_UNIT;
    const i = this.find(id);
    return i >= 0 && (unchecked(this.flags[i]) & CHILD_REGISTERED) != 0 ? METRIC_UNIT : METRIC_INFINITE;
  }

  has(id: u32): bool {
    return this.cost(id, 0) < METRIC_INFINITE;
  }

  /** One path per destination: a newer number with a valid route replaces ours whoever brings it (HERMES §3.2.3). */
  newerReplaces(): bool {
    return true;
  }

  find(id: u32): i32 {
    for (let i = 0; i < this.size; i++) if (<u32>unchecked(this.ids[i]) == id) return i;
    return -1;
  }

  idAt(i: i32): u32 {
    return <u32>unchecked(this.ids[i]);
  }

  registeredAt(i: i32): bool {
    return (unchecked(this.flags[i]) & CHILD_REGISTERED) != 0;
  }

  /** A station joined our softAP; false when the table is full. */
  add(id: u32): bool {
    if (this.find(id) >= 0) return true;
    if (this.size >= this.ids.length) return false;
    unchecked((this.ids[this.size] = <u16>id));
    unchecked((this.flags[this.size] = 0));
    unchecked((this.fails[this.size] = 0));
    this.size++;
    return true;
  }

  register(i: i32): void {
    unchecked((this.flags[i] = this.flags[i] | CHILD_REGISTERED));
  }

  /** Marks child `i` as probed; false if it already was (one probe until it is heard again). */
  probe(i: i32): bool {
    const f = unchecked(this.flags[i]);
    if ((f & CHILD_PROBED) != 0) return false;
    unchecked((this.flags[i] = f | CHILD_PROBED));
    return true;
  }

  /** Child `i` was heard: clears its probe and failure count. */
  heard(i: i32): void {
    unchecked((this.flags[i] = this.flags[i] & ~CHILD_PROBED));
    unchecked((this.fails[i] = 0));
  }

  removeAt(i: i32): void {
    const last = this.size - 1;
    unchecked((this.ids[i] = this.ids[last]));
    unchecked((this.flags[i] = this.flags[last]));
    unchecked((this.fails[i] = this.fails[last]));
    this.size = last;
  }

  registered(): i32 {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (this.registeredAt(i)) n++;
    return n;
  }
}
