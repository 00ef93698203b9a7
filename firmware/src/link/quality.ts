// Link-quality estimate from HELLO sequence numbers. A neighbour's hellos are numbered, so
// the receiver keeps a bitmap of the last WINDOW hello slots (bit 0 = newest) and the
// quality is the fraction of those slots actually heard, scaled to 0..255. Only slots since
// the neighbour was first heard count (`span`), so a new neighbour starts at full quality
// instead of climbing from 1/16. All functions here are pure.

export const WINDOW: u32 = 16;
const WINDOW_MASK: u32 = (1 << WINDOW) - 1;

/** Hello slots between the last heard sequence number and `seq` (u16, wraps). 0 = repeat. */
export function seqGap(lastSeq: u32, seq: u32): u32 {
  return (seq - lastSeq) & 0xffff;
}

/** A gap this large means the sender went backwards: it restarted, or the hello is stale. */
export function isRestart(gap: u32): bool {
  return gap >= 0x8000;
}

/** Window after hearing the hello `gap` slots after the previous one (gap >= 1). */
export function slideWindow(window: u32, gap: u32): u32 {
  if (gap >= WINDOW) return 1;
  return ((window << gap) | 1) & WINDOW_MASK;
}

/** Number of window slots that have elapsed since first hearing the neighbour (max WINDOW). */
export function slideSpan(span: u32, gap: u32): u32 {
  const s = span + gap;
  return s > WINDOW ? WINDOW : s;
}

/** Heard fraction of the last `span` slots, 0..255. */
export function windowQuality(window: u32, span: u32): u32 {
  if (span == 0) return 0;
  const s = span > WINDOW ? WINDOW : span;
  const mask: u32 = s == 32 ? 0xffffffff : (<u32>1 << s) - 1;
  return popcnt<u32>(window & mask) * 255 / s;
}

/**
 * Hellos the neighbour should have sent since it was last heard, given the interval it
 * announced. Up to 1.5 intervals count as none so sender jitter does not look like loss.
 */
export function overdueHellos(ageMs: u32, intervalMs: u32): u32 {
  if (intervalMs == 0) return 0;
  const half = intervalMs >> 1;
  if (ageMs < intervalMs + half) return 0;
  return (ageMs - half) / intervalMs;
}

/** Quality now: the window shifted by the hellos that are overdue. */
export function currentQuality(window: u32, span: u32, overdue: u32): u32 {
  if (overdue == 0) return windowQuality(window, span);
  const shifted = overdue >= WINDOW ? 0 : (window << overdue) & WINDOW_MASK;
  return windowQuality(shifted, slideSpan(span, overdue));
}
