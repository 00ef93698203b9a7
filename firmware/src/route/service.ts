// `routeSend` for the layers above, without a state parameter (like `linkSend`): it uses the
// route layer instance the node program bound at `init`.

import { now_ms } from "../hal";
import { nextHop, RouteSendError, sendRouted } from "./forward";
import { RouteState } from "./state";

let bound: RouteState | null = null;

export function bindRoute(rs: RouteState): void {
  bound = rs;
}

/**
 * Sends a frame of `type` carrying `len` bytes at `payload` to node `dst` by next hop
 * (BROADCAST: to every node of the network), header src = this node, hops = `hop_limit`,
 * `flags` ACK_REQ and/or FRAG. 0 = sent; see RouteSendError and linkSend for the rest.
 */
export function routeSend(type: u32, dst: u32, payload: usize, len: u32, flags: u32): i32 {
  if (bound === null) return RouteSendError.NoRoute;
  return sendRouted(bound!, type, dst, payload, len, flags, now_ms());
}

/** Whether node `dst` is reachable now: a valid route, or a usable neighbour. */
export function routeKnown(dst: u32): bool {
  return bound !== null && nextHop(bound!, dst, now_ms()) != 0;
}
