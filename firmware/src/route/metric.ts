// The mesh metric (docs/routing.md, "Metric"): expected transmission count (ETX) in units of
// 1/16 of a perfect hop. A link whose hellos arrive with probability dr (our in_q) and whose
// hellos of ours arrive with df (the neighbour's report, out_q) costs 16 / (df x dr), so a
// lossless hop costs exactly 16 and shortest-by-metric equals shortest-by-hops on lossless
// graphs. Pure functions.

export const METRIC_UNIT: u32 = 16;
/** "Unreachable": never a valid metric. */
export const METRIC_INFINITE: u32 = 0xffff;
/** A link costs at most 64 perfect hops; a worse one is still better than none. */
export const LINK_METRIC_MAX: u32 = 64 * METRIC_UNIT;
/** A path change smaller than this is not worth a triggered update (docs/routing.md). */
export const METRIC_SIGNIFICANT: u32 = METRIC_UNIT;

/** Cost of a link from the two delivery ratios (0..255 each); infinite if either is 0. */
export function etxMetric(inQ: u32, outQ: u32): u32 {
  if (inQ == 0 || outQ == 0) return METRIC_INFINITE;
  const m: u32 = (255 * 255 * METRIC_UNIT + ((inQ * outQ) >> 1)) / (inQ * outQ);
  return m > LINK_METRIC_MAX ? LINK_METRIC_MAX : m;
}

/** Cost of a path: a + b, saturating at infinity. */
export function addMetric(a: u32, b: u32): u32 {
  if (a >= METRIC_INFINITE || b >= METRIC_INFINITE) return METRIC_INFINITE;
  const sum = a + b;
  return sum >= METRIC_INFINITE ? METRIC_INFINITE : sum;
}
