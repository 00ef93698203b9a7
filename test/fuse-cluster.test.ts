// Data-source clustering (firmware/src/fuse: series, similarity, labelprop, modularity, osort,
// cluster): from sensors' recent series, which ones measure the reference sensor's
// phenomenon. Synthetic sensor groups are generated here with a seeded PRNG (each group one
// phenomenon; each sensor its own offset, gain and noise), pushed into the module's window
// sample by sample, and the returned mask is scored against the true group.

import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from './helpers/random.ts';
import { compileTestEntry, instantiate, type Exports } from './helpers/wasm.ts';

let x: Exports;
beforeAll(async () => {
  x = (await instantiate(await compileTestEntry('fuse_cluster'))).exports;
});

const Algo = { None: 0, LabelPropagation: 1, Modularity: 2, OSort: 3 } as const;
const ALGOS: [string, number][] = [
  ['label propagation', Algo.LabelPropagation],
  ['greedy modularity', Algo.Modularity],
  ['OSort', Algo.OSort],
];

// ---- synthetic sensors ------------------------------------------------------------------


function gauss(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

type Kind = 'sine' | 'walk';

/** One phenomenon over `len` samples, unit standard deviation. */
function phenomenon(kind: Kind, g: number, len: number, rand: () => number): number[] {
  const out: number[] = [];
  if (kind === 'sine') {
    // Distinct periods per group (samples), so groups are told apart by shape, not chance.
    const period = [13, 21, 34, 9, 55][g % 5];
    const phase = rand() * 2 * Math.PI;
    for (let t = 0; t < len; t++) out.push(Math.sin((2 * Math.PI * t) / period + phase));
  } else {
    let v = 0;
    for (let t = 0; t < len; t++) out.push((v += gauss(rand)));
  }
  return standardise(out);
}

function standardise(s: number[]): number[] {
  const m = s.reduce((a, b) => a + b, 0) / s.length;
  const sd = Math.sqrt(s.reduce((a, b) => a + (b - m) ** 2, 0) / s.length) || 1;
  return s.map((v) => (v - m) / sd);
}

function pearsonJs(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((p, q) => p + q, 0) / n, mb = b.reduce((p, q) => p + q, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

interface Scenario {
  /** series[slot][t], oldest first. */
  series: number[][];
  /** True group of each slot. */
  groupOf: number[];
  bases: number[][];
}

/**
 * Groups of the given sizes, each sensor offset + gain x (phenomenon + noise x N(0,1)) with
 * offset in [-20, 20], gain in [0.5, 2]; slots are shuffled so no group is contiguous.
 */
function scenario(sizes: number[], len: number, noise: number, kind: Kind, seed: number): Scenario {
  const rand = mulberry32(seed);
  const bases = sizes.map((_, g) => phenomenon(kind, g, len, rand));
  const sensors: { group: number; s: number[] }[] = [];
  sizes.forEach((size, g) => {
    for (let k = 0; k < size; k++) {
      const offset = -20 + 40 * rand();
      const gain = 0.5 + 1.5 * rand();
      sensors.push({ group: g, s: bases[g].map((v) => offset + gain * (v + noise * gauss(rand))) });
    }
  });
  for (let i = sensors.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [sensors[i], sensors[j]] = [sensors[j], sensors[i]];
  }
  return { series: sensors.map((s) => s.s), groupOf: sensors.map((s) => s.group), bases };
}

/** A fresh window of the scenario's size, filled round by round with samples [from, to). */
function load(sc: Scenario, length: number, to = sc.series[0].length, from = 0): void {
  x.setup(sc.series.length, length);
  pushRounds(sc, from, to);
}

function pushRounds(sc: Scenario, from: number, to: number): void {
  for (let t = from; t < to; t++) sc.series.forEach((s, slot) => expect(x.push(slot, s[t])).toBe(1));
}

const all = (n: number) => (n >= 32 ? 0xffffffff : 2 ** n - 1);
const bit = (slot: number) => 2 ** slot;
const slotsOf = (mask: number) => [...Array(32).keys()].filter((i) => (mask >>> 0) & (1 << i) ? true : false);
const groupMask = (sc: Scenario, g: number) => sc.groupOf.reduce((m, gg, i) => (gg === g ? m + bit(i) : m), 0);

function score(mask: number, truth: number): { precision: number; recall: number } {
  const got = slotsOf(mask), want = slotsOf(truth);
  const hit = got.filter((s) => want.includes(s)).length;
  return { precision: got.length ? hit / got.length : 0, recall: want.length ? hit / want.length : 0 };
}

function clusterOf(algo: number, mask: number, ref: number, threshold: number, seed = 1): number {
  return x.cluster(algo, mask, ref, threshold, seed) >>> 0;
}

// ---- the window ---------------------------------------------------------------------------

describe('SeriesWindow', () => {
  it('keeps the last `length` samples per slot in a ring, newest first', () => {
    x.setup(3, 4);
    expect(x.count(0)).toBe(0);
    expect(x.recent(0, 0)).toBeNaN();
    for (let v = 1; v <= 6; v++) x.push(0, v);
    x.push(1, 10);
    expect(x.count(0)).toBe(4);
    expect(x.count(1)).toBe(1);
    expect([0, 1, 2, 3].map((k) => x.recent(0, k))).toEqual([6, 5, 4, 3]);
    expect(x.recent(0, 4)).toBeNaN();
    expect(x.recent(0, -1)).toBeNaN();
    expect(x.recent(1, 0)).toBe(10);
    expect(x.recent(1, 1)).toBeNaN();
    expect(x.ready_mask(1)).toBe(0b011);
    expect(x.ready_mask(4)).toBe(0b001);
    x.clear(0);
    expect(x.count(0)).toBe(0);
    expect(x.recent(0, 0)).toBeNaN();
    x.push(0, 7);
    expect(x.recent(0, 0)).toBe(7);
    expect(x.count(1)).toBe(1); // other slots untouched
  });

  it('refuses non-finite samples and slots out of range, and clamps its size', () => {
    x.setup(2, 4);
    expect(x.push(0, NaN)).toBe(0);
    expect(x.push(0, Infinity)).toBe(0);
    expect(x.push(0, -Infinity)).toBe(0);
    expect(x.push(2, 1)).toBe(0);
    expect(x.push(-1, 1)).toBe(0);
    expect(x.count(0)).toBe(0);
    expect(x.count(2)).toBe(0);
    expect(x.recent(5, 0)).toBeNaN();
    x.setup(40, 100);
    expect(x.sensors()).toBe(32);
    expect(x.length()).toBe(64);
    x.setup(0, 0);
    expect(x.sensors()).toBe(1);
    expect(x.length()).toBe(1);
  });
});

// ---- similarity ---------------------------------------------------------------------------

describe('similarity', () => {
  it("is Pearson's r, blind to offset and gain, -1 for a mirrored sensor", () => {
    x.setup(4, 16);
    const rand = mulberry32(7);
    const base = Array.from({ length: 16 }, () => gauss(rand));
    const other = Array.from({ length: 16 }, () => gauss(rand));
    base.forEach((v, t) => {
      x.push(0, v);
      x.push(1, 1000 + 3.5 * v);
      x.push(2, -2 * v + 4);
      x.push(3, other[t]);
    });
    expect(x.correlation(0, 1)).toBeCloseTo(1, 12);
    expect(x.correlation(0, 2)).toBeCloseTo(-1, 12);
    expect(x.correlation(0, 3)).toBeCloseTo(pearsonJs(base, other), 12);
    expect(x.correlation(3, 0)).toBe(x.correlation(0, 3));
  });

  it('keeps its precision on a small variation over a large level', () => {
    x.setup(2, 32);
    const rand = mulberry32(3);
    const a: number[] = [], b: number[] = [];
    for (let t = 0; t < 32; t++) {
      const common = gauss(rand);
      a.push(101325 + 0.01 * common + 0.005 * gauss(rand));
      b.push(101300 + 0.02 * common + 0.01 * gauss(rand));
      x.push(0, a[t]);
      x.push(1, b[t]);
    }
    expect(x.correlation(0, 1)).toBeCloseTo(pearsonJs(a, b), 6);
  });

  it('is unknown (NaN) for fewer than 4 common samples or a constant series', () => {
    x.setup(3, 8);
    for (let t = 0; t < 3; t++) {
      x.push(0, t);
      x.push(1, 2 * t);
    }
    expect(x.correlation(0, 1)).toBeNaN();
    x.push(0, 3);
    x.push(1, 6);
    expect(x.correlation(0, 1)).toBeCloseTo(1, 12);
    for (let t = 0; t < 8; t++) x.push(2, 0.1 * 7); // constant at a level that rounds badly
    expect(x.correlation(0, 2)).toBeNaN();
    expect(x.correlation(2, 2)).toBeNaN();
    x.clear(1);
    expect(x.correlation(0, 1)).toBeNaN();
  });

  it('compares the most recent samples both slots hold', () => {
    x.setup(2, 16);
    // Slot 0 has 12 samples: the old 8 anti-correlated with slot 1's pattern, the newest 4 equal.
    for (const v of [5, -5, 5, -5, 5, -5, 5, -5]) x.push(0, v);
    for (const v of [1, 2, 4, 3]) {
      x.push(0, v);
      x.push(1, v * 10);
    }
    expect(x.correlation(0, 1)).toBeCloseTo(1, 12);
  });

  it('fills a symmetric matrix for the active slots only, counting the samples compared', () => {
    const sc = scenario([3, 3], 20, 0.3, 'sine', 11);
    load(sc, 32);
    x.push(0, 1); // slot 0 now holds one sample more than the others
    const mask = 0b101101;
    const work = x.fill_similarity(mask);
    const active = slotsOf(mask);
    expect(work).toBe((active.length * (active.length - 1)) / 2 * 20);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        const v = x.similarity(i, j);
        if (!active.includes(i) || !active.includes(j)) expect(v).toBeNaN();
        else if (i === j) expect(v).toBe(1);
        else {
          expect(v).toBe(x.similarity(j, i));
          expect(v).toBe(x.correlation(i, j));
        }
      }
    }
  });
});

// ---- clustering ---------------------------------------------------------------------------

const STANDARD = { sizes: [5, 4, 6], len: 64, threshold: 0.8 };

describe.each(ALGOS)('%s', (_, algo) => {
  it.each([['sine', 0.1, 101], ['sine', 0.2, 202], ['walk', 0.1, 303], ['walk', 0.2, 405]] as [Kind, number, number][])(
    'recovers the reference group exactly on clean %s groups (noise %s, seed %s)',
    (kind, noise, seed) => {
      const sc = scenario(STANDARD.sizes, STANDARD.len, noise, kind, seed);
      // The phenomena themselves must be apart, or there is nothing to recover.
      for (let g = 0; g < sc.bases.length; g++)
        for (let h = g + 1; h < sc.bases.length; h++) expect(Math.abs(pearsonJs(sc.bases[g], sc.bases[h]))).toBeLessThan(0.6);
      load(sc, 64);
      const n = sc.series.length;
      for (let ref = 0; ref < n; ref++) {
        const mask = clusterOf(algo, all(n), ref, STANDARD.threshold, ref + 1);
        expect(score(mask, groupMask(sc, sc.groupOf[ref])), `reference ${ref}`).toEqual({ precision: 1, recall: 1 });
      }
      expect(x.last_clusters()).toBe(3);
    },
  );

  // Two sensors of a group with noise s x the signal correlate about 1 / (1 + s^2): 0.70 at
  // 0.65, 0.50 at 1, 0.31 at 1.5. Means over 12 scenarios (sines and walks) x 5 references.
  it.each([
    [0.65, 0.5, 0.9, 0.95],
    [1.0, 0.3, 0.9, 0.95],
    [1.5, 0.2, 0.8, 0.9],
  ])('recovers most of the group on noisy sensors (noise %s, threshold %s): precision >= %s, recall >= %s',
    (noise, threshold, precision, recall) => {
      let p = 0, r = 0, cases = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const sc = scenario(STANDARD.sizes, STANDARD.len, noise, seed % 2 ? 'sine' : 'walk', 1000 + seed);
        load(sc, 64);
        for (let ref = 0; ref < sc.series.length; ref += 3) {
          const s = score(clusterOf(algo, all(sc.series.length), ref, threshold, seed), groupMask(sc, sc.groupOf[ref]));
          p += s.precision;
          r += s.recall;
          cases++;
        }
      }
      expect(p / cases).toBeGreaterThanOrEqual(precision);
      expect(r / cases).toBeGreaterThanOrEqual(recall);
    });

  it('answers the reference alone when it is the only active sensor, 0 when it is inactive', () => {
    const sc = scenario(STANDARD.sizes, 32, 0.1, 'sine', 5);
    load(sc, 32);
    expect(clusterOf(algo, bit(4), 4, 0.8)).toBe(bit(4));
    expect(clusterOf(algo, all(15) & ~bit(4), 4, 0.8)).toBe(0);
    expect(clusterOf(algo, all(15), 15, 0.8)).toBe(0); // beyond the window's slots
    expect(clusterOf(algo, all(15), -1, 0.8)).toBe(0);
    expect(clusterOf(algo, 0, 0, 0.8)).toBe(0);
    // Active bits beyond the window's slots are ignored.
    expect(clusterOf(algo, 0xffffffff, 0, 0.8)).toBe(groupMask(sc, sc.groupOf[0]));
  });

  it('leaves constant (stuck) sensors out, and a constant reference alone', () => {
    const sc = scenario([4, 4], 32, 0.1, 'sine', 6);
    sc.series[1] = sc.series[1].map(() => 21.5);
    load(sc, 32);
    const truth = groupMask(sc, sc.groupOf[0]) & ~bit(1);
    expect(clusterOf(algo, all(8), 0, 0.8)).toBe(truth);
    expect(clusterOf(algo, all(8), 1, 0.8)).toBe(bit(1));
  });

  it('works on a window not yet full, and leaves the reference alone below 4 samples', () => {
    const sc = scenario(STANDARD.sizes, 64, 0.1, 'sine', 7);
    load(sc, 64, 24);
    for (let ref = 0; ref < 15; ref += 2) {
      const mask = clusterOf(algo, all(15), ref, 0.8);
      expect(score(mask, groupMask(sc, sc.groupOf[ref]))).toEqual({ precision: 1, recall: 1 });
    }
    load(sc, 64, 3);
    for (let ref = 0; ref < 15; ref += 2) expect(clusterOf(algo, all(15), ref, 0.8)).toBe(bit(ref));
    expect(x.last_clusters()).toBe(15);
  });

  it('admits a sensor that has just joined, on the samples it has', () => {
    const sc = scenario(STANDARD.sizes, 64, 0.1, 'sine', 8);
    const late = 5;
    x.setup(15, 64);
    for (let t = 0; t < 64; t++)
      sc.series.forEach((s, slot) => {
        if (slot !== late || t >= 64 - 12) x.push(slot, s[t]);
      });
    expect(x.count(late)).toBe(12);
    const ref = sc.groupOf.findIndex((g, i) => g === sc.groupOf[late] && i !== late);
    const mask = clusterOf(algo, all(15), ref, 0.8);
    expect(mask & bit(late)).toBe(bit(late));
    expect(score(mask, groupMask(sc, sc.groupOf[ref])).recall).toBe(1);
  });

  it('puts every sensor in one cluster when all measure one phenomenon', () => {
    const sc = scenario([12], 48, 0.15, 'walk', 9);
    load(sc, 48);
    for (const ref of [0, 5, 11]) expect(clusterOf(algo, all(12), ref, 0.8)).toBe(all(12));
    expect(x.last_clusters()).toBe(1);
  });

  it('follows the threshold to its extremes', () => {
    const sc = scenario([6], 32, 0.0, 'sine', 10); // noise-free: r = 1 within the group
    load(sc, 32);
    expect(clusterOf(algo, all(6), 2, 1.01)).toBe(bit(2)); // nothing reaches r > 1
    expect(clusterOf(algo, all(6), 2, -1)).toBe(all(6));
    expect(clusterOf(algo, all(6), 2, 0.999)).toBe(all(6));
    expect(clusterOf(algo, all(6), 2, NaN)).toBe(bit(2)); // a broken config links nothing
    const three = scenario(STANDARD.sizes, 64, 0.1, 'sine', 12);
    load(three, 64);
    for (const ref of [0, 7, 14]) {
      const s = score(clusterOf(algo, all(15), ref, -1), groupMask(three, three.groupOf[ref]));
      expect(s.recall).toBe(1); // a low threshold can only add sensors
      expect(clusterOf(algo, all(15), ref, 1.01)).toBe(bit(ref));
    }
  });

  it('is deterministic for a seed', () => {
    const sc = scenario(STANDARD.sizes, 64, 0.5, 'walk', 13);
    load(sc, 64);
    const run = (seed: number) => {
      const mask = clusterOf(algo, all(15), 3, 0.6, seed);
      return { mask, work: x.last_work(), labels: [...Array(15).keys()].map((i) => x.label_of(i)) };
    };
    const first = run(42);
    expect(run(42)).toEqual(first);
    expect(run(42)).toEqual(first);
    // On a clean case the answer does not depend on the seed at all.
    const clean = scenario(STANDARD.sizes, 64, 0.1, 'sine', 14);
    load(clean, 64);
    const masks = new Set([1, 2, 3, 99, 0xdeadbeef].map((seed) => clusterOf(algo, all(15), 3, 0.8, seed)));
    expect(masks.size).toBe(1);
  });

  it('drops a sensor that breaks (stops following its phenomenon) from the reference cluster', () => {
    const len = 64 * 3;
    const sc = scenario(STANDARD.sizes, len, 0.1, 'sine', 15);
    const ref = 0;
    const group = groupMask(sc, sc.groupOf[ref]);
    const broken = slotsOf(group).find((s) => s !== ref)!;
    const rand = mulberry32(99);
    // From t = 64 on the broken sensor reads its own random walk.
    let v = sc.series[broken][63];
    for (let t = 64; t < len; t++) sc.series[broken][t] = v += gauss(rand);
    load(sc, 64, 64);
    expect(clusterOf(algo, all(15), ref, 0.8)).toBe(group);
    pushRounds(sc, 64, 128); // a whole window of broken readings
    const after = clusterOf(algo, all(15), ref, 0.8);
    expect(after).toBe(group & ~bit(broken));
    // And the broken sensor, as the reference, finds no one.
    expect(clusterOf(algo, all(15), broken, 0.8)).toBe(bit(broken));
  });

  it('reports its work, and allocates nothing', () => {
    const sc = scenario(STANDARD.sizes, 64, 0.2, 'sine', 16);
    load(sc, 64);
    clusterOf(algo, all(15), 0, 0.8);
    const top = x.heap_top();
    for (let seed = 0; seed < 20; seed++) clusterOf(algo, all(15) & ~bit(seed % 15), (seed + 1) % 15, 0.5 + seed / 50, seed);
    expect(x.heap_top()).toBe(top);
    clusterOf(algo, all(15), 0, 0.8);
    const work = x.last_work();
    const matrixWork = (15 * 14) / 2 * 64;
    if (algo === Algo.OSort) {
      expect(x.last_pairs()).toBe(0);
      // Binning compares each series with a few bin means, not with every other series.
      expect(work).toBeGreaterThan(15 * 64);
      expect(work).toBeLessThan(matrixWork);
    } else {
      expect(x.last_pairs()).toBe(105);
      expect(work).toBeGreaterThan(matrixWork);
    }
  });

  it("refuses a scratch built for another algorithm or for fewer slots", () => {
    const sc = scenario([4, 4], 32, 0.1, 'sine', 17);
    load(sc, 32);
    const other = algo === Algo.OSort ? Algo.Modularity : Algo.OSort;
    expect(x.cluster_with(algo, other, all(8), 0, 0.8, 1) >>> 0).toBe(0);
    x.setup_sized(8, 32, 6, 32);
    pushRounds(sc, 0, 32);
    expect(clusterOf(algo, all(8), 0, 0.8)).toBe(0);
  });
});

describe('ClusterAlgo.None and the scratch', () => {
  it('None takes every active sensor, at no cost', () => {
    const sc = scenario(STANDARD.sizes, 32, 0.1, 'sine', 18);
    load(sc, 32);
    expect(clusterOf(Algo.None, 0b1011, 1, 0.8)).toBe(0b1011);
    expect(x.last_work()).toBe(0);
    expect(x.last_clusters()).toBe(1);
    expect(clusterOf(Algo.None, 0b1011, 2, 0.8)).toBe(0);
    expect(x.cluster_with(7, 0, 0b1011, 1, 0.8, 1)).toBe(0); // not an algorithm
  });

  it('takes only the memory its algorithm reads', () => {
    expect(x.scratch_bytes(Algo.None, 8, 32)).toBe(4 * 8);
    expect(x.scratch_bytes(Algo.LabelPropagation, 8, 32)).toBe(8 * (64 + 8) + 3 * 4 * 8);
    expect(x.scratch_bytes(Algo.Modularity, 8, 32)).toBe(8 * (64 + 8) + 4 * 8);
    expect(x.scratch_bytes(Algo.OSort, 8, 32)).toBe(8 * (8 * 32 + 32) + 2 * 4 * 8);
    // The largest window: 32 sensors of 64 samples.
    expect(x.scratch_bytes(Algo.Modularity, 32, 64)).toBe(8576);
  });

  it('xorshift32 is the textbook generator', () => {
    // Marsaglia's example sequence from state 1.
    expect(x.xorshift(1) >>> 0).toBe(270369);
    expect(x.xorshift(270369) >>> 0).toBe(67634689);
  });
});
