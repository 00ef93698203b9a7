// Traffic categories (docs/wire.md, "Categories"): every frame type belongs to one, so a
// node can report what its bytes are spent on the way HERMES reports its root's traffic.

import { HEADER_SIZE, MsgType, OFF_TYPE } from "./format";

export const enum Category {
  Routing = 0,
  Lifecycle = 1,
  Middleware = 2,
  Data = 3,
  Monitoring = 4,
}

export const CATEGORY_COUNT: u32 = 5;

/** Category of a message type, by the type's range; pings are monitoring traffic. */
export function categoryOf(type: u32): u32 {
  if (type == MsgType.Ping || type == MsgType.Pong) return Category.Monitoring;
  if (type < 0x20) return Category.Routing;
  if (type < 0x30) return Category.Lifecycle;
  if (type < 0x40) return Category.Middleware;
  if (type < 0x70) return Category.Data;
  return Category.Monitoring;
}

/** Offset of a FRAG payload's inner type (wire/frag.ts), from the start of the frame. */
const FRAG_INNER_AT: u32 = HEADER_SIZE + 2;

/**
 * Category of a whole frame of `len` bytes: its type's, except that a FRAG counts in the
 * category of the message it carries, so fragmented data is counted as data.
 */
export function frameCategoryOf(frame: usize, len: u32): u32 {
  const type = <u32>load<u8>(frame + OFF_TYPE);
  if (type == MsgType.Frag && len > FRAG_INNER_AT) return categoryOf(<u32>load<u8>(frame + FRAG_INNER_AT));
  return categoryOf(type);
}
