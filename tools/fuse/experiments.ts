// The Elastic AI §7.2 fusion experiments (docs/fusion.md, "Experiments"), measured on the fused
// value itself: (a) ten sensors with 0..10 of them low quality, each mix over several data sets,
// FTI at QoS 1..3 against average pooling; (b) ten high-quality sensors, one of them broken for
// a window of minutes. Plus the operation count of one 32-reading fusion. Data sets are pure
// functions of the plan's seed; the engine is passed in, so the same plan runs on the node's
// Wasm code (runner.ts) or on any other FuseEngine.

import { clusteringPlan, runClustering, type ClusteringPlan, type ClusteringResult } from './clustering.ts';
import { FUSE_FLAG, type FuseEngine, type FusionOutcome, type QosLevel, type Reading } from './engine.ts';
import { errorStats, median, type ErrorStats } from './metrics.ts';
import { subSeed } from './random.ts';
import { qualities, sensorReadings, type FaultWindow, type Sensor } from './sensors.ts';
import { dayPartMean, DEFAULT_WIND, M_MAX, MINUTES_PER_DAY, windComponents, type WindModel } from './wind.ts';

export type MethodKey = 'fti1' | 'fti2' | 'fti3' | 'average';

export interface Method {
  key: MethodKey;
  name: string;
  /** FTI's QoS level; absent for average pooling. */
  qos?: QosLevel;
}

export const METHODS: readonly Method[] = [
  { key: 'fti1', name: 'FTI QoS 1', qos: 1 },
  { key: 'fti2', name: 'FTI QoS 2', qos: 2 },
  { key: 'fti3', name: 'FTI QoS 3', qos: 3 },
  { key: 'average', name: 'average pooling' },
];

export type PerMethod<T> = Record<MethodKey, T>;

function perMethod<T>(f: (m: Method) => T): PerMethod<T> {
  return Object.fromEntries(METHODS.map((m) => [m.key, f(m)])) as PerMethod<T>;
}

export interface FusionPlan {
  seed: number;
  /** Sensors per data set (the paper's ten stations). */
  sensors: number;
  mMax: number;
  wind: WindModel;
  sweep: {
    /** Numbers of low-quality sensors to run. */
    lowQuality: number[];
    /** Data sets per number. */
    dataSets: number;
    minutes: number;
  };
  broken: {
    minutes: number;
    /** Index of the sensor that breaks. */
    sensor: number;
    fault: FaultWindow;
  };
  /** Readings in the fusion whose operations are counted. */
  opsReadings: number;
  clustering: ClusteringPlan;
}

/** The paper's setup: ten data sets of a day per mix, the fault from minute 600 to 1200 of 1800. */
export function fullPlan(seed = 1): FusionPlan {
  return {
    seed,
    sensors: 10,
    mMax: M_MAX,
    wind: DEFAULT_WIND,
    sweep: { lowQuality: Array.from({ length: 11 }, (_, i) => i), dataSets: 10, minutes: MINUTES_PER_DAY },
    broken: { minutes: 1800, sensor: 0, fault: { from: 600, to: 1200 } },
    opsReadings: 32,
    clustering: clusteringPlan(seed),
  };
}

/**
 * Every mix, but three data sets of six hours each (about a twentieth of the fusions). Six
 * hours from midnight are the calmest of the day, so MAPEs run higher than in the full plan.
 * The broken-sensor run stays whole: it is cheap, and its check needs the full window.
 */
export function quickPlan(seed = 1): FusionPlan {
  const plan = fullPlan(seed);
  return { ...plan, sweep: { ...plan.sweep, dataSets: 3, minutes: 360 }, clustering: clusteringPlan(seed, true) };
}

// ---- Fusing a series ---------------------------------------------------------------------

export function fuse(engine: FuseEngine, readings: readonly Reading[], method: Method): FusionOutcome {
  return method.qos === undefined ? engine.average(readings) : engine.fti(readings, method.qos);
}

/** How often each flag came up, over `fusions` calls. */
export interface FlagCounts {
  fusions: number;
  empty: number;
  reducedF: number;
  none: number;
  rejected: number;
}

export function noFlags(): FlagCounts {
  return { fusions: 0, empty: 0, reducedF: 0, none: 0, rejected: 0 };
}

export function addFlags(a: FlagCounts, b: FlagCounts): FlagCounts {
  return {
    fusions: a.fusions + b.fusions,
    empty: a.empty + b.empty,
    reducedF: a.reducedF + b.reducedF,
    none: a.none + b.none,
    rejected: a.rejected + b.rejected,
  };
}

export function countFlags(flags: readonly number[]): FlagCounts {
  const has = (bit: number) => flags.filter((f) => (f & bit) !== 0).length;
  return { fusions: flags.length, empty: has(FUSE_FLAG.EMPTY), reducedF: has(FUSE_FLAG.REDUCED_F), none: has(FUSE_FLAG.NONE), rejected: has(FUSE_FLAG.REJECTED) };
}

export interface FusedSeries {
  values: number[];
  flags: FlagCounts;
}

/** One fused value per minute. */
export function fuseSeries(engine: FuseEngine, readings: readonly (readonly Reading[])[], method: Method): FusedSeries {
  const outcomes = readings.map((step) => fuse(engine, step, method));
  return { values: outcomes.map((o) => o.value), flags: countFlags(outcomes.map((o) => o.flags)) };
}

// ---- (a) low- against high-quality sensors -----------------------------------------------

export interface DataSetResult {
  lowQuality: number;
  index: number;
  windSeed: number;
  sensorSeed: number;
  /** Each sensor's relative maximum deviation. */
  d: number[];
  errors: PerMethod<ErrorStats>;
}

export interface SweepPoint {
  lowQuality: number;
  dataSets: DataSetResult[];
  /** Median over the data sets of their MAPE. */
  medianMape: PerMethod<number>;
  flags: PerMethod<FlagCounts>;
}

export interface WindSummary {
  series: number;
  minutes: number;
  mean: number;
  min: number;
  max: number;
  /** Means over 12:00-18:00 and 00:00-06:00 (only where the series covers them). */
  afternoonMean: number;
  nightMean: number;
  gustsPerHour: number;
}

export function summariseWind(series: readonly { speed: readonly number[]; gustStarts: number }[]): WindSummary {
  const all = series.flatMap((s) => s.speed);
  const minutes = all.length;
  const part = (from: number, to: number) => {
    const means = series.map((s) => dayPartMean(s.speed, from, to)).filter(Number.isFinite);
    return means.length ? means.reduce((a, b) => a + b, 0) / means.length : NaN;
  };
  return {
    series: series.length,
    minutes: series[0]?.speed.length ?? 0,
    mean: all.reduce((a, b) => a + b, 0) / Math.max(minutes, 1),
    min: Math.min(...all),
    max: Math.max(...all),
    afternoonMean: part(12, 18),
    nightMean: part(0, 6),
    gustsPerHour: (60 * series.reduce((a, s) => a + s.gustStarts, 0)) / Math.max(minutes, 1),
  };
}

export type Progress = (done: number, total: number, what: string) => void;

/** Steps `progress` counts: every data set of the sweep, the broken-sensor run and the ops count. */
export function stepsIn(plan: FusionPlan): number {
  return plan.sweep.lowQuality.length * plan.sweep.dataSets + 3;
}

/** Engine calls of the whole plan. */
export function fusionsIn(plan: FusionPlan): number {
  const broken = plan.broken.minutes + (plan.broken.fault.to - plan.broken.fault.from);
  return METHODS.length * (plan.sweep.lowQuality.length * plan.sweep.dataSets * plan.sweep.minutes + broken + 1);
}

/**
 * Data set r uses the same wind series for every mix: the mixes then differ only in their
 * sensors, so the box plots compare sensor quality, not weather. Sensors are seeded per mix
 * and data set.
 */
export function runSweep(plan: FusionPlan, engine: FuseEngine, step: (what: string) => void = () => {}): { sweep: SweepPoint[]; wind: WindSummary } {
  const winds = Array.from({ length: plan.sweep.dataSets }, (_, r) => {
    const seed = subSeed(plan.seed, `sweep/wind/${r}`);
    return { seed, ...windComponents(plan.sweep.minutes, seed, plan.wind) };
  });
  const sweep = plan.sweep.lowQuality.map((low): SweepPoint => {
    if (!Number.isInteger(low) || low < 0 || low > plan.sensors) throw new RangeError(`${low} low-quality sensors of ${plan.sensors}`);
    let flags = perMethod(noFlags);
    const dataSets = winds.map((w, r): DataSetResult => {
      const sensorSeed = subSeed(plan.seed, `sweep/sensors/${low}/${r}`);
      const data = sensorReadings(w.speed, { seed: sensorSeed, qualities: qualities(plan.sensors, low), mMax: plan.mMax });
      const errors = perMethod((m) => {
        const fused = fuseSeries(engine, data.readings, m);
        flags = { ...flags, [m.key]: addFlags(flags[m.key], fused.flags) };
        return errorStats(fused.values, w.speed);
      });
      step(`${low} low-quality, data set ${r + 1}`);
      return { lowQuality: low, index: r, windSeed: w.seed, sensorSeed, d: data.sensors.map((s) => s.d), errors };
    });
    return { lowQuality: low, dataSets, medianMape: perMethod((m) => median(dataSets.map((d) => d.errors[m.key].mape))), flags };
  });
  const wind = summariseWind(winds.map((w) => ({ speed: w.speed, gustStarts: w.gusts.starts.length })));
  return { sweep, wind };
}

// ---- (b) a broken sensor ---------------------------------------------------------------

export interface BrokenResult {
  minutes: number;
  sensors: number;
  fault: FaultWindow;
  sensorIndex: number;
  /** The broken sensor (its d and the accuracy it keeps claiming). */
  sensor: Sensor;
  windSeed: number;
  sensorSeed: number;
  truth: number[];
  fused: PerMethod<number[]>;
  inside: PerMethod<ErrorStats>;
  outside: PerMethod<ErrorStats>;
  /** Inside over outside, for MAPE and MAE. */
  ratio: PerMethod<{ mape: number; mae: number }>;
  /**
   * Inside the window, fused over the other sensors only: what is left when the broken one is
   * known and dropped. Against `inside` it separates the cost of losing the sensor's
   * information (a precise one weighs much in FTI's peak) from being misled by its values.
   */
  withoutBroken: PerMethod<ErrorStats>;
  /** Over the fault window only: the flags there say how the fusion saw the fault. */
  flagsInside: PerMethod<FlagCounts>;
  flagsOutside: PerMethod<FlagCounts>;
}

export function runBroken(plan: FusionPlan, engine: FuseEngine): BrokenResult {
  const { minutes, sensor, fault } = plan.broken;
  if (!(sensor >= 0 && sensor < plan.sensors)) throw new RangeError(`broken sensor ${sensor} of ${plan.sensors}`);
  if (!(fault.from >= 0 && fault.from < fault.to && fault.to <= minutes)) throw new RangeError(`fault window ${fault.from}..${fault.to} is not inside 0..${minutes}`);
  const windSeed = subSeed(plan.seed, 'broken/wind');
  const sensorSeed = subSeed(plan.seed, 'broken/sensors');
  const truth = windComponents(minutes, windSeed, plan.wind).speed;
  const data = sensorReadings(truth, { seed: sensorSeed, qualities: qualities(plan.sensors, 0), faults: { [sensor]: fault }, mMax: plan.mMax });
  const inWindow = (t: number) => t >= fault.from && t < fault.to;
  const runs = perMethod((m) => data.readings.map((step) => fuse(engine, step, m)));
  const fused = perMethod((m) => runs[m.key].map((o) => o.value));
  const inside = perMethod((m) => errorStats(fused[m.key], truth, inWindow));
  const outside = perMethod((m) => errorStats(fused[m.key], truth, (t) => !inWindow(t)));
  const others = data.readings.slice(fault.from, fault.to).map((step) => step.filter((_, i) => i !== sensor));
  const withoutBroken = perMethod((m) => errorStats(fuseSeries(engine, others, m).values, truth.slice(fault.from, fault.to)));
  const flagsWhere = (keep: (t: number) => boolean) => perMethod((m) => countFlags(runs[m.key].filter((_, t) => keep(t)).map((o) => o.flags)));
  return {
    minutes,
    sensors: plan.sensors,
    fault,
    sensorIndex: sensor,
    sensor: data.sensors[sensor],
    windSeed,
    sensorSeed,
    truth,
    fused,
    inside,
    outside,
    ratio: perMethod((m) => ({ mape: inside[m.key].mape / outside[m.key].mape, mae: inside[m.key].mae / outside[m.key].mae })),
    withoutBroken,
    flagsInside: flagsWhere(inWindow),
    flagsOutside: flagsWhere((t) => !inWindow(t)),
  };
}

// ---- Operations of one fusion ------------------------------------------------------------

export interface OpsResult {
  readings: number;
  truth: number;
  rows: { method: MethodKey; ops: number; used: number; f: number; flags: number }[];
}

/** One fusion of `plan.opsReadings` high-quality readings of a wind at the model's mean. */
export function measureOps(plan: FusionPlan, engine: FuseEngine): OpsResult {
  const truth = plan.wind.meanSpeed;
  const data = sensorReadings([truth], { seed: subSeed(plan.seed, 'ops/sensors'), qualities: qualities(plan.opsReadings, 0), mMax: plan.mMax });
  const rows = METHODS.map((m) => {
    const o = fuse(engine, data.readings[0], m);
    return { method: m.key, ops: o.ops, used: o.used, f: o.f, flags: o.flags };
  });
  return { readings: plan.opsReadings, truth, rows };
}

// ---- The whole study ---------------------------------------------------------------------

export interface FusionStudyResult {
  plan: FusionPlan;
  wind: WindSummary;
  sweep: SweepPoint[];
  broken: BrokenResult;
  ops: OpsResult;
  /** null when the engine has no clustering (a test's stand-in). */
  clustering: ClusteringResult | null;
}

export function runFusionStudy(plan: FusionPlan, engine: FuseEngine, progress?: Progress): FusionStudyResult {
  const total = stepsIn(plan);
  let done = 0;
  const step = (what: string) => progress?.(++done, total, what);
  const { sweep, wind } = runSweep(plan, engine, step);
  const broken = runBroken(plan, engine);
  step('broken sensor');
  const ops = measureOps(plan, engine);
  step('operation count');
  const clustering = engine.cluster ? runClustering(plan.clustering, engine.cluster) : null;
  step('clustering');
  return { plan, wind, sweep, broken, ops, clustering };
}
