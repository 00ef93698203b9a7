// One run of an orchestration scenario at a chosen input rate, measured the way DATOR §4 reports
// it (docs/orchestration.md, "Experiments"): mean latency from sample to result, throughput in
// the steady window, each node's idle fraction, how every package ended, and the bytes the
// orchestration messages cost per delivered package. Also the scenario's analytic bound.

import { CONFIG_KEYS } from '../wire/config.ts';
import { decodeOrchTrace } from '../wire/orch.ts';
import { EmitKind } from '../wire/abi.ts';
import type { BoardSet } from '../../host-sim/boards.ts';
import { getBoard } from '../../host-sim/boards.ts';
import { MemoryIO } from '../../host-sim/io.ts';
import type { Program } from '../../host-sim/program.ts';
import { resolveScenario } from '../../host-sim/scenario/resolve.ts';
import type { Scenario } from '../../host-sim/scenario/validate.ts';
import type { NodeConfig } from '../wire/config.ts';
import { Simulation } from '../../host-sim/simulation.ts';
import type { MediumStats } from '../../host-sim/medium.ts';
import { throughputBound, type ThroughputBound } from './bound.ts';
import { quantile } from '../report/svg.ts';

/** Wire types of the orchestration control messages (docs/wire.md): REQUEST..ACK, RELEASE..TAKEN. */
export const CONTROL_TYPES = [0x40, 0x41, 0x42, 0x43, 0x45, 0x46, 0x47, 0x48];
/** Package bytes: single-frame packages, fragments and their end-to-end acknowledgements. */
export const PAYLOAD_TYPES = [0x44, 0x1e, 0x1f];

/** Samples before the steady window starts (the pipeline fills first). */
const WARMUP_SAMPLES = 10;
/** How long the run goes on after the last sample, for the packages still in the pipeline. */
const DRAIN_US = 120_000_000;

export interface RunOptions {
  program: Program;
  boards: BoardSet;
  /** Samples per second at the feed (the scenario's first `packages` entry). */
  rate: number;
  seed: number;
  /** Samples made. */
  samples: number;
  /** Emit ORCH_TRACE records and return them (timelines). */
  trace?: boolean;
}

export interface TraceEvent {
  node: number;
  atUs: number;
  origin: number;
  counter: number;
  step: number;
  /** 1 step start, 2 step done, 3 sent to `peer`, 4 taken from `peer`. */
  event: number;
  peer: number;
}

export interface RunResult {
  rate: number;
  seed: number;
  samples: number;
  /** Samples the sensor dropped (its queue was full). */
  droppedAtSensor: number;
  submitted: number;
  delivered: number;
  /** Failures by reason (docs/orchestration.md: 1 no step, 2 target unreachable, 3 expired, ...). */
  failed: Record<number, number>;
  /** Submitted packages neither delivered nor failed when the run ended (must be 0). */
  open: number;
  /** Packages reported failed although a result was emitted (must be 0). */
  deliveredAndFailed: number;
  /** Results emitted more than once (must be 0). */
  repeats: number;
  meanLatencyS: number;
  p95LatencyS: number;
  /** Results per second in the steady window. */
  throughput: number;
  /** Per node: the fraction of the window it was neither computing nor sending (off counts as idle). */
  idle: Record<number, number>;
  /** Bytes per delivered package: orchestration control frames, and package frames. */
  controlBytesPerPackage: number;
  payloadBytesPerPackage: number;
  /** Packages taken back by a custodian after the holder stopped answering. */
  custodyLost: number;
  trace: TraceEvent[];
  /** The simulator stopped on a failure (trap, routing loop, heap growth): its message. */
  failure: string | null;
  /** Frame copies the medium lost, and frames radios dropped, by reason. */
  medium: Pick<MediumStats, 'lost' | 'dropped'>;
}

function sumTypes(byType: number[], types: number[]): number {
  return types.reduce((a, t) => a + byType[t], 0);
}

/** Runs `scenario` (its first package feed set to `rate` and `samples`) and measures it. */
export function runAtRate(scenario: Scenario, opts: RunOptions): RunResult {
  if (scenario.packages.length === 0) throw new Error(`${scenario.file}: no \`packages\` feed to drive`);
  if (!(opts.rate > 0)) throw new Error(`rate must be above 0 samples/s (got ${opts.rate})`);
  const feed = { ...scenario.packages[0], every: Math.round(1_000_000 / opts.rate), count: opts.samples, stop: Infinity };
  const lastSample = feed.start + (opts.samples - 1) * feed.every;
  const nodes = opts.trace ? scenario.nodes.map((n) => ({ ...n, config: { ...n.config, orch_trace: 1 } })) : scenario.nodes;
  const sc: Scenario = { ...scenario, nodes, packages: [feed, ...scenario.packages.slice(1)] };
  const ios = new Map<number, MemoryIO>();
  const setup = resolveScenario(sc, { boards: opts.boards, program: opts.program, seed: opts.seed, duration: lastSample + DRAIN_US });
  const sim = new Simulation({ ...setup, checkLoops: false, io: (id) => (opts.trace ? ios.set(id, new MemoryIO()).get(id)! : new MemoryIO()) });

  // The steady window: from the WARMUP_SAMPLES-th sample to the last one.
  const from = feed.start + Math.min(WARMUP_SAMPLES, opts.samples - 1) * feed.every;
  const busyAt = (): Map<number, number> => new Map([...sim.nodes].map(([id, n]) => [id, n.stats.busyUs]));
  let busyFrom = new Map<number, number>();
  let busyTo = new Map<number, number>();
  sim.engine.at(from, () => void (busyFrom = busyAt()));
  sim.engine.at(lastSample, () => void (busyTo = busyAt()));
  sim.run();

  const samples = sim.ledger!.samples;
  const delivered = samples.filter((s) => s.resultUs !== null);
  const latencies = delivered.map((s) => (s.resultUs! - s.createdUs) / 1e6).sort((a, b) => a - b);
  const failed: Record<number, number> = {};
  for (const s of samples) if (s.failReason !== null && s.resultUs === null) failed[s.failReason] = (failed[s.failReason] ?? 0) + 1;
  const windowUs = Math.max(lastSample - from, 1);
  const inWindow = delivered.filter((s) => s.resultUs! >= from && s.resultUs! < lastSample).length;
  const idle: Record<number, number> = {};
  for (const id of sim.nodes.keys()) idle[id] = Math.max(0, 1 - ((busyTo.get(id) ?? 0) - (busyFrom.get(id) ?? 0)) / windowUs);
  const byType = new Array<number>(256).fill(0);
  let custodyLost = 0;
  for (const n of sim.nodes.values()) {
    n.stats.txBytesByType.forEach((b, t) => (byType[t] += b));
    custodyLost += n.counters()['orch.custody.lost'] ?? 0;
  }
  const trace: TraceEvent[] = [];
  for (const [node, io] of ios) {
    for (const r of io.recordsOf(EmitKind.OrchTrace)) {
      const t = decodeOrchTrace(r.bytes);
      if (t) trace.push({ node, atUs: r.atUs, ...t });
    }
  }
  trace.sort((a, b) => a.atUs - b.atUs || a.node - b.node);
  const per = Math.max(delivered.length, 1);
  return {
    rate: opts.rate,
    seed: opts.seed,
    samples: samples.length,
    droppedAtSensor: samples.filter((s) => s.droppedUs !== null).length,
    submitted: samples.filter((s) => s.submittedUs !== null).length,
    delivered: delivered.length,
    failed,
    open: samples.filter((s) => s.submittedUs !== null && s.resultUs === null && s.failedUs === null).length,
    deliveredAndFailed: samples.filter((s) => s.resultUs !== null && s.failedUs !== null).length,
    repeats: samples.reduce((a, s) => a + s.repeats, 0) + sim.ledger!.unknown,
    meanLatencyS: latencies.reduce((a, b) => a + b, 0) / Math.max(latencies.length, 1),
    p95LatencyS: latencies.length ? quantile(latencies, 0.95) : NaN,
    throughput: inWindow / (windowUs / 1e6),
    idle,
    controlBytesPerPackage: sumTypes(byType, CONTROL_TYPES) / per,
    payloadBytesPerPackage: sumTypes(byType, PAYLOAD_TYPES) / per,
    custodyLost,
    trace,
    failure: sim.failure?.message ?? null,
    medium: { lost: sim.medium.stats.lost, dropped: sim.medium.stats.dropped },
  };
}

/** A node's value of config key `name` (or the default when unset). */
function configOf(config: NodeConfig, name: keyof typeof CONFIG_KEYS): unknown {
  return config[name] ?? CONFIG_KEYS[name].default;
}

/**
 * The analytic bound of the scenario's step configuration: which steps each orchestrating node
 * has loaded (`orch_steps`) and what each step costs there (`orch_step_costs` / `orch_step_cost`
 * × the board's ns per unit). Steps must cost the same wherever they are loaded.
 */
export function scenarioBound(scenario: Scenario, boards: BoardSet): ThroughputBound & { stepSeconds: Record<number, number> } {
  const feed = scenario.packages[0];
  if (!feed) throw new Error(`${scenario.file}: no \`packages\` feed: which steps does a package need?`);
  const stepSeconds: Record<number, number> = {};
  const nodes: { id: number; steps: number[] }[] = [];
  for (const n of scenario.nodes) {
    if (configOf(n.config, 'orch_enable') !== 1) continue;
    const mask = Number(configOf(n.config, 'orch_steps'));
    const costs = (configOf(n.config, 'orch_step_costs') as number[] | null) ?? [];
    const flat = Number(configOf(n.config, 'orch_step_cost'));
    const ns = getBoard(boards, n.board).compute.ns_per_unit;
    const steps: number[] = [];
    for (let step = feed.first; step <= feed.last; step++) {
      if (((mask >>> (step - 1)) & 1) === 0) continue;
      steps.push(step);
      const seconds = ((costs[step - 1] ?? flat) * ns) / 1e9;
      const seen = stepSeconds[step];
      if (seen !== undefined && Math.abs(seen - seconds) > 1e-9 * Math.max(seen, seconds)) {
        throw new Error(`step ${step} costs ${seen} s on one node and ${seconds} s on node ${n.id}: the bound assumes one duration per step`);
      }
      stepSeconds[step] = seconds;
    }
    nodes.push({ id: n.id, steps });
  }
  for (let step = feed.first; step <= feed.last; step++) {
    if (stepSeconds[step] === undefined) throw new Error(`${scenario.file}: no node has step ${step} loaded, so no package can finish`);
  }
  return { ...throughputBound({ nodes, stepSeconds }), stepSeconds };
}
