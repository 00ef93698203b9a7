// FTI fusion (firmware/src/fuse) against hand-computed cases, through the fusion runner the
// experiments use (firmware/tools/fuse_runner.ts).

import { beforeAll, describe, expect, it } from 'vitest';
import { loadFuseRunner } from '../tools/fuse/runner.ts';
import { FUSE_FLAG } from '../tools/fuse/engine.ts';

type Runner = Awaited<ReturnType<typeof loadFuseRunner>>;
let x: Runner;

beforeAll(async () => { x = await loadFuseRunner(); }, 120_000);

/** Puts a step's readings in: [value, accuracy] pairs. */
function step(readings: [number, number][]): void {
  x.fuse_clear();
  for (const [v, a] of readings) x.fuse_add(v, a);
}

function interval(readings: [number, number][], f: number): [number, number] {
  step(readings);
  x.fuse_interval(f);
  return [x.result_lo(), x.result_hi()];
}

function fti(readings: [number, number][], qos: number) {
  step(readings);
  x.fuse_fti(qos);
  return { value: x.result_value(), lo: x.result_lo(), hi: x.result_hi(), flags: x.result_flags(), used: x.result_used(), f: x.result_f(), rejected: x.result_rejected(), ops: x.result_ops() };
}

describe('the fused interval [(f+1)-th largest lower edge, (f+1)-th smallest upper edge]', () => {
  it('f = 0 is the intersection of all intervals', () => {
    expect(interval([[2, 1], [3, 1], [3.75, 1.25]], 0)).toEqual([2.5, 3]);
  });

  it('f = 1 drops the one interval that disagrees', () => {
    // Lower edges 1, 2, 2, 9: the second largest is 2. Upper edges 3, 4, 3, 11: the second smallest is 3.
    expect(interval([[2, 1], [3, 1], [2.5, 0.5], [10, 1]], 1)).toEqual([2, 3]);
  });

  it('ties: equal edges count once each', () => {
    expect(interval([[5, 1], [5, 1], [5, 1]], 1)).toEqual([4, 6]);
    expect(interval([[5, 1], [5, 1], [6, 1], [6, 1]], 1)).toEqual([5, 6]);
    expect(interval([[5, 1], [5, 1], [6, 1], [6, 1]], 0)).toEqual([5, 6]);
  });

  it('n <= 2f: the formula still reads edges; f = n - 1 gives the hull', () => {
    expect(interval([[2, 1], [3, 1], [10, 1]], 2)).toEqual([1, 11]);
    expect(interval([[2, 1], [10, 1]], 1)).toEqual([1, 11]);
  });

  it('an empty interval (lo > hi) when more than f disagree, flagged', () => {
    expect(interval([[0.5, 0.5], [2.5, 0.5]], 0)).toEqual([2, 1]);
    expect(x.result_flags() & FUSE_FLAG.EMPTY).toBe(FUSE_FLAG.EMPTY);
  });
});

describe('QoS levels', () => {
  it('map to f = ceil(n/10), ceil(n/5), floor((n-1)/2), capped at floor((n-1)/2)', () => {
    const table: [number, number, number][] = [
      [1, 10, 1], [2, 10, 2], [3, 10, 4], [1, 20, 2], [2, 20, 4], [3, 20, 9], [1, 32, 4], [2, 32, 7], [3, 32, 15],
      [1, 1, 0], [2, 1, 0], [3, 1, 0], [1, 2, 0], [3, 2, 0], [1, 3, 1], [2, 3, 1], [3, 3, 1], [1, 11, 2],
    ];
    for (const [qos, n, f] of table) expect(x.fault_tolerance(qos, n), `qos ${qos}, n ${n}`).toBe(f);
  });

  it('level 1 already rejects one broken sensor among ten', () => {
    const good: [number, number][] = [[20.2, 1], [19.8, 1], [20.1, 0.8], [19.9, 1], [20.3, 1.2], [19.7, 1], [20, 0.5], [20.1, 1], [19.9, 0.9]];
    const r = fti([...good, [35, 1]], 1);
    expect(r.f).toBe(1);
    expect(r.flags).toBe(0);
    expect(r.hi).toBeLessThan(34);
    expect(Math.abs(r.value - 20)).toBeLessThan(0.3);
    // The average is dragged 1.5 away by the broken one.
    step([...good, [35, 1]]);
    expect(x.fuse_average()).toBeCloseTo((good.reduce((s, [v]) => s + v, 0) + 35) / 10, 10);
  });

  it('too few readings for the level: f lowered and flagged REDUCED_F', () => {
    const r = fti([[10, 1], [10.5, 1]], 1);
    expect(r.f).toBe(0);
    expect(r.flags).toBe(FUSE_FLAG.REDUCED_F);
    expect([r.lo, r.hi]).toEqual([9.5, 11]);
    // Level 3 asks for what n can outvote, so it is never "reduced".
    expect(fti([[10, 1], [10.5, 1]], 3).flags).toBe(0);
  });

  it('a level out of 1..3 is clamped to the nearest', () => {
    const readings: [number, number][] = Array.from({ length: 10 }, (_, i) => [10 + i / 10, 1]);
    expect(fti(readings, 0).f).toBe(1);
    expect(fti(readings, 9).f).toBe(4);
  });
});

describe('the fused value', () => {
  it('identical intervals give their centre', () => {
    const r = fti([[7, 2], [7, 2], [7, 2], [7, 2]], 1);
    expect([r.lo, r.hi]).toEqual([5, 9]);
    expect(r.value).toBeCloseTo(7, 9);
  });

  it('a degenerate interval (lo = hi) is the value', () => {
    expect(fti([[10, 1], [11, 1], [12, 1]], 1).value).toBe(11);
  });

  it('the mixture peak leans to the precise reading', () => {
    // f = 0: the interval is the precise reading's [9.9, 10.1]; the peak sits at its centre.
    const r = fti([[10, 0.1], [10.05, 1]], 3);
    expect([r.lo, r.hi]).toEqual([9.9, 10.1]);
    expect(Math.abs(r.value - 10)).toBeLessThan(0.01);
    // Two equal readings either side: the peak is between them.
    expect(fti([[9.5, 1], [10.5, 1], [10, 3]], 1).value).toBeCloseTo(10, 6);
  });

  it('an empty interval falls back to the median, flagged, never a silent number', () => {
    const r = fti([[0.5, 0.5], [2.5, 0.5]], 1);
    expect(r.flags).toBe(FUSE_FLAG.EMPTY | FUSE_FLAG.REDUCED_F);
    expect(r.value).toBe(1.5);
    // Three disjoint readings with f = 1 still fuse (to the middle one's interval: two
    // others may be wrong); four cannot: the median of 0, 5, 9, 13 is the fallback.
    const three = fti([[0, 0.1], [5, 0.1], [9, 0.1]], 1);
    expect(three.flags).toBe(0);
    expect(three.value).toBeCloseTo(5, 9);
    const four = fti([[0, 0.1], [5, 0.1], [9, 0.1], [13, 0.1]], 1);
    expect(four.f).toBe(1);
    expect(four.flags).toBe(FUSE_FLAG.EMPTY);
    expect(four.value).toBe(7);
  });
});

describe('bad input', () => {
  it('rejects NaN, infinite and huge values and accuracies not above zero, and counts them', () => {
    const r = fti([[NaN, 1], [Infinity, 1], [-Infinity, 1], [1e12, 1], [5, 0], [5, -1], [5, NaN], [5, Infinity], [10, 1], [10.2, 1], [9.9, 1]], 1);
    expect(r.rejected).toBe(8);
    expect(r.used).toBe(3);
    expect(r.flags & FUSE_FLAG.REJECTED).toBe(FUSE_FLAG.REJECTED);
    expect(r.value).toBeGreaterThan(9.2);
    expect(r.value).toBeLessThan(10.9);
    step([[NaN, 1], [10, 1], [12, 1]]);
    expect(x.fuse_average()).toBe(11);
  });

  it('no valid reading: NaN, flagged NONE', () => {
    const r = fti([[NaN, 1], [1, 0]], 1);
    expect(r.flags).toBe(FUSE_FLAG.NONE | FUSE_FLAG.REJECTED);
    expect(Number.isNaN(r.value)).toBe(true);
    expect(fti([], 1).flags).toBe(FUSE_FLAG.NONE);
  });

  it('a step holds its capacity, no more', () => {
    x.fuse_clear();
    const cap = x.fuse_capacity();
    for (let i = 0; i < cap; i++) expect(x.fuse_add(i, 1)).toBe(1);
    expect(x.fuse_add(0, 1)).toBe(0);
  });
});

describe('cost', () => {
  it('fusing 32 readings stays within the documented bound', () => {
    const readings: [number, number][] = Array.from({ length: 32 }, (_, i) => [20 + Math.sin(i) * 0.5, 0.5 + (i % 5) * 0.2]);
    for (const qos of [1, 2, 3]) {
      const r = fti(readings, qos);
      const n = 32, f = r.f;
      // Two selections of the (f+1)-th edge, then the peak search (docs/fusion.md, "Cost").
      let select = 0;
      for (let i = 0; i <= f; i++) select += n - 1 - i;
      const bound = 2 * select + n * (16 + n + 2 * 8);
      expect(r.ops).toBeGreaterThan(2 * select);
      expect(r.ops).toBeLessThanOrEqual(bound);
    }
  });
});
