// The fusion experiments around the node's fusion code (Elastic AI §7.2): the synthetic wind,
// the paper's sensor model, the error measures, the report's acceptance checks and the
// `myco fuse` command. The fusion itself comes from a small engine written here, so these
// tests do not depend on the Wasm build; the real one runs with `npm run report:fusion`.

import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUSE_FLAG, type FuseEngine, type FusionOutcome, type QosLevel, type Reading } from '../tools/fuse/engine.ts';
import { dayPartMean, DEFAULT_WIND, diurnalFactor, gustShape, M_MAX, ouSeries, WIND_RANGE, windComponents, windSeries } from '../tools/fuse/wind.ts';
import { DEVIATION, drawSensor, qualities, readSensor, sensorReadings, type Quality } from '../tools/fuse/sensors.ts';
import { errorStats, mape, median } from '../tools/fuse/metrics.ts';
import { stream } from '../tools/fuse/random.ts';
import {
  countFlags,
  fullPlan,
  fuseSeries,
  METHODS,
  quickPlan,
  runFusionStudy,
  stepsIn,
  type BrokenResult,
  type FusionPlan,
  type PerMethod,
  type SweepPoint,
} from '../tools/fuse/experiments.ts';
import { faultCheck, qualityCheck, reportFiles, reportMarkdown, thin } from '../tools/fuse/report.ts';
import { fuseReport, planFromFlags } from '../tools/cli/fuse.ts';
import { main } from '../tools/cli/main.ts';

// ---- A stand-in engine: plain average, and FTI as the interval intersection ------------------

function outcome(value: number, lo: number, hi: number, flags: number, used: number, f: number, ops: number): FusionOutcome {
  return { value, lo, hi, flags, used, f, rejected: 0, ops };
}

/** FTI with f = the QoS level (capped so the correct readings outvote), value the interval's middle. */
const jsEngine: FuseEngine = {
  fti(readings: readonly Reading[], qos: QosLevel): FusionOutcome {
    const n = readings.length;
    if (n === 0) return outcome(NaN, NaN, NaN, FUSE_FLAG.NONE, 0, 0, 0);
    const cap = (n - 1) >> 1;
    const f = Math.min(qos, cap);
    const lower = readings.map((r) => r.value - r.accuracy).sort((a, b) => b - a);
    const upper = readings.map((r) => r.value + r.accuracy).sort((a, b) => a - b);
    const lo = lower[f];
    const hi = upper[f];
    const flags = f < qos ? FUSE_FLAG.REDUCED_F : 0;
    if (lo > hi) return outcome(median(readings.map((r) => r.value)), lo, hi, flags | FUSE_FLAG.EMPTY, n, f, 2 * n);
    return outcome((lo + hi) / 2, lo, hi, flags, n, f, 2 * n);
  },
  average(readings: readonly Reading[]): FusionOutcome {
    const n = readings.length;
    if (n === 0) return outcome(NaN, NaN, NaN, FUSE_FLAG.NONE, 0, 0, 0);
    const values = readings.map((r) => r.value);
    return outcome(values.reduce((a, b) => a + b, 0) / n, Math.min(...values), Math.max(...values), 0, n, 0, n);
  },
};

function correlation(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i] - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

// ---- Wind ------------------------------------------------------------------------------------

describe('synthetic wind', () => {
  it('is the same series for the same seed and another for another seed', () => {
    expect(windSeries(2000, 7)).toEqual(windSeries(2000, 7));
    expect(windSeries(2000, 8)).not.toEqual(windSeries(2000, 7));
    // A longer series starts with the shorter one: every minute depends only on the past.
    expect(windSeries(3000, 7).slice(0, 2000)).toEqual(windSeries(2000, 7));
  });

  it('stays within its physical range, strictly positive, even for a wild model', () => {
    for (const seed of [1, 2, 3]) {
      const s = windSeries(5 * 1440, seed);
      expect(s).toHaveLength(5 * 1440);
      expect(Math.min(...s)).toBeGreaterThanOrEqual(WIND_RANGE.min);
      expect(Math.max(...s)).toBeLessThanOrEqual(WIND_RANGE.max);
    }
    const wild = windSeries(5 * 1440, 1, { ...DEFAULT_WIND, synopticSigma: 2.5, gustFactor: [2, 4] });
    expect(Math.min(...wild)).toBe(WIND_RANGE.min);
    expect(Math.max(...wild)).toBe(WIND_RANGE.max);
    expect(WIND_RANGE.min).toBeGreaterThan(0);
    expect(M_MAX).toBeGreaterThan(WIND_RANGE.max);
  });

  it('is windier in the afternoon than at night, over several days', () => {
    expect(diurnalFactor(15 * 60, DEFAULT_WIND)).toBeCloseTo(1 + DEFAULT_WIND.diurnalAmplitude, 12);
    expect(diurnalFactor(3 * 60 + 1440, DEFAULT_WIND)).toBeCloseTo(1 - DEFAULT_WIND.diurnalAmplitude, 12);
    for (const seed of [1, 2, 3, 4, 5]) {
      const s = windSeries(5 * 1440, seed);
      expect(dayPartMean(s, 12, 18)).toBeGreaterThan(1.2 * dayPartMean(s, 0, 6));
    }
  });

  it('has gusts: Poisson arrivals at about the set rate, quick rises and exponential decays', () => {
    expect(gustShape(-1, 1, 3)).toBe(0);
    expect(gustShape(0.5, 1, 3)).toBe(0.5);
    expect(gustShape(1, 1, 3)).toBe(1);
    expect(gustShape(4, 1, 3)).toBeCloseTo(Math.exp(-1), 12);
    const days = 5;
    const c = windComponents(days * 1440, 3);
    const expected = days * 24 * DEFAULT_WIND.gustsPerHour;
    expect(c.gusts.starts.length).toBeGreaterThan(0.8 * expected);
    expect(c.gusts.starts.length).toBeLessThan(1.2 * expected);
    // Gusts stand out: the speed jumps by more than a metre per second within a minute or two.
    expect(Math.max(...c.gusts.speed)).toBeGreaterThan(2);
    const jumps = c.speed.filter((v, i) => i >= 2 && v - c.speed[i - 2] > 1).length;
    expect(jumps).toBeGreaterThan(0.3 * c.gusts.starts.length);
    // No gusts, no gust component.
    const calm = windComponents(1440, 3, { ...DEFAULT_WIND, gustsPerHour: 0 });
    expect(calm.gusts.starts).toEqual([]);
    expect(Math.max(...calm.gusts.speed)).toBe(0);
  });

  it('drifts slowly: the synoptic process has its set spread and correlation', () => {
    const x = ouSeries(stream(5, 'ou'), 200_000, 0.5, 20);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    expect(sd).toBeCloseTo(0.5, 1);
    expect(correlation(x.slice(1), x.slice(0, -1))).toBeCloseTo(Math.exp(-1 / 20), 2);
  });
});

// ---- Sensors ---------------------------------------------------------------------------------

describe('sensor model', () => {
  it('draws d from the quality\'s range and claims m_max · d', () => {
    for (const q of ['high', 'low'] as Quality[]) {
      const rng = stream(1, `d/${q}`);
      const ds = Array.from({ length: 2000 }, () => drawSensor(rng, q, 40));
      const [lo, hi] = DEVIATION[q];
      expect(Math.min(...ds.map((s) => s.d))).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...ds.map((s) => s.d))).toBeLessThanOrEqual(hi);
      // Uniform: the draws reach close to both ends.
      expect(Math.min(...ds.map((s) => s.d))).toBeLessThan(lo + 0.02 * (hi - lo));
      expect(Math.max(...ds.map((s) => s.d))).toBeGreaterThan(hi - 0.02 * (hi - lo));
      for (const s of ds) expect(s.accuracy).toBeCloseTo(40 * s.d, 12);
    }
    expect(DEVIATION).toEqual({ high: [0.005, 0.05], low: [0.01, 0.1] });
    expect(qualities(10, 3)).toEqual(['low', 'low', 'low', 'high', 'high', 'high', 'high', 'high', 'high', 'high']);
  });

  it('a working sensor reads within its claimed interval, spread over all of it', () => {
    const truth = windSeries(1440, 2);
    const data = sensorReadings(truth, { seed: 9, qualities: qualities(10, 5) });
    expect(data.readings).toHaveLength(1440);
    for (const [t, step] of data.readings.entries()) {
      expect(step).toHaveLength(10);
      step.forEach((r, i) => {
        expect(r.accuracy).toBe(data.sensors[i].accuracy);
        expect(Math.abs(r.value - truth[t])).toBeLessThanOrEqual(r.accuracy);
      });
    }
    const rel = data.readings.map((step, t) => (step[0].value - truth[t]) / step[0].accuracy);
    expect(Math.min(...rel)).toBeLessThan(-0.95);
    expect(Math.max(...rel)).toBeGreaterThan(0.95);
  });

  it('is reproducible for a seed, and a fault changes only the broken sensor', () => {
    const truth = windSeries(600, 4);
    const spec = { seed: 3, qualities: qualities(10, 2) };
    expect(sensorReadings(truth, spec)).toEqual(sensorReadings(truth, spec));
    const faulty = sensorReadings(truth, { ...spec, faults: { 4: { from: 100, to: 200 } } });
    const plain = sensorReadings(truth, spec);
    for (let t = 0; t < 600; t++) {
      for (let i = 0; i < 10; i++) {
        if (i === 4 && t >= 100 && t < 200) continue;
        expect(faulty.readings[t][i]).toEqual(plain.readings[t][i]);
      }
    }
  });

  it('a broken sensor reads unrelated to the truth in its window, still claiming its accuracy, then recovers', () => {
    const truth = windSeries(1800, 6);
    const data = sensorReadings(truth, { seed: 2, qualities: qualities(10, 0), faults: { 0: { from: 600, to: 1200 } } });
    const own = data.readings.map((step) => step[0]);
    const inside = (t: number) => t >= 600 && t < 1200;
    const idx = truth.map((_, t) => t);
    const inT = idx.filter(inside);
    const outT = idx.filter((t) => !inside(t));
    expect(Math.abs(correlation(inT.map((t) => own[t].value), inT.map((t) => truth[t])))).toBeLessThan(0.15);
    expect(correlation(outT.map((t) => own[t].value), outT.map((t) => truth[t]))).toBeGreaterThan(0.7);
    for (const t of inT) {
      expect(own[t].value).toBeGreaterThanOrEqual(0);
      expect(own[t].value).toBeLessThanOrEqual(M_MAX);
      expect(own[t].accuracy).toBe(data.sensors[0].accuracy);
    }
    // Most broken readings claim an interval that misses the truth.
    expect(inT.filter((t) => Math.abs(own[t].value - truth[t]) > own[t].accuracy).length).toBeGreaterThan(0.8 * inT.length);
    for (const t of outT) expect(Math.abs(own[t].value - truth[t])).toBeLessThanOrEqual(own[t].accuracy);
    const s = data.sensors[0];
    expect(readSensor(stream(1, 'x'), s, 5, 1199, M_MAX).value).not.toBeCloseTo(readSensor(stream(1, 'x'), { ...s, fault: undefined }, 5, 1199, M_MAX).value, 6);
  });
});

// ---- Error measures --------------------------------------------------------------------------

describe('MAPE and MAE', () => {
  it('on hand-made cases', () => {
    expect(mape([11, 9, 10], [10, 10, 10])).toBeCloseTo(200 / 30, 12);
    expect(mape([2, 1], [1, 2])).toBeCloseTo(75, 12);
    expect(mape([5, 5], [5, 5])).toBe(0);
    expect(errorStats([11, 9, 10], [10, 10, 10])).toEqual({ mape: expect.closeTo(200 / 30, 12), mae: expect.closeTo(2 / 3, 12), n: 3, missing: 0 });
    // A window: only the minutes it selects count.
    expect(errorStats([1, 20, 30], [1, 10, 10], (t) => t >= 1)).toMatchObject({ mape: 150, mae: 15, n: 2 });
  });

  it('leaves out missing estimates, counting them, and refuses what has no percentage', () => {
    expect(errorStats([NaN, 12], [10, 10])).toEqual({ mape: 20, mae: 2, n: 1, missing: 1 });
    expect(errorStats([NaN], [10]).mape).toBeNaN();
    expect(() => mape([1], [0])).toThrow(/truth 0 at minute 0 is not positive/);
    expect(() => mape([1, 2], [1])).toThrow(/2 estimates for 1 truths/);
  });

  it('median as the box plots draw it', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 1])).toBe(1);
    expect(median([])).toBeNaN();
  });
});

// ---- Experiments -----------------------------------------------------------------------------

describe('experiments', () => {
  it('counts the flags of a series of fusions', () => {
    expect(countFlags([0, FUSE_FLAG.EMPTY, FUSE_FLAG.EMPTY | FUSE_FLAG.REDUCED_F, FUSE_FLAG.NONE | FUSE_FLAG.REJECTED])).toEqual({ fusions: 4, empty: 2, reducedF: 1, none: 1, rejected: 1 });
    const readings = [[{ value: 1, accuracy: 1 }, { value: 1.5, accuracy: 1 }, { value: 9, accuracy: 1 }]];
    const fti = fuseSeries(jsEngine, readings, METHODS[0]);
    expect(fti.values[0]).toBeCloseTo(1.5, 12);
    expect(fti.flags).toMatchObject({ fusions: 1, empty: 0 });
    expect(fuseSeries(jsEngine, readings, METHODS[3]).values[0]).toBeCloseTo(23 / 6, 12);
  });

  const plan: FusionPlan = { ...quickPlan(1), sweep: { lowQuality: [0, 5, 10], dataSets: 2, minutes: 240 } };

  it('runs the plan deterministically and reports progress', () => {
    const seen: number[] = [];
    const a = runFusionStudy(plan, jsEngine, (done, total) => {
      expect(total).toBe(stepsIn(plan));
      seen.push(done);
    });
    expect(seen).toEqual(Array.from({ length: stepsIn(plan) }, (_, i) => i + 1));
    expect(runFusionStudy(plan, jsEngine)).toEqual(a);
    expect(a.sweep.map((p) => p.lowQuality)).toEqual([0, 5, 10]);
    for (const p of a.sweep) {
      expect(p.dataSets).toHaveLength(2);
      for (const m of METHODS) expect(p.dataSets.every((d) => d.errors[m.key].n === 240)).toBe(true);
      expect(p.dataSets.map((d) => d.d.filter((x) => x > DEVIATION.high[1]).length).every((k) => k <= p.lowQuality)).toBe(true);
    }
    // The same wind for every mix, other sensors.
    expect(a.sweep[0].dataSets[1].windSeed).toBe(a.sweep[2].dataSets[1].windSeed);
    expect(a.sweep[0].dataSets[1].sensorSeed).not.toBe(a.sweep[2].dataSets[1].sensorSeed);
    // Another seed, other data.
    expect(runFusionStudy({ ...plan, seed: 2 }, jsEngine).broken.truth).not.toEqual(a.broken.truth);
    expect(a.ops.rows.map((r) => r.ops)).toEqual([64, 64, 64, 32]);
    expect(a.ops.readings).toBe(32);
  });

  it('the broken sensor pulls average pooling away from the truth, not the interval', () => {
    const r = runFusionStudy(plan, jsEngine).broken;
    expect(r.fault).toEqual({ from: 600, to: 1200 });
    expect(r.truth).toHaveLength(1800);
    expect(r.inside.fti1.n + r.outside.fti1.n).toBe(1800);
    expect(r.inside.fti1.n).toBe(600);
    expect(r.ratio.average.mae).toBeGreaterThan(5);
    expect(r.ratio.fti1.mae).toBeLessThan(1.5);
    expect(r.flagsInside.fti1.fusions).toBe(600);
    // Left out, the broken sensor costs average pooling nothing more than its information.
    expect(r.withoutBroken.fti1.n).toBe(600);
    expect(r.withoutBroken.average.mae).toBeLessThan(r.inside.average.mae / 5);
  });

  it('full and quick plans', () => {
    const full = fullPlan();
    expect(full.sensors).toBe(10);
    expect(full.sweep).toEqual({ lowQuality: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], dataSets: 10, minutes: 1440 });
    expect(full.broken).toEqual({ minutes: 1800, sensor: 0, fault: { from: 600, to: 1200 } });
    expect(quickPlan().sweep.dataSets).toBeLessThan(full.sweep.dataSets);
    expect(() => runFusionStudy({ ...plan, broken: { ...plan.broken, fault: { from: 1200, to: 600 } } }, jsEngine)).toThrow(/fault window/);
  });
});

// ---- Report ----------------------------------------------------------------------------------

const every = <T>(v: T): PerMethod<T> => ({ fti1: v, fti2: v, fti3: v, average: v });

function point(lowQuality: number, fti1: number, average: number): SweepPoint {
  const flags = every({ fusions: 0, empty: 0, reducedF: 0, none: 0, rejected: 0 });
  return { lowQuality, dataSets: [], medianMape: { fti1, fti2: fti1, fti3: fti1, average }, flags };
}

function broken(inside: { mape: number; mae: number }, outside: { mape: number; mae: number }): BrokenResult {
  const stats = (e: { mape: number; mae: number }) => every({ ...e, n: 600, missing: 0 });
  const flags = every({ fusions: 600, empty: 0, reducedF: 0, none: 0, rejected: 0 });
  return {
    minutes: 1800,
    sensors: 10,
    fault: { from: 600, to: 1200 },
    sensorIndex: 0,
    sensor: { quality: 'high', d: 0.01, accuracy: 0.4 },
    windSeed: 1,
    sensorSeed: 2,
    truth: [],
    fused: every([]),
    inside: stats(inside),
    outside: stats(outside),
    ratio: every({ mape: inside.mape / outside.mape, mae: inside.mae / outside.mae }),
    withoutBroken: stats(inside),
    flagsInside: flags,
    flagsOutside: flags,
  };
}

describe('report checks', () => {
  it('(a) FTI QoS 1 no worse than average pooling up to 5 low-quality sensors', () => {
    const good = [0, 1, 2, 3, 4, 5].map((k) => point(k, 3, 4));
    expect(qualityCheck(good).met).toBe(true);
    expect(qualityCheck(good).detail).toContain('5: 3.00 % vs 4.00 %');
    // Equal is no worse; beyond 5 low-quality sensors does not count.
    expect(qualityCheck([point(0, 4, 4), point(6, 9, 4)]).met).toBe(true);
    const bad = qualityCheck([point(0, 3, 4), point(3, 5.5, 5)]);
    expect(bad.met).toBe(false);
    expect(bad.detail).toMatch(/3: 5\.50 % vs 5\.00 %; worse at 3/);
    expect(qualityCheck([point(7, 1, 2)])).toEqual({ met: false, detail: 'no mix with at most 5 low-quality sensors was run' });
  });

  it('(b) FTI\'s error in the fault window at most 1.1x outside, by MAPE and by MAE', () => {
    expect(faultCheck(broken({ mape: 2.1, mae: 0.1 }, { mape: 2, mae: 0.1 })).met).toBe(true);
    expect(faultCheck(broken({ mape: 2.2, mae: 0.11 }, { mape: 2, mae: 0.1 })).met).toBe(true);
    const bad = faultCheck(broken({ mape: 2.3, mae: 0.1 }, { mape: 2, mae: 0.1 }));
    expect(bad.met).toBe(false);
    expect(bad.detail).toContain('MAPE 2.30 % / 2.00 % = 1.150x');
    // A lower MAPE in the windy window does not hide a larger error in m/s.
    expect(faultCheck(broken({ mape: 1.5, mae: 0.12 }, { mape: 2, mae: 0.1 })).met).toBe(false);
  });

  it('the report prints both checks as met or NOT met with their numbers, plots and results', () => {
    const plan: FusionPlan = { ...quickPlan(1), sweep: { lowQuality: [0, 3, 6], dataSets: 2, minutes: 120 } };
    const r = runFusionStudy(plan, jsEngine);
    const md = reportMarkdown(r);
    for (const text of ['## Acceptance checks', 'synthetic', 'Ornstein-Uhlenbeck', 'Poisson', 'prediction', 'fused value itself', '![MAPE per number of low-quality sensors](mape-quality.svg)', '(broken-sensor.svg)']) expect(md).toContain(text);
    expect(md).toMatch(/\(b\) FTI's error in the fault window is at most 1\.1x its error outside it: \*\*met\*\*/);
    const worse = { ...r, sweep: [point(0, 5, 4), ...r.sweep] };
    expect(reportMarkdown(worse)).toMatch(/\(a\) FTI QoS 1 has median MAPE no worse .*: \*\*NOT met\*\*\. .*0: 5\.00 % vs 4\.00 %/);
    const files = reportFiles(r);
    expect(Object.keys(files).sort()).toEqual(['broken-sensor.svg', 'mape-quality.svg', 'report.md', 'results.json']);
    expect(files['mape-quality.svg']).toMatch(/^<svg[\s\S]*<\/svg>$/);
    for (const m of METHODS) expect(files['mape-quality.svg']).toContain(`data-series="${m.name}"`);
    for (const name of ['ground truth', 'FTI QoS 1', 'average pooling', 'fault window']) expect(files['broken-sensor.svg']).toContain(`data-name="${name}"`);
    const json = JSON.parse(files['results.json']);
    expect(json.checks.fault.met).toBe(true);
    expect(json.broken.truth).toHaveLength(1800);
    expect(json.sweep[1].dataSets[0].errors.fti1.mape).toBeCloseTo(r.sweep[1].dataSets[0].errors.fti1.mape, 12);
    // Long series are thinned for the plot, evenly.
    expect(thin(Array.from({ length: 1800 }, (_, i) => i))).toHaveLength(360);
    expect(thin([1, 2, 3])).toEqual([[0, 1], [1, 2], [2, 3]]);
  });
});

// ---- Command ---------------------------------------------------------------------------------

function cli(argv: string[]) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), stderr: process.stderr };
  return main(argv, io).then((code) => ({ code, out, err }));
}

describe('myco fuse', () => {
  it('refuses a wrong action, flag or value with a usage error', async () => {
    const none = await cli(['fuse']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/missing action: myco fuse report/);
    const wrong = await cli(['fuse', 'repotr']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/unknown fuse action "repotr" \(known: report\)/);
    for (const [argv, message] of [
      [['fuse', 'report', '--seed', 'x'], /--seed must be an integer 0\.\.4294967295, not "x"/],
      [['fuse', 'report', '--seed', '-3'], /--seed must be an integer/],
      [['fuse', 'report', '--seed', '1.5'], /--seed must be an integer/],
      [['fuse', 'report', '--seed'], /option --seed needs a value \(N\)/],
      [['fuse', 'report', '--sede', '3'], /unknown option --sede for "myco fuse" \(options: --out, --quick, --seed, --help\)/],
      [['fuse', 'report', '--quick=yes'], /option --quick takes no value/],
      [['fuse', 'report', '--out'], /option --out needs a value \(DIR\)/],
      [['fuse', 'report', 'extra'], /fuse report takes no arguments, got extra/],
    ] as const) {
      const r = await cli([...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('has help, and is listed', async () => {
    const help = await cli(['fuse', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['Usage: myco fuse report [--out DIR] [--quick] [--seed N]', '--out DIR', 'build/report/fusion', '--quick', '--seed N']) expect(help.out).toContain(text);
    expect((await cli(['--help'])).out).toMatch(/fuse report +the Elastic AI sensor-fusion experiments/);
  });

  it('reads its plan from the flags', () => {
    expect(planFromFlags({})).toEqual(fullPlan(1));
    expect(planFromFlags({ quick: true, seed: '7' })).toEqual(quickPlan(7));
  });

  it('report writes the files into --out and prints the results and checks', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fusion-'));
    let stdout = '';
    let stderr = '';
    const io = { out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t), stderr: process.stderr };
    const code = await fuseReport({ quick: true, out, seed: '3' }, io, async () => jsEngine);
    expect(stdout).toMatch(/^fusion study: 11 mixes x 3 data sets x 360 min, broken sensor 1800 min \(fault 600\.\.1200\), seed 3: \d+ fusions\n/);
    expect(stdout).toMatch(/median MAPE \(%\) by low-quality sensors: FTI QoS 1, FTI QoS 2, FTI QoS 3, average pooling\n/);
    expect(stdout).toMatch(/\n  10 +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+\n/);
    expect(stdout).toMatch(/broken sensor, FTI QoS 1: MAPE [\d.]+ % in the fault window/);
    expect(stdout).toMatch(/ops for 32 readings: FTI QoS 1 64, FTI QoS 2 64, FTI QoS 3 64, average pooling 32\n/);
    expect(stdout).toMatch(/check \(a\) .*: (met|NOT met)\ncheck \(b\) .*: met\n/);
    expect(stdout).toMatch(/fusions in [\d.]+ s; report: .*report\.md\n$/);
    expect(code).toBe(stdout.includes('NOT met') ? 1 : 0);
    expect(stderr).toBe(code ? 'myco fuse: an acceptance check is not met (see the report)\n' : '');
    for (const f of ['report.md', 'results.json', 'mape-quality.svg', 'broken-sensor.svg']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('(seed 3)');
  });

});
