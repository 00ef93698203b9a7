// Pure link-model functions: how long a frame takes and how strong it arrives. Kept apart
// from the event plumbing so each can be tested with plain numbers.

/** Propagation + serialisation: base latency plus the frame's bits at the link rate. */
export function linkLatencyUs(baseLatencyMs: number, bytes: number, bandwidthBps: number): number {
  return Math.round(baseLatencyMs * 1000) + airtimeUs(bytes, bandwidthBps);
}

/** Time the sender's radio is occupied by one frame. */
export function airtimeUs(bytes: number, bandwidthBps: number): number {
  return Math.ceil((bytes * 8 * 1_000_000) / bandwidthBps);
}

export interface Point {
  x: number;
  y: number;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/**
 * Log-distance path loss (exponent 2.7, -40 dBm at 1 m): a plausible RSSI for the node's
 * link-quality estimate. Nothing in the simulator decides delivery from it.
 */
export function rssiAt(distanceM: number): number {
  const d = Math.max(distanceM, 1);
  return Math.max(-100, Math.round(-40 - 27 * Math.log10(d)));
}

/** RSSI reported on links given without positions. */
export const DEFAULT_RSSI = -60;
