// One routing-table entry: a flat 13-byte record (@unmanaged, no object header) inside the
// table's single buffer, like the link layer's neighbours.

import { METRIC_INFINITE } from "./metric";

/** Set by a significant change, cleared when the entry goes out in an update. */
export const ROUTE_CHANGED: u8 = 1;
/**
 * A newer number was asked of the destination through this node (seqreq.ts): the next newer
 * number accepted is significant, so the answer travels back at once.
 */
export const ROUTE_AWAIT: u8 = 2;

// @ts-ignore: decorator
@unmanaged
export class Route {
  /** Time of the last accepted change. */
  updatedMs: u32;
  dest: u16;
  next: u16;
  /** Destination sequence number (seq.ts); odd = unreachable. */
  seq: u16;
  /** Path cost (metric.ts); METRIC_INFINITE = unreachable. */
  metric: u16;
  flags: u8;

  get valid(): bool {
    return <u32>this.metric < METRIC_INFINITE;
  }

  get changed(): bool {
    return (this.flags & ROUTE_CHANGED) != 0;
  }
}

export const ROUTE_BYTES: usize = offsetof<Route>();
