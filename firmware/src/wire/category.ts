// Traffic categories (docs/wire.md, "Categories"): every frame type belongs to one, so a
// node can report what its bytes are spent on the way HERMES reports its root's traffic.

import { MsgType } from "./format";

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
