// Acceptance checks of the simulator with the real node program (build/node.wasm; `npm test`
// builds it first).

import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadBoards } from '../host-sim/boards.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { loadDefaultScenario } from '../host-sim/scenario/load.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { runSimulation } from '../host-sim/run.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';

const boards = loadBoards();
const S = 1_000_000;
const HELLO_MS = 500;
const TIMEOUT_MS = 1750;
const OFF_AT = 15 * S;
const ON_AT = 30 * S;
const OFF_NODE = 4;

const TEN_NODES = `
name: ten
seed: 11
duration: 45s
defaults:
  board: esp32
  config: {hello_interval_ms: ${HELLO_MS}, neighbour_timeout_ms: ${TIMEOUT_MS}, ping_interval_ms: 1000}
medium: {kind: range, range_m: 50, loss: 0.02}
nodes:
  - random: {count: 10, area: [120, 120], connected: true}
outages:
  - {node: ${OFF_NODE}, from: 15s, to: 30s}
`;

let program: Program;
beforeAll(() => {
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
});

function ids(sim: Simulation, id: number): number[] {
  return sim.node(id).neighbours().map((n) => n.id).sort((a, b) => a - b);
}

function expectTablesMatch(sim: Simulation): void {
  for (const node of sim.nodes.values()) {
    if (node.state !== 'on') continue;
    expect({ node: node.id, table: ids(sim, node.id) }).toEqual({ node: node.id, table: [...sim.trueNeighbours(node.id)].sort((a, b) => a - b) });
  }
}

describe('acceptance: neighbour discovery over the simulated medium', () => {
  it('tables equal the true neighbours; a node switched off leaves them in time and comes back', () => {
    const scenario = parseScenario('ten.yaml', TEN_NODES, { boards });
    const sim = new Simulation(resolveScenario(scenario, { boards, program }));
    expect(sim.nodes.size).toBe(10);

    sim.runUntil(OFF_AT - 1);
    expectTablesMatch(sim);
    const formerNeighbours = sim.trueNeighbours(OFF_NODE);
    expect(formerNeighbours.length).toBeGreaterThan(0);
    for (const n of formerNeighbours) expect(ids(sim, n)).toContain(OFF_NODE);

    // Gone from every table within the timeout plus one hello interval of slack.
    const deadline = OFF_AT + (TIMEOUT_MS + HELLO_MS) * 1000;
    sim.runUntil(deadline);
    expect(sim.node(OFF_NODE).state).toBe('off');
    for (const n of formerNeighbours) expect(ids(sim, n)).not.toContain(OFF_NODE);
    const downs = sim.events.rows.filter((r) => r.event === 'neighbour_down' && r.detail === `peer=${OFF_NODE}`);
    expect(downs.map((r) => r.node).sort((a, b) => a - b)).toEqual(formerNeighbours);
    for (const d of downs) {
      expect(d.at).toBeGreaterThan(OFF_AT);
      expect(d.at).toBeLessThanOrEqual(deadline);
    }
    expectTablesMatch(sim);

    // Back on (a fresh instance): found again by every neighbour, and it finds them.
    sim.runUntil(ON_AT + 5 * S);
    expect(sim.node(OFF_NODE).state).toBe('on');
    expect(sim.node(OFF_NODE).boots).toBe(2);
    for (const n of formerNeighbours) expect(ids(sim, n)).toContain(OFF_NODE);
    expectTablesMatch(sim);
    const ups = sim.events.rows.filter((r) => r.event === 'neighbour_up' && r.detail === `peer=${OFF_NODE}` && r.at >= ON_AT);
    expect(new Set(ups.map((r) => r.node))).toEqual(new Set(formerNeighbours));

    sim.run();
    expect(sim.failure).toBeNull();
    expectTablesMatch(sim);
    // Pings flowed and came back.
    const rtts = sim.events.rows.filter((r) => r.event === 'ping_rtt');
    expect(rtts.length).toBeGreaterThan(50);
  });
});

describe('acceptance: determinism', () => {
  const run = (seed?: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'myco-run-'));
    const scenario = loadDefaultScenario(boards);
    runSimulation(resolveScenario(scenario, { boards, program, seed }), { out: dir });
    return { metrics: readFileSync(join(dir, 'metrics.json')), events: readFileSync(join(dir, 'events.csv'), 'utf8') };
  };

  it('same scenario and seed: byte-identical metrics.json (and events.csv)', () => {
    const a = run();
    const b = run();
    expect(a.metrics.equals(b.metrics)).toBe(true);
    expect(a.events).toBe(b.events);
    const m = JSON.parse(a.metrics.toString());
    expect(m.status).toBe('ok');
    expect(m.nodes.length).toBe(12);
    expect(a.metrics.toString()).not.toMatch(/\/tmp|\/work|wall|20\d\d-\d\d-\d\d/);
  });

  it('a different seed gives different event timings', () => {
    const times = (csv: string) => csv.split('\n').slice(1).map((l) => l.split(',')[0]).join(' ');
    const a = run(1);
    const c = run(2);
    expect(times(a.events)).not.toBe(times(c.events));
    expect(a.metrics.equals(c.metrics)).toBe(false);
  });
});

describe('acceptance: memory discipline', () => {
  it('the heap top stays at its post-init value through a long run with reboots', () => {
    const scenario = parseScenario(
      'long.yaml',
      `name: long
seed: 5
duration: 10m
defaults: {board: esp8266, config: {hello_interval_ms: 200, neighbour_timeout_ms: 700, ping_interval_ms: 100}}
medium: {range_m: 40, loss: 0.1}
nodes:
  - random: {count: 20, area: [100, 100]}
outages:
  - {node: 1, at: 1m, for: 30s}
  - {node: 2, at: 3m, for: 2m}
`,
      { boards },
    );
    const sim = new Simulation(resolveScenario(scenario, { boards, program }));
    const tops = new Map<number, number>();
    for (let t = 30 * S; t <= 600 * S; t += 30 * S) {
      sim.runUntil(t);
      expect(sim.failure).toBeNull();
      for (const node of sim.nodes.values()) {
        const top = node.currentHeapTop();
        if (top === null) continue;
        expect(top).toBe(node.heapTop);
        if (tops.has(node.id)) expect(top).toBe(tops.get(node.id));
        tops.set(node.id, top);
        expect(top).toBeLessThanOrEqual(24576);
      }
    }
    expect(sim.node(1).boots).toBe(2);
    expect(sim.events.count('ping_rtt')).toBeGreaterThan(10_000);
  });

  it('a board whose budget is below the heap top fails the run with a clear message', () => {
    const tiny = { ...boards.get('esp8266')!, name: 'tiny', wasm_memory_budget: 2048 };
    const withTiny = new Map(boards).set('tiny', tiny);
    const scenario = parseScenario(
      'tiny.yaml',
      'name: tiny\nduration: 5s\nmedium: {kind: links, links: [{a: 1, b: 2}]}\nnodes:\n  - {id: 1}\n  - {id: 2, board: tiny}\n',
      { boards: withTiny },
    );
    const dir = mkdtempSync(join(tmpdir(), 'myco-tiny-'));
    const result = runSimulation(resolveScenario(scenario, { boards: withTiny, program }), { out: dir });
    expect(result.failure?.message).toMatch(/^node 2 \(board tiny\): heap top \d+ bytes after init exceeds the board's Wasm memory budget of 2048 bytes$/);
    const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    expect(m.status).toBe('failed');
    expect(m.error).toBe(result.failure!.message);
    expect(readFileSync(join(dir, 'events.csv'), 'utf8')).toMatch(/,2,budget_violation,heap_top=\d+ budget=2048/);
  });
});
