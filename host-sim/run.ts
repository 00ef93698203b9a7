// Running a simulation to its end and writing the run folder. Wall-clock time is measured
// here for the terminal only; it never reaches the files.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Simulation, type SimulationSetup } from './simulation.ts';
import { buildMetrics, metricsToJson, type Metrics } from './metrics.ts';
import { eventsToCsv } from './events.ts';
import { hermesMarkdown } from './hermes.ts';

export interface RunOptions {
  /** Run folder; default runs/<scenario>-seed<N>/ under the working directory. */
  out?: string;
  /** Called now and then with the fraction of virtual time done. */
  onProgress?: (fraction: number) => void;
}

export interface RunResult {
  sim: Simulation;
  metrics: Metrics;
  dir: string;
  failure: Error | null;
  wallMs: number;
}

export function defaultRunDir(name: string, seed: number): string {
  return join('runs', `${name}-seed${seed}`);
}

export function runSimulation(setup: SimulationSetup, opts: RunOptions = {}): RunResult {
  const started = performance.now();
  const sim = new Simulation(setup);
  sim.run(opts.onProgress ? (now) => opts.onProgress!(now / setup.duration) : undefined);
  opts.onProgress?.(1);
  const metrics = buildMetrics(sim);
  const dir = resolve(opts.out ?? defaultRunDir(setup.name, setup.seed));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metrics.json'), metricsToJson(metrics));
  writeFileSync(join(dir, 'events.csv'), eventsToCsv(sim.events.rows));
  if (metrics.hermes) writeFileSync(join(dir, 'report.md'), hermesMarkdown(metrics.hermes, setup.name, setup.seed));
  return { sim, metrics, dir, failure: sim.failure, wallMs: performance.now() - started };
}
