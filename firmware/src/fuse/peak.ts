// The value FTI hands on: the peak of the Gaussian mixture of all valid readings, searched
// inside the fused interval (Elastic AI §6.3). Reading i is taken as a normal density around
// m_i with sigma_i = a_i / sqrt(3), the standard deviation of an error uniform on [-a_i, a_i].
// Densities are summed unweighted, so precise readings (tall, narrow peaks) pull hardest:
// near the truth the peak is close to an inverse-variance mean of the agreeing readings,
// while a reading far outside the interval adds almost nothing inside it.
//
// Search, bounded: the density on PEAK_GRID points spanning the interval and at every
// reading inside it; from the best of those, up to PEAK_STEPS fixed-point (mean-shift)
// steps x <- sum w_i m_i / sum w_i with w_i = N_i(x) / sigma_i^2, the stationarity
// condition of the mixture, kept only while the density rises and clamped to the interval.
// Every term evaluated counts one operation in `ops[0]`: at most n (PEAK_GRID + n + 2 PEAK_STEPS).

export const PEAK_GRID: i32 = 16;
export const PEAK_STEPS: i32 = 8;

/** exp(-(x-m)^2 / (2 sigma^2)) with sigma^2 = a^2 / 3. */
// @ts-ignore: decorator
@inline function kernel(x: f64, m: f64, a: f64): f64 {
  const d = (x - m) / a;
  return Math.exp(-1.5 * d * d);
}

/** The mixture's density at x, up to a constant factor. */
export function mixtureDensity(m: StaticArray<f64>, a: StaticArray<f64>, n: i32, x: f64, ops: StaticArray<u32>): f64 {
  let g = 0.0;
  for (let i = 0; i < n; i++) {
    const ai = unchecked(a[i]);
    g += kernel(x, unchecked(m[i]), ai) / ai;
  }
  unchecked((ops[0] += <u32>n));
  return g;
}

/** One mean-shift step from x, clamped to [lo, hi]; x itself when no term weighs. */
function shift(m: StaticArray<f64>, a: StaticArray<f64>, n: i32, x: f64, lo: f64, hi: f64, ops: StaticArray<u32>): f64 {
  let num = 0.0, den = 0.0;
  for (let i = 0; i < n; i++) {
    const ai = unchecked(a[i]), mi = unchecked(m[i]);
    const w = kernel(x, mi, ai) / (ai * ai * ai);
    num += w * mi;
    den += w;
  }
  unchecked((ops[0] += <u32>n));
  if (!(den > 0)) return x;
  const y = num / den;
  return y < lo ? lo : y > hi ? hi : y;
}

/** The mixture's highest point in [lo, hi] (lo <= hi) as the search above finds it. */
export function mixturePeak(m: StaticArray<f64>, a: StaticArray<f64>, n: i32, lo: f64, hi: f64, ops: StaticArray<u32>): f64 {
  if (!(hi > lo)) return lo;
  let bestX = lo;
  let bestG = -1.0;
  for (let k = 0; k < PEAK_GRID; k++) {
    const x = k == PEAK_GRID - 1 ? hi : lo + (hi - lo) * (<f64>k / <f64>(PEAK_GRID - 1));
    const g = mixtureDensity(m, a, n, x, ops);
    if (g > bestG) { bestG = g; bestX = x; }
  }
  for (let i = 0; i < n; i++) {
    const x = unchecked(m[i]);
    if (x < lo || x > hi) continue;
    const g = mixtureDensity(m, a, n, x, ops);
    if (g > bestG) { bestG = g; bestX = x; }
  }
  for (let s = 0; s < PEAK_STEPS; s++) {
    const x = shift(m, a, n, bestX, lo, hi, ops);
    if (x == bestX) break;
    const g = mixtureDensity(m, a, n, x, ops);
    if (!(g > bestG)) break;
    bestG = g;
    bestX = x;
  }
  return bestX;
}
