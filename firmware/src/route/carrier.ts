// The one place message delivery hands its frames down to the route layer: `routeSend`,
// routed unicast to any node by next hop, with ACK_REQ on every hop when asked.

import { SendError } from "../hal";
import { HEADER_SIZE } from "../wire/format";
import { LINK_SEND_BUSY } from "../link/reliable";
import { RouteSendError } from "./forward";
import { routeKnown, routeSend } from "./service";

export const enum Carry {
  Ok = 0,
  /** Nothing sent: no room right now (retransmission pool or radio queue full). Try again soon. */
  Busy = -1,
  /** Nothing sent: no route to the destination. */
  NoRoute = -2,
  /** Nothing sent, and trying again will not help. */
  Failed = -3,
}

let mtu: u32 = 0;

export function carrierInit(frameMtu: u32): void {
  mtu = frameMtu;
}

/** Payload bytes one routed frame carries (the route layer adds no header of its own). */
export function carrierRoom(): u32 {
  return mtu - HEADER_SIZE;
}

export function hasRoute(dst: u32): bool {
  return routeKnown(dst);
}

/** Sends `len` payload bytes at `payload` as one frame of `type` to node `dst`; `flags` are header flags. */
export function carry(type: u32, dst: u32, payload: usize, len: u32, flags: u32): i32 {
  const r = routeSend(type, dst, payload, len, flags);
  if (r >= 0) return Carry.Ok;
  if (r == LINK_SEND_BUSY || r == SendError.QueueFull) return Carry.Busy;
  if (r == RouteSendError.NoRoute) return Carry.NoRoute;
  return Carry.Failed;
}
