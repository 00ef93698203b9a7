// The recent history of each sensor slot, which data-source clustering compares (Elastic AI
// §6.2: sensors measuring the same phenomenon produce similar series). One ring buffer per
// slot inside a single StaticArray, sized once, so a fusion node's memory is fixed by its
// config: 8 bytes x sensors x length (plus two i32 per slot).
//
// Slots are compared sample by sample from the newest backwards, so the caller pushes one
// sample per slot per sampling round; a slot that missed rounds should be cleared rather
// than left misaligned with the others.

export const SERIES_MAX_SENSORS: i32 = 32;
export const SERIES_MAX_LENGTH: i32 = 64;

export class SeriesWindow {
  /** Slots: sensor k of the fusion node is slot k, and masks use bit k. */
  sensors: i32;
  /** Samples kept per slot. */
  length: i32;
  samples: StaticArray<f64>;
  /** Where the next sample of each slot goes. */
  heads: StaticArray<i32>;
  counts: StaticArray<i32>;

  constructor(sensors: i32, length: i32) {
    // Masks are u32, so more slots could not be named; the clamp keeps a bad config harmless.
    const s = clampTo(sensors, 1, SERIES_MAX_SENSORS);
    const l = clampTo(length, 1, SERIES_MAX_LENGTH);
    this.sensors = s;
    this.length = l;
    this.samples = new StaticArray<f64>(s * l);
    this.heads = new StaticArray<i32>(s);
    this.counts = new StaticArray<i32>(s);
  }

  /**
   * Appends a sample, overwriting the slot's oldest once full. A non-finite value is not a
   * sample (one NaN would make every correlation of the slot NaN): dropped, returns false.
   */
  push(slot: i32, value: f64): bool {
    if (!this.has(slot) || !isFinite(value)) return false;
    const head = unchecked(this.heads[slot]);
    unchecked((this.samples[slot * this.length + head] = value));
    unchecked((this.heads[slot] = head + 1 == this.length ? 0 : head + 1));
    const n = unchecked(this.counts[slot]);
    if (n < this.length) unchecked((this.counts[slot] = n + 1));
    return true;
  }

  /** Forgets a slot's history: a sensor that left, or restarted, starts afresh. */
  clear(slot: i32): void {
    if (!this.has(slot)) return;
    unchecked((this.heads[slot] = 0));
    unchecked((this.counts[slot] = 0));
  }

  /** Samples held for the slot (0 for a slot out of range). */
  count(slot: i32): i32 {
    return this.has(slot) ? unchecked(this.counts[slot]) : 0;
  }

  /** The k-th most recent sample (k = 0: the newest); NaN when the slot holds no such sample. */
  recent(slot: i32, k: i32): f64 {
    if (!this.has(slot) || k < 0 || k >= unchecked(this.counts[slot])) return NaN;
    return this.at(slot, k);
  }

  /** `recent` without the checks, for loops that already bounded slot and k by `count`. */
  // @ts-ignore: decorator
  @inline at(slot: i32, k: i32): f64 {
    let i = unchecked(this.heads[slot]) - 1 - k;
    if (i < 0) i += this.length;
    return unchecked(this.samples[slot * this.length + i]);
  }

  /** Slots holding at least `min` samples: a ready-made active mask. */
  readyMask(min: i32): u32 {
    let mask: u32 = 0;
    for (let s = 0; s < this.sensors; s++) if (unchecked(this.counts[s]) >= min) mask |= <u32>1 << s;
    return mask;
  }

  // @ts-ignore: decorator
  @inline has(slot: i32): bool {
    return slot >= 0 && slot < this.sensors;
  }
}

function clampTo(v: i32, lo: i32, hi: i32): i32 {
  return v < lo ? lo : v > hi ? hi : v;
}
