// Counter slots of the wire layer (0..15). Names are the ones docs/wire.md promises.

import { defineCounter } from "../core/counters";

export const WIRE_RX: i32 = 0;
export const WIRE_TX: i32 = 1;
/** Slot of the drop counter for reason `r` (Drop.Short .. Drop.Tag) is WIRE_DROP_BASE + r. */
export const WIRE_DROP_BASE: i32 = 1;

export function defineWireCounters(): void {
  defineCounter(WIRE_RX, "wire.rx");
  defineCounter(WIRE_TX, "wire.tx");
  defineCounter(WIRE_DROP_BASE + 1, "wire.drop.short");
  defineCounter(WIRE_DROP_BASE + 2, "wire.drop.long");
  defineCounter(WIRE_DROP_BASE + 3, "wire.drop.version");
  defineCounter(WIRE_DROP_BASE + 4, "wire.drop.flags");
  defineCounter(WIRE_DROP_BASE + 5, "wire.drop.length");
  defineCounter(WIRE_DROP_BASE + 6, "wire.drop.addr");
  defineCounter(WIRE_DROP_BASE + 7, "wire.drop.type");
  defineCounter(WIRE_DROP_BASE + 8, "wire.drop.payload");
  defineCounter(WIRE_DROP_BASE + 9, "wire.drop.tag");
}

/** First slot free for the next layer up. */
export const WIRE_COUNTERS_END: i32 = 16;
