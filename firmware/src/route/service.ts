// `routeSend` for the layers above, without a state parameter (like `linkSend`): it uses the
// route layer instance the node program bound at `init`.

import { now_ms } from "../hal";
import { nextHop, RouteSendError, sendRouted } from "./forward";
import { METRIC_INFINITE } from "./metric";
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

/** The path cost to node `dst` (metric.ts; 16 = one lossless hop): its route, else a neighbour link; METRIC_INFINITE when unknown. */
export function routeMetric(dst: u32): u32 {
  if (bound === null) return METRIC_INFINITE;
  const rs = bound!;
  const i = rs.table.find(dst);
  if (i >= 0) {
    const r = rs.table.at(i);
    if (r.valid) return <u32>r.metric;
  }
  return rs.nb.cost(dst, now_ms());
}
