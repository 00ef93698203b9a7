// The fusion experiments' engine: the node's own fusion code (firmware/src/fuse) through the
// host tool entry firmware/tools/fuse_runner.ts, so what the report measures is what a node
// runs. One instance serves every call; a step's readings go in one by one.

import { toolModule } from '../build/tool-module.ts';
import { stubHal } from '../build/stub-hal.ts';
import type { ClusterAlgoNumber, ClusterEngine, FuseEngine, FusionOutcome, QosLevel, Reading } from './engine.ts';

const RUNNER = toolModule('fuse_runner');

interface RunnerExports {
  memory: WebAssembly.Memory;
  fuse_capacity(): number;
  fuse_clear(): void;
  fuse_add(value: number, accuracy: number): number;
  fuse_fti(qos: number): number;
  fuse_average(): number;
  fuse_interval(f: number): void;
  fault_tolerance(qos: number, n: number): number;
  result_value(): number;
  result_lo(): number;
  result_hi(): number;
  result_flags(): number;
  result_used(): number;
  result_f(): number;
  result_rejected(): number;
  result_ops(): number;
  series_clear(): void;
  series_push(slot: number, value: number): number;
  cluster_of(algo: number, active: number, reference: number, threshold: number, seed: number): number;
  cluster_work(): number;
}

/** The series window and scratches the runner holds (firmware/src/fuse/series.ts). */
export const RUNNER_SENSORS = 32;
export const RUNNER_WINDOW = 64;

/** The runner's exports, for the tests that call them one by one. */
export async function loadFuseRunner(): Promise<RunnerExports> {
  let memory: WebAssembly.Memory | undefined;
  const instance = await WebAssembly.instantiate(await RUNNER.load(), stubHal(() => memory!));
  const x = instance.exports as unknown as RunnerExports;
  memory = x.memory;
  return x;
}

function outcome(x: RunnerExports): FusionOutcome {
  return {
    value: x.result_value(),
    lo: x.result_lo(),
    hi: x.result_hi(),
    flags: x.result_flags() >>> 0,
    used: x.result_used(),
    f: x.result_f(),
    rejected: x.result_rejected(),
    ops: x.result_ops() >>> 0,
  };
}

export async function loadFuseEngine(): Promise<FuseEngine> {
  const x = await loadFuseRunner();
  const capacity = x.fuse_capacity();
  const load = (readings: readonly Reading[]) => {
    if (readings.length > capacity) throw new RangeError(`${readings.length} readings in one step; the fusion runner holds ${capacity}`);
    x.fuse_clear();
    for (const r of readings) x.fuse_add(r.value, r.accuracy);
  };
  const cluster: ClusterEngine = {
    clusterOf(series: readonly (readonly number[])[], reference: number, algo: ClusterAlgoNumber, threshold: number, seed: number) {
      if (series.length > RUNNER_SENSORS) throw new RangeError(`${series.length} sensors; the clustering runner holds ${RUNNER_SENSORS}`);
      x.series_clear();
      for (const [slot, samples] of series.entries()) {
        if (samples.length > RUNNER_WINDOW) throw new RangeError(`sensor ${slot}: ${samples.length} samples; the window holds ${RUNNER_WINDOW}`);
        for (const v of samples) x.series_push(slot, v);
      }
      const active = series.length === 32 ? 0xffffffff : (2 ** series.length - 1) >>> 0;
      const mask = x.cluster_of(algo, active, reference, threshold, seed >>> 0) >>> 0;
      return { mask, work: x.cluster_work() >>> 0 };
    },
  };
  return {
    cluster,
    fti(readings: readonly Reading[], qos: QosLevel): FusionOutcome {
      load(readings);
      x.fuse_fti(qos);
      return outcome(x);
    },
    average(readings: readonly Reading[]): FusionOutcome {
      load(readings);
      x.fuse_average();
      return outcome(x);
    },
  };
}
