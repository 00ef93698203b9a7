// Which taps of a filter window fall inside the input: the kernels skip padding by iterating
// only over those, which gives the same sums as TFLite's per-tap bounds check.

/** First tap k with origin + k * dilation >= 0. */
// @ts-ignore: decorator
@inline export function firstTap(origin: i32, dilation: i32): i32 {
  return origin >= 0 ? 0 : (dilation - 1 - origin) / dilation;
}

/** One past the last tap k < taps with origin + k * dilation < size (may be <= firstTap). */
// @ts-ignore: decorator
@inline export function endTap(origin: i32, dilation: i32, size: i32, taps: i32): i32 {
  const room = size - origin;
  if (room <= 0) return 0;
  const end = (room + dilation - 1) / dilation;
  return end < taps ? end : taps;
}
