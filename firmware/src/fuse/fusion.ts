// One time step's fusion: the readings collected for it, and FTI or average pooling over
// them (docs/fusion.md). Storage is allocated once, for `capacity` readings; fusing
// allocates nothing, so a node can fuse every step for as long as it runs.

import { faultTolerance, QOS_MAX, QOS_MIN, wantedFaulty } from "./qos";
import { ftiInterval, kthLargest } from "./fti";
import { mixturePeak } from "./peak";
import { readingValid } from "./reading";

/** Bits of FuseResult.flags; docs/fusion.md and the FUSED record carry them as they are. */
export const enum FuseFlag {
  /** More than f readings disagree: the fused interval is empty and `value` is the fallback. */
  Empty = 1,
  /** Too few readings for the QoS level: f was lowered to what they can outvote. */
  ReducedF = 2,
  /** No valid reading: `value` is NaN. */
  None = 4,
  /** Some readings were rejected (NaN, infinite, huge, accuracy not above zero). */
  Rejected = 8,
}

export class FuseResult {
  value: f64 = NaN;
  /** FTI's fused interval; for average pooling the lowest and highest reading. */
  lo: f64 = NaN;
  hi: f64 = NaN;
  flags: u32 = 0;
  /** Valid readings that took part. */
  used: i32 = 0;
  /** The fault tolerance FTI used. */
  f: i32 = 0;
  rejected: i32 = 0;
  /** Comparisons and density terms counted. */
  ops: u32 = 0;
}

export class Fusion {
  readonly capacity: i32;
  /** The readings added since `clear`, valid or not. */
  count: i32 = 0;
  values: StaticArray<f64>;
  accuracies: StaticArray<f64>;
  // Working storage: the valid readings, a scratch copy for selection, the interval, a counter.
  private m: StaticArray<f64>;
  private a: StaticArray<f64>;
  private scratch: StaticArray<f64>;
  private interval: StaticArray<f64> = new StaticArray<f64>(2);
  private ops: StaticArray<u32> = new StaticArray<u32>(1);

  constructor(capacity: i32) {
    this.capacity = capacity;
    this.values = new StaticArray<f64>(capacity);
    this.accuracies = new StaticArray<f64>(capacity);
    this.m = new StaticArray<f64>(capacity);
    this.a = new StaticArray<f64>(capacity);
    this.scratch = new StaticArray<f64>(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  /** Adds a reading as it came; false when the step already holds `capacity`. */
  add(value: f64, accuracy: f64): bool {
    if (this.count >= this.capacity) return false;
    unchecked((this.values[this.count] = value));
    unchecked((this.accuracies[this.count] = accuracy));
    this.count++;
    return true;
  }

  /** Copies the valid readings to m and a; their number. Sets used, rejected and their flags. */
  select(out: FuseResult): i32 {
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const v = unchecked(this.values[i]), acc = unchecked(this.accuracies[i]);
      if (!readingValid(v, acc)) continue;
      unchecked((this.m[n] = v));
      unchecked((this.a[n] = acc));
      n++;
    }
    out.used = n;
    out.rejected = this.count - n;
    out.flags = out.rejected > 0 ? FuseFlag.Rejected : 0;
    out.ops = 0;
    out.f = 0;
    if (n == 0) {
      out.flags |= FuseFlag.None;
      out.value = out.lo = out.hi = NaN;
    }
    return n;
  }

  /** FTI at `qos` (clamped to 1..3) into `out`. */
  fti(qos: u32, out: FuseResult): void {
    const n = this.select(out);
    if (n == 0) return;
    const level = qos < QOS_MIN ? QOS_MIN : qos > QOS_MAX ? QOS_MAX : qos;
    const f = faultTolerance(level, n);
    if (f < wantedFaulty(level, n)) out.flags |= FuseFlag.ReducedF;
    out.f = f;
    const ops = this.ops;
    unchecked((ops[0] = 0));
    ftiInterval(this.m, this.a, n, f, this.scratch, this.interval, ops);
    const lo = unchecked(this.interval[0]), hi = unchecked(this.interval[1]);
    out.lo = lo;
    out.hi = hi;
    if (lo > hi) {
      // More than f readings are wrong: no interval to trust. The median reading is the
      // fallback a majority still backs, and the flag says that is what it is.
      out.flags |= FuseFlag.Empty;
      out.value = this.median(n, ops);
    } else {
      out.value = mixturePeak(this.m, this.a, n, lo, hi, ops);
    }
    out.ops = unchecked(ops[0]);
  }

  /** Only the fused interval, for an explicit f (clamped to 0..n-1), into out.lo and out.hi. */
  intervalWith(f: i32, out: FuseResult): void {
    const n = this.select(out);
    if (n == 0) return;
    out.f = f < 0 ? 0 : f >= n ? n - 1 : f;
    const ops = this.ops;
    unchecked((ops[0] = 0));
    ftiInterval(this.m, this.a, n, out.f, this.scratch, this.interval, ops);
    out.lo = unchecked(this.interval[0]);
    out.hi = unchecked(this.interval[1]);
    if (out.lo > out.hi) out.flags |= FuseFlag.Empty;
    out.ops = unchecked(ops[0]);
  }

  /** Average pooling, the baseline: the mean of the valid readings. */
  average(out: FuseResult): void {
    const n = this.select(out);
    if (n == 0) return;
    let sum = 0.0, lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = unchecked(this.m[i]);
      sum += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out.value = sum / <f64>n;
    out.lo = lo;
    out.hi = hi;
    out.ops = <u32>n;
  }

  private median(n: i32, ops: StaticArray<u32>): f64 {
    for (let i = 0; i < n; i++) unchecked((this.scratch[i] = unchecked(this.m[i])));
    const k = n >> 1;
    // The selection leaves the k+1 largest in front, largest first: for even n the two
    // middle values are the last two of them.
    const middle = kthLargest(this.scratch, n, k, ops);
    return n & 1 ? middle : (middle + unchecked(this.scratch[k - 1])) / 2;
  }
}
