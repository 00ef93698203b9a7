// The DATOR §4 study (docs/orchestration.md, "Experiments"): the four cluster scenarios swept over
// the input rate, the delivery check over many packages and seeds, and a timeline of the first
// packages. Runs are independent and deterministic; this file only plans them and collects.

import { join } from 'node:path';
import type { BoardSet } from '../../host-sim/boards.ts';
import type { Program } from '../../host-sim/program.ts';
import { loadScenario } from '../../host-sim/scenario/load.ts';
import type { Scenario } from '../../host-sim/scenario/validate.ts';
import type { ThroughputBound } from './bound.ts';
import { runAtRate, scenarioBound, type RunResult, type TraceEvent } from './experiment.ts';

export const SCENARIOS = ['stable', 'unstable', 'loss', 'slow'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface StudyPlan {
  /** Folder holding `<name>.yaml` for every name in SCENARIOS. */
  scenarioDir: string;
  /** Input rates of the sweep, samples per second. */
  rates: number[];
  sweepSeeds: number[];
  sweepSamples: number;
  /** The delivery check: these scenarios, at this rate, over these seeds and samples each. */
  checkScenarios: ScenarioName[];
  checkRate: number;
  checkSeeds: number[];
  checkSamples: number;
  /** The timeline: the stable scenario at this rate, its first packages. */
  timelineRate: number;
  timelinePackages: number;
}

export function fullPlan(scenarioDir: string): StudyPlan {
  return {
    scenarioDir,
    rates: [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3],
    sweepSeeds: [1, 2, 3],
    sweepSamples: 300,
    checkScenarios: ['stable', 'loss', 'unstable'],
    checkRate: 1,
    checkSeeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    checkSamples: 1000,
    timelineRate: 1.5,
    timelinePackages: 8,
  };
}

/** A few minutes less: fewer rates, seeds and samples (for a first look and for tests). */
export function quickPlan(scenarioDir: string): StudyPlan {
  return {
    ...fullPlan(scenarioDir),
    rates: [0.5, 1, 1.5, 2, 3],
    sweepSeeds: [1],
    sweepSamples: 120,
    checkSeeds: [1, 2],
    checkSamples: 120,
  };
}

/** One point of a sweep: the runs at one rate, averaged over their seeds. */
export interface SweepPoint {
  rate: number;
  meanLatencyS: number;
  throughput: number;
  idle: Record<number, number>;
  controlBytesPerPackage: number;
  runs: RunResult[];
}

export interface DeliveryCheck {
  scenario: ScenarioName;
  rate: number;
  seeds: number[];
  samples: number;
  submitted: number;
  delivered: number;
  failed: Record<number, number>;
  open: number;
  repeats: number;
  deliveredAndFailed: number;
  droppedAtSensor: number;
  custodyLost: number;
  controlBytesPerPackage: number;
  payloadBytesPerPackage: number;
  /** Runs the simulator stopped with an error (must be none). */
  failures: string[];
}

export interface ScenarioStudy {
  name: ScenarioName;
  description: string;
  bound: ThroughputBound & { stepSeconds: Record<number, number> };
  sweep: SweepPoint[];
  /**
   * Saturation throughput: the mean throughput over the sweep's rates at or above
   * SATURATED_ABOVE × the bound (where the input exceeds what the cluster can take), with the
   * lowest and highest of those points; the highest point when no rate is that high.
   */
  saturation: number;
  saturationRange: [number, number];
}

export interface StudyResult {
  plan: StudyPlan;
  scenarios: ScenarioStudy[];
  checks: DeliveryCheck[];
  timeline: { rate: number; packages: number; events: TraceEvent[] };
}

export interface StudyContext {
  program: Program;
  boards: BoardSet;
  /** Told after every run: done of total. */
  progress?: (done: number, total: number, what: string) => void;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

/** Sweep points whose input rate is at least this multiple of the bound count as saturated. */
export const SATURATED_ABOVE = 1.2;

/** The saturation throughput of a sweep (ScenarioStudy.saturation). */
export function saturationOf(sweep: { rate: number; throughput: number }[], bound: number): { mean: number; range: [number, number] } {
  const plateau = sweep.filter((p) => p.rate >= SATURATED_ABOVE * bound).map((p) => p.throughput);
  const points = plateau.length ? plateau : [Math.max(...sweep.map((p) => p.throughput))];
  return { mean: mean(points), range: [Math.min(...points), Math.max(...points)] };
}

/** Bytes per delivered package over several runs: weighted by their deliveries. */
function perDelivered(runs: RunResult[], f: (r: RunResult) => number): number {
  const delivered = runs.reduce((a, r) => a + r.delivered, 0);
  return runs.reduce((a, r) => a + f(r) * r.delivered, 0) / Math.max(delivered, 1);
}

export function runsIn(plan: StudyPlan): number {
  return SCENARIOS.length * plan.rates.length * plan.sweepSeeds.length + plan.checkScenarios.length * plan.checkSeeds.length + 1;
}

function load(plan: StudyPlan, name: ScenarioName, boards: BoardSet): Scenario {
  return loadScenario(join(plan.scenarioDir, `${name}.yaml`), boards);
}

/** Runs the whole plan. */
export function runStudy(plan: StudyPlan, ctx: StudyContext): StudyResult {
  const total = runsIn(plan);
  let done = 0;
  const step = (what: string) => ctx.progress?.(++done, total, what);
  const base = { program: ctx.program, boards: ctx.boards };

  const scenarios: ScenarioStudy[] = SCENARIOS.map((name) => {
    const sc = load(plan, name, ctx.boards);
    const sweep = plan.rates.map((rate): SweepPoint => {
      const runs = plan.sweepSeeds.map((seed) => {
        const r = runAtRate(sc, { ...base, rate, seed, samples: plan.sweepSamples });
        step(`${name} ${rate}/s seed ${seed}`);
        return r;
      });
      const idle: Record<number, number> = {};
      for (const id of Object.keys(runs[0].idle).map(Number)) idle[id] = mean(runs.map((r) => r.idle[id]));
      return {
        rate,
        meanLatencyS: mean(runs.map((r) => r.meanLatencyS)),
        throughput: mean(runs.map((r) => r.throughput)),
        idle,
        controlBytesPerPackage: perDelivered(runs, (r) => r.controlBytesPerPackage),
        runs,
      };
    });
    const bound = scenarioBound(sc, ctx.boards);
    const sat = saturationOf(sweep, bound.rate);
    return { name, description: sc.description ?? name, bound, sweep, saturation: sat.mean, saturationRange: sat.range };
  });

  const checks = plan.checkScenarios.map((name): DeliveryCheck => {
    const sc = load(plan, name, ctx.boards);
    const runs = plan.checkSeeds.map((seed) => {
      const r = runAtRate(sc, { ...base, rate: plan.checkRate, seed, samples: plan.checkSamples });
      step(`${name} check seed ${seed}`);
      return r;
    });
    const failed: Record<number, number> = {};
    for (const r of runs) for (const [k, v] of Object.entries(r.failed)) failed[Number(k)] = (failed[Number(k)] ?? 0) + v;
    const sum = (f: (r: RunResult) => number) => runs.reduce((a, r) => a + f(r), 0);
    const delivered = sum((r) => r.delivered);
    return {
      scenario: name,
      rate: plan.checkRate,
      seeds: plan.checkSeeds,
      samples: plan.checkSamples,
      submitted: sum((r) => r.submitted),
      delivered,
      failed,
      open: sum((r) => r.open),
      repeats: sum((r) => r.repeats),
      deliveredAndFailed: sum((r) => r.deliveredAndFailed),
      droppedAtSensor: sum((r) => r.droppedAtSensor),
      custodyLost: sum((r) => r.custodyLost),
      controlBytesPerPackage: perDelivered(runs, (r) => r.controlBytesPerPackage),
      payloadBytesPerPackage: perDelivered(runs, (r) => r.payloadBytesPerPackage),
      failures: runs.filter((r) => r.failure !== null).map((r) => `seed ${r.seed}: ${r.failure}`),
    };
  });

  const stable = load(plan, 'stable', ctx.boards);
  const t = runAtRate(stable, { ...base, rate: plan.timelineRate, seed: 1, samples: plan.timelinePackages, trace: true });
  step('timeline');
  return { plan, scenarios, checks, timeline: { rate: plan.timelineRate, packages: plan.timelinePackages, events: t.trace } };
}
