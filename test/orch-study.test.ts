// The DATOR study (docs/orchestration.md, "Experiments"): package feeds and their ledger, one run
// of a cluster scenario measured, the scenarios' analytic bound, the report's files, and the
// `myco orch` command. The full study runs with `npm run report:dator`; here small plans.

import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBoards } from '../host-sim/boards.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { BUILD_DIR, SCENARIOS_DIR } from '../host-sim/paths.ts';
import { loadScenario } from '../host-sim/scenario/load.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { runAtRate, scenarioBound } from '../tools/orch/experiment.ts';
import { quickPlan, runStudy, saturationOf, type StudyPlan } from '../tools/orch/study.ts';
import { checkHolds, reportFiles, timelineChart } from '../tools/orch/report.ts';
import { main } from '../tools/cli/main.ts';
import { nodeWasm } from './helpers/wasm.ts';

const boards = loadBoards();
const DATOR = join(SCENARIOS_DIR, 'dator');
let program: Program;

beforeAll(async () => {
  await nodeWasm();
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
});

function cli(argv: string[]) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), stderr: process.stderr };
  return main(argv, io).then((code) => ({ code, out, err }));
}

const TWO_NODES = (packages: string, extra = '') => `
name: feed
duration: 60s
defaults:
  board: esp32
  config: {hello_interval_ms: 500, neighbour_timeout_ms: 2000, orch_enable: 1, orch_packages: 3, orch_step_cost: 400000${extra}}
medium: {kind: links, links: [{a: 1, b: 2}]}
nodes: [{id: 1, config: {orch_steps: 0}}, {id: 2, config: {orch_steps: 1}}]
packages:
${packages}
`;

describe('package feeds in scenarios', () => {
  it('validates the feed: nodes, step order, times', () => {
    const bad = (feed: string) => () => parseScenario('f.yaml', TWO_NODES(feed), { boards });
    expect(bad('  - {from: 9, target: 1, steps: [1, 1], every: 1s}')).toThrow(/f\.yaml:\d+:\d+: packages\[0\]\.from: no node with id 9/);
    expect(bad('  - {from: 1, target: 1, steps: [2, 1], every: 1s}')).toThrow(/packages\[0\]\.steps: the first step \(2\) comes after the last \(1\)/);
    expect(bad('  - {from: 1, target: 1, steps: [1, 1], every: 1s, start: 5s, stop: 2s}')).toThrow(/packages\[0\]\.stop: must be after start/);
    expect(bad('  - {from: 1, target: 1, steps: [1, 32], every: 1s}')).toThrow(/packages/);
    expect(bad('  - {from: 1, target: 1, steps: [1, 1], every: 1s, backups: [7]}')).toThrow(/packages\[0\]\.backups\[0\]: no node with id 7/);
    expect(bad('  - {from: 1, target: 1, steps: [1, 1], evry: 1s}')).toThrow(/evry/);
  });

  it('feeds a sample every period; a busy node keeps them in the sensor queue, which drops the oldest', () => {
    // Node 2's one step takes 232 ms; samples every 100 ms overrun it and node 1's 3 slots.
    const sc = parseScenario('f.yaml', TWO_NODES('  - {from: 1, target: 1, steps: [1, 1], bytes: 32, every: 100ms, start: 5s, count: 60, queue: 2}'), { boards });
    const sim = new Simulation({ ...resolveScenario(sc, { boards, program }), checkLoops: false });
    sim.run();
    const s = sim.ledger!.samples;
    expect(s.length).toBe(60);
    expect(s[0].createdUs).toBe(5_000_000);
    expect(s[1].createdUs - s[0].createdUs).toBe(100_000);
    const dropped = s.filter((x) => x.droppedUs !== null);
    const delivered = s.filter((x) => x.resultUs !== null);
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.length + delivered.length).toBe(60);
    expect(s.every((x) => x.repeats === 0 && x.failedUs === null)).toBe(true);
    // Never more than `queue` samples waiting besides the one being handed to the node.
    expect(sim.ledger!.unknown).toBe(0);
    // Delivered ones in sample order (one step node, first in first out).
    const order = delivered.map((x) => x.resultUs!);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('a feed the node refuses for good (payload above orch_payload_bytes) stops the run with a clear error', () => {
    const sc = parseScenario('f.yaml', TWO_NODES('  - {from: 1, target: 1, steps: [1, 1], bytes: 300, every: 1s, start: 5s, count: 2}'), { boards });
    const sim = new Simulation({ ...resolveScenario(sc, { boards, program }), checkLoops: false });
    expect(() => sim.run()).toThrow(/package feed 0 at node 1: submit refused \(-6\)/);
  });
});

describe('one measured run of the cluster', () => {
  it('is deterministic for a seed, and every package ends delivered once', () => {
    const sc = loadScenario(join(DATOR, 'stable.yaml'), boards);
    const a = runAtRate(sc, { program, boards, rate: 1, seed: 3, samples: 40 });
    const b = runAtRate(sc, { program, boards, rate: 1, seed: 3, samples: 40 });
    const { trace: _a, ...ra } = a;
    const { trace: _b, ...rb } = b;
    expect(ra).toEqual(rb);
    expect(a.failure).toBeNull();
    expect(a.delivered).toBe(40);
    expect(a.open + a.repeats + a.droppedAtSensor).toBe(0);
    // Below saturation: throughput is the input rate; latency at least the six steps' mean work.
    expect(a.throughput).toBeCloseTo(1, 1);
    expect(a.meanLatencyS).toBeGreaterThan(0.05 + 0.4 + 0.2 + 0.15 + 0.6 + 0.05 - 0.25);
    expect(a.controlBytesPerPackage).toBeGreaterThan(0);
    for (const idle of Object.values(a.idle)) expect(idle).toBeGreaterThan(0);
    // Node 4 (the classifier) is busy 0.6 s per package at 1 package/s: idle about 40 %.
    expect(a.idle[4]).toBeGreaterThan(0.25);
    expect(a.idle[4]).toBeLessThan(0.5);
  });

  it('the bound comes from the scenario: steps per node and their cost on the board', () => {
    const b = scenarioBound(loadScenario(join(DATOR, 'stable.yaml'), boards), boards);
    expect(b.stepSeconds[5]).toBeCloseTo(0.6, 6);
    expect(b.rate).toBeCloseTo(1 / 0.6, 6);
    expect(b.perNode[4]).toBeCloseTo(1, 6);
    const sc = loadScenario(join(DATOR, 'stable.yaml'), boards);
    const without4 = { ...sc, nodes: sc.nodes.map((n) => (n.id === 4 ? { ...n, config: { ...n.config, orch_steps: 0 } } : n)) };
    expect(() => scenarioBound(without4, boards)).toThrow(/no node has step 5 loaded/);
  });

  it('traces the first packages for the timeline', () => {
    const sc = loadScenario(join(DATOR, 'stable.yaml'), boards);
    const r = runAtRate(sc, { program, boards, rate: 1.5, seed: 1, samples: 3, trace: true });
    const counters = new Set(r.trace.map((e) => e.counter));
    expect(counters.size).toBe(3);
    // Six steps each, started and done.
    expect(r.trace.filter((e) => e.event === 2).length).toBe(18);
    const svg = timelineChart(r.trace, 1.5);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['>A<', '>B<', '>C<', 'inference 4']) expect(svg).toContain(label);
  });
});

describe('the study and its report', () => {
  it('saturation throughput: the mean over rates well above the bound, with its range', () => {
    const sweep = [0.5, 1, 1.5, 2, 3].map((rate, i) => ({ rate, throughput: [0.5, 1, 1.4, 1.5, 1.3][i] }));
    expect(saturationOf(sweep, 2)).toEqual({ mean: 1.3, range: [1.3, 1.3] }); // only 3 >= 1.2 x 2
    const s = saturationOf(sweep, 1.25); // 1.5, 2 and 3
    expect(s.mean).toBeCloseTo(1.4, 12);
    expect(s.range).toEqual([1.3, 1.5]);
    expect(saturationOf(sweep, 5)).toEqual({ mean: 1.5, range: [1.5, 1.5] }); // none: the highest point
  });

  const tiny = (): StudyPlan => ({
    ...quickPlan(DATOR), rates: [0.5, 2.5], sweepSamples: 60, checkScenarios: ['loss'], checkSeeds: [1], checkSamples: 60, timelinePackages: 3,
  });

  it('runs every scenario, checks delivery, and writes report.md, the plots and results.json', () => {
    const progress: number[] = [];
    const r = runStudy(tiny(), { program, boards, progress: (d) => progress.push(d) });
    expect(progress.at(-1)).toBe(4 * 2 + 1 + 1);
    expect(r.scenarios.map((s) => s.name)).toEqual(['stable', 'unstable', 'loss', 'slow']);
    for (const s of r.scenarios) {
      expect(s.sweep.map((p) => p.rate)).toEqual([0.5, 2.5]);
      // Below the bound the cluster keeps up; above it, throughput stays under the bound plus noise.
      expect(s.sweep[0].throughput).toBeCloseTo(0.5, 1);
      expect(s.saturation).toBeLessThan(s.bound.rate * 1.1);
    }
    expect(checkHolds(r.checks[0])).toBe(true);
    const files = reportFiles(r);
    expect(Object.keys(files).sort()).toEqual(
      ['idle-loss.svg', 'idle-slow.svg', 'idle-stable.svg', 'idle-unstable.svg', 'latency.svg', 'report.md', 'results.json', 'throughput.svg', 'timeline.svg'],
    );
    expect(files['report.md']).toContain('## Analytic bound');
    expect(files['report.md']).toMatch(/\*\*1\.667 packages\/s\*\*/);
    expect(JSON.parse(files['results.json']).scenarios).toHaveLength(4);
  });
});

describe('myco orch', () => {
  it('bound prints the rate and the busiest nodes', async () => {
    const r = await cli(['orch', 'bound', join(DATOR, 'stable.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1\.667 packages\/s/);
    expect(r.out).toMatch(/node 4: 100\.0 % busy/);
  });

  it('refuses a wrong action, flag or value with a usage error', async () => {
    expect((await cli(['orch'])).code).toBe(2);
    const wrong = await cli(['orch', 'repotr']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/unknown orch action "repotr" \(known: report, bound\)/);
    expect((await cli(['orch', 'report', '--rates', '1,x'])).err).toMatch(/--rates takes positive numbers/);
    expect((await cli(['orch', 'report', '--seeds', '0'])).err).toMatch(/--seeds must be an integer 1\.\.1000/);
    expect((await cli(['orch', 'report', '--sede', '3'])).err).toMatch(/unknown option --sede/);
    const missing = await cli(['orch', 'bound', '/nonexistent.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nonexistent\.yaml/);
  });

  it('report --quick writes the report into --out', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dator-'));
    const r = await cli(['orch', 'report', '--quick', '--rates', '1,2.5', '--samples', '40', '--out', out]);
    expect(r.out).toMatch(/stable +saturation/);
    expect(r.out).toMatch(/loss +2 seeds x 40: 80\/80 delivered/);
    for (const f of ['report.md', 'timeline.svg', 'throughput.svg']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('Every package delivered once');
  });
});
