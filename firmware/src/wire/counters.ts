// Counter slots of the wire layer (0..39). Names are the ones docs/wire.md promises.

import { count, countBy, defineCounterBlock } from "../core/counters";
import { CATEGORY_COUNT, categoryOf, frameCategoryOf } from "./category";

export const WIRE_RX: i32 = 0;
export const WIRE_TX: i32 = 1;
/** Slot of the drop counter for reason `r` (Drop.Short .. Drop.Tag) is WIRE_DROP_BASE + r. */
export const WIRE_DROP_BASE: i32 = 1;
/** Four slots per category: tx frames, tx bytes, rx frames, rx bytes. */
const CATEGORY_BASE: i32 = 16;

export function defineWireCounters(): void {
  // Slots 0 .. 10: wire.rx, wire.tx, then the drop reasons in Drop order (WIRE_DROP_BASE + r).
  defineCounterBlock(WIRE_RX, "wire.rx wire.tx wire.drop.short wire.drop.long wire.drop.version wire.drop.flags wire.drop.length wire.drop.addr wire.drop.type wire.drop.payload wire.drop.tag");
  // Slots 11 .. 15 stay unnamed. Then four slots per category, in category order: tx frames,
  // tx bytes, rx frames, rx bytes.
  defineCounterBlock(CATEGORY_BASE, "cat.routing.tx.frames cat.routing.tx.bytes cat.routing.rx.frames cat.routing.rx.bytes cat.lifecycle.tx.frames cat.lifecycle.tx.bytes cat.lifecycle.rx.frames cat.lifecycle.rx.bytes cat.middleware.tx.frames cat.middleware.tx.bytes cat.middleware.rx.frames cat.middleware.rx.bytes cat.data.tx.frames cat.data.tx.bytes cat.data.rx.frames cat.data.rx.bytes cat.monitoring.tx.frames cat.monitoring.tx.bytes cat.monitoring.rx.frames cat.monitoring.rx.bytes");
}

/** Counts one frame of `type` and `bytes` (whole frame, header included) in its category. */
export function countCategory(type: u32, bytes: u32, received: bool): void {
  countInCategory(categoryOf(type), bytes, received);
}

/** Counts the `len`-byte frame at `frame` in its category (a FRAG in its inner type's). */
export function countFrameCategory(frame: usize, len: u32, received: bool): void {
  countInCategory(frameCategoryOf(frame, len), len, received);
}

function countInCategory(category: u32, bytes: u32, received: bool): void {
  if (category >= CATEGORY_COUNT) return;
  const slot = CATEGORY_BASE + <i32>category * 4 + (received ? 2 : 0);
  count(slot);
  countBy(slot + 1, bytes);
}

/** First slot free for the next layer up. */
export const WIRE_COUNTERS_END: i32 = CATEGORY_BASE + <i32>CATEGORY_COUNT * 4;
