// Counter slots of the wire layer (0..39). Names are the ones docs/wire.md promises.

import { count, countBy, defineCounter } from "../core/counters";
import { CATEGORY_COUNT, categoryOf, frameCategoryOf } from "./category";

export const WIRE_RX: i32 = 0;
export const WIRE_TX: i32 = 1;
/** Slot of the drop counter for reason `r` (Drop.Short .. Drop.Tag) is WIRE_DROP_BASE + r. */
export const WIRE_DROP_BASE: i32 = 1;
/** Four slots per category: tx frames, tx bytes, rx frames, rx bytes. */
const CATEGORY_BASE: i32 = 16;

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
  defineCategory(0, "cat.routing.tx.frames", "cat.routing.tx.bytes", "cat.routing.rx.frames", "cat.routing.rx.bytes");
  defineCategory(1, "cat.lifecycle.tx.frames", "cat.lifecycle.tx.bytes", "cat.lifecycle.rx.frames", "cat.lifecycle.rx.bytes");
  defineCategory(2, "cat.middleware.tx.frames", "cat.middleware.tx.bytes", "cat.middleware.rx.frames", "cat.middleware.rx.bytes");
  defineCategory(3, "cat.data.tx.frames", "cat.data.tx.bytes", "cat.data.rx.frames", "cat.data.rx.bytes");
  defineCategory(4, "cat.monitoring.tx.frames", "cat.monitoring.tx.bytes", "cat.monitoring.rx.frames", "cat.monitoring.rx.bytes");
}

function defineCategory(category: i32, txFrames: string, txBytes: string, rxFrames: string, rxBytes: string): void {
  const base = CATEGORY_BASE + category * 4;
  defineCounter(base, txFrames);
  defineCounter(base + 1, txBytes);
  defineCounter(base + 2, rxFrames);
  defineCounter(base + 3, rxBytes);
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
