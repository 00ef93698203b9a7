// How far fused values lie from the truth. The paper reports the mean absolute percentage error
// (MAPE); we add the mean absolute error (MAE) because MAPE weighs calm minutes most (the same
// error in m/s is a larger percentage of a low wind), which makes windows at different times of
// day hard to compare by MAPE alone.

import { quantile } from '../report/svg.ts';

export interface ErrorStats {
  /** Mean of |estimate - truth| / truth, in percent. */
  mape: number;
  /** Mean of |estimate - truth|, in the truth's unit. */
  mae: number;
  /** Minutes that counted. */
  n: number;
  /**
   * Minutes without an estimate (NaN: the fusion had no valid reading). They are left out of
   * both means and counted here, so a method cannot look better by not answering unseen.
   */
  missing: number;
}

/**
 * The errors of `estimate` against `truth` over the minutes `include` selects (all by default).
 * The truth must be positive where it counts: a percentage of zero has no meaning.
 */
export function errorStats(estimate: readonly number[], truth: readonly number[], include: (minute: number) => boolean = () => true): ErrorStats {
  if (estimate.length !== truth.length) throw new RangeError(`errorStats: ${estimate.length} estimates for ${truth.length} truths`);
  let pct = 0;
  let abs = 0;
  let n = 0;
  let missing = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!include(i)) continue;
    const m = truth[i];
    if (!(m > 0)) throw new RangeError(`errorStats: truth ${m} at minute ${i} is not positive`);
    const e = estimate[i];
    if (!Number.isFinite(e)) {
      missing++;
      continue;
    }
    abs += Math.abs(e - m);
    pct += Math.abs(e - m) / m;
    n++;
  }
  return { mape: n ? (100 * pct) / n : NaN, mae: n ? abs / n : NaN, n, missing };
}

/** The mean absolute percentage error, in percent (errorStats for the common case). */
export function mape(estimate: readonly number[], truth: readonly number[]): number {
  return errorStats(estimate, truth).mape;
}

/** The median of the finite values (as the box plots draw it); NaN when there are none. */
export function median(values: readonly number[]): number {
  const x = values.filter(Number.isFinite);
  return x.length ? quantile(x, 0.5) : NaN;
}
