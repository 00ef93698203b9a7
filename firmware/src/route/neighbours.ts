// The neighbour set a route core runs over, as a strategy: the core asks only what a link to
// a neighbour costs (METRIC_INFINITE = not usable as a next hop). Mesh mode uses every
// bidirectional neighbour of the link table at its ETX cost; a tree mode restricts the set to
// parent and children and counts hops, without touching the core.

import { LinkState } from "../link/state";
import { etxMetric, METRIC_INFINITE } from "./metric";

export abstract class NeighbourSet {
  /** Cost of the link to `id` at `now`, METRIC_INFINITE if it may not carry routes. */
  abstract cost(id: u32, now: u32): u32;
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
}
