// Tree mode on the Wi-Fi tree medium with the real node program: the lifecycle forms a tree,
// routes follow it, and parent loss, root loss and restarts recover to a defined state. The
// loop-freedom check runs after every event in every run here.

import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadBoards } from '../host-sim/boards.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { loadScenario } from '../host-sim/scenario/load.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { runSimulation } from '../host-sim/run.ts';
import { convergence } from '../host-sim/routing.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';
import { LifeState, WifiFlag } from '../tools/wire/abi.ts';
import { decodeTree, METRIC_INFINITE } from '../tools/wire/inspect.ts';
import { SMALLEST_BUDGET } from '../tools/build/wasm.ts';

const boards = loadBoards();
const S = 1_000_000;
let program: Program;
beforeAll(() => {
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
});

function treeSim(nodes: string, extra = '', duration = '120s', seed = 1): Simulation {
  const text = `name: tree
seed: ${seed}
duration: ${duration}
defaults:
  board: esp32
  config: {route_mode: 1}
medium: {kind: wifi, range_m: 60, loss: 0}
nodes:
${nodes}
${extra}`;
  const sim = new Simulation(resolveScenario(parseScenario('tree.yaml', text, { boards }), { boards, program }));
  expect(sim.loops).not.toBeNull();
  return sim;
}

const tree = (sim: Simulation, id: number) => {
  const raw = sim.node(id).treeDump();
  return raw ? decodeTree(raw) : null;
};
const states = (sim: Simulation, id: number) =>
  sim.events.rows.filter((r) => r.node === id && r.event === 'state').map((r) => [r.at, /state=(\w+)/.exec(r.detail)![1]] as const);

/** Every node that is on: Active, depth = parent's depth + 1, parent/children as the medium holds them. */
function expectTree(sim: Simulation, root: number) {
  const w = sim.wifi!;
  for (const n of sim.nodes.values()) {
    if (n.state !== 'on') continue;
    const t = tree(sim, n.id)!;
    expect(t.state, `node ${n.id} state`).toBe(LifeState.Active);
    expect(t.root, `node ${n.id} root`).toBe(root);
    if (n.id === root) {
      expect(t.depth).toBe(0);
      continue;
    }
    expect(t.parent, `node ${n.id} parent`).toBe(w.parentOf(n.id));
    expect(t.depth, `node ${n.id} depth`).toBe(tree(sim, t.parent)!.depth + 1);
    expect(w.advertOf(n.id).depth).toBe(t.depth);
    expect(w.advertOf(n.id).flags & WifiFlag.RootAttached).toBe(WifiFlag.RootAttached);
    const registered = t.children.filter((c) => c.registered).map((c) => c.id).sort((a, b) => a - b);
    expect(registered, `node ${n.id} children`).toEqual(w.childrenOf(n.id));
  }
}

/** Every valid route's next hop is the node's parent or one of its registered children. */
function expectRoutesOnTree(sim: Simulation) {
  for (const n of sim.nodes.values()) {
    if (n.state !== 'on') continue;
    const t = tree(sim, n.id)!;
    const tn = new Set([t.parent, ...t.children.filter((c) => c.registered).map((c) => c.id)]);
    for (const r of n.routes()!.routes) if (r.metric < METRIC_INFINITE) expect(tn.has(r.next), `node ${n.id} -> ${r.dest} via ${r.next}`).toBe(true);
  }
}

const TESTBED = `  - {id: 1, pos: [0, 0], board: rpi3, config: {tree_root: 1}}
  - {id: 2, pos: [45, 0]}
  - {id: 3, pos: [0, 55]}
  - {id: 4, pos: [55, 35]}
  - {id: 5, pos: [45, 45], board: esp8266}`;

// Four levels: 1 root; 2 and 3 at depth 1; 6 under 3; 4 under 2 (it hears 6 too); 5 under 4.
const CHAIN = `  - {id: 1, pos: [0, 0], board: rpi3, config: {tree_root: 1}}
  - {id: 2, pos: [50, 0]}
  - {id: 3, pos: [0, 55]}
  - {id: 6, pos: [55, 75]}
  - {id: 4, pos: [90, 30]}
  - {id: 5, pos: [140, 40]}`;

describe('tree formation', () => {
  it('brings every node of the testbed to Active on the tree, routes on tree links only', () => {
    const sim = treeSim(TESTBED, '', '40s');
    sim.run();
    expect(sim.failure).toBeNull();
    expectTree(sim, 1);
    expect([2, 3].map((id) => tree(sim, id)!.depth)).toEqual([1, 1]);
    expect([4, 5].map((id) => tree(sim, id)!.parent)).toEqual([2, 2]);
    expectRoutesOnTree(sim);
    expect(convergence(sim).converged).toBe(true);
    expect(sim.loops!.checks).toBeGreaterThan(0);
    // Integration: Init -> Search -> Join Network -> Active, once each.
    expect(states(sim, 5).map((s) => s[1])).toEqual(['search', 'join_network', 'active']);
    expect(states(sim, 1).map((s) => s[1])).toEqual(['active']);
    // Tree state fits every board's budget, the ESP8266's included (the Pi's larger MTU costs more).
    for (const n of sim.nodes.values()) expect(n.heapTop).toBeLessThanOrEqual(n.board.wasm_memory_budget);
    expect(sim.node(5).heapTop).toBeLessThanOrEqual(SMALLEST_BUDGET);
  });

  it('forms a multi-level tree over a random placement', () => {
    const nodes = `  - {id: 1, pos: [100, 100], board: rpi3, config: {tree_root: 1}}
  - random: {count: 14, area: [200, 200], board: esp32}`;
    const sim = treeSim(nodes, '', '90s', 3);
    sim.run();
    expect(sim.failure).toBeNull();
    expectTree(sim, 1);
    expectRoutesOnTree(sim);
    expect(convergence(sim).converged).toBe(true);
    expect(Math.max(...[...sim.nodes.keys()].map((id) => tree(sim, id)!.depth))).toBeGreaterThanOrEqual(2);
  });
});

describe('parent loss', () => {
  it('keeps the subtree, puts descendants in Recovery Await, recovers in bounded time and leaves no route into the dead node', () => {
    const sim = treeSim(CHAIN, 'outages:\n  - {node: 2, at: 30s, for: 90s}', '120s');
    sim.runUntil(29 * S);
    expect(sim.failure).toBeNull();
    expect([tree(sim, 4)!.parent, tree(sim, 5)!.parent, tree(sim, 5)!.depth]).toEqual([2, 4, 3]);
    sim.runUntil(80 * S);
    expect(sim.failure).toBeNull();
    // 4 lost its parent: Parent Recovery, then Active under 6; 5 waited without leaving 4.
    const s4 = states(sim, 4).filter((s) => s[0] > 30 * S).map((s) => s[1]);
    expect(s4).toEqual(['parent_recovery', 'active']);
    const s5 = states(sim, 5).filter((s) => s[0] > 30 * S).map((s) => s[1]);
    expect(s5).toEqual(['recovery_await', 'active']);
    expect(sim.events.rows.filter((r) => r.node === 5 && (r.event === 'wifi_down' || r.event === 'wifi_join') && r.at > 30 * S)).toEqual([]);
    expect([tree(sim, 4)!.parent, tree(sim, 4)!.depth, tree(sim, 5)!.parent, tree(sim, 5)!.depth]).toEqual([6, 3, 4, 4]);
    const rec = sim.node(4).life.recoveries;
    expect(rec.length).toBe(1);
    expect(rec[0].restarted).toBe(false);
    // The target: repaired within 2 s plus the modelled Wi-Fi reconnect (scan, association, DHCP).
    const wifi = sim.node(4).board.wifi!;
    expect(rec[0].ms).toBeLessThanOrEqual(wifi.scan_ms + wifi.assoc_ms + wifi.dhcp_ms + 2000);
    expectTree(sim, 1);
    expectRoutesOnTree(sim);
    expect(convergence(sim).converged).toBe(true);
    // Nobody routes through the switched-off node, the root's stale softAP entry notwithstanding.
    for (const n of sim.nodes.values()) {
      if (n.state !== 'on') continue;
      for (const r of n.routes()!.routes) if (r.metric < METRIC_INFINITE) expect(r.next, `node ${n.id} -> ${r.dest}`).not.toBe(2);
    }
    expect(sim.node(1).counters()['life.child.drop']).toBe(1);
  });
});

describe('root loss', () => {
  it('ends with every node detached and searching in bounded cycles, then re-forms when the root returns', () => {
    const sim = treeSim(CHAIN, 'outages:\n  - {node: 1, at: 20s, for: 100s}', '200s');
    sim.runUntil(115 * S);
    expect(sim.failure).toBeNull();
    for (const id of [2, 3, 4, 5, 6]) {
      const t = tree(sim, id)!;
      expect([LifeState.Search, LifeState.JoinNetwork, LifeState.ParentRecovery, LifeState.NodeRestart], `node ${id}`).toContain(t.state);
      expect(sim.wifi!.advertOf(id).flags & WifiFlag.RootAttached, `node ${id} advertises attached`).toBe(0);
      for (const r of sim.node(id).routes()!.routes) if (r.dest === 1) expect(r.metric).toBe(METRIC_INFINITE);
    }
    // Node Restart released the subtrees: reintegration layer by layer from Search.
    expect(states(sim, 2).some((s) => s[1] === 'node_restart')).toBe(true);
    sim.run();
    expect(sim.failure).toBeNull();
    expectTree(sim, 1);
    expectRoutesOnTree(sim);
    expect(convergence(sim).converged).toBe(true);
  });
});

describe('node restart', () => {
  it('a rebooted node rejoins from Init; its old parent drops the stale child', () => {
    // 4 reboots faster than its children notice (beacon loss 6 s) and than 2's softAP would.
    const sim = treeSim(CHAIN, 'outages:\n  - {node: 4, at: 30s, for: 1s}', '90s');
    sim.run();
    expect(sim.failure).toBeNull();
    expect(sim.node(4).boots).toBe(2);
    expect(states(sim, 4).filter((s) => s[0] >= 31 * S).map((s) => s[1]).slice(0, 3)).toEqual(['search', 'join_network', 'active']);
    expect(sim.node(4).life.integrations.length).toBe(2);
    expectTree(sim, 1);
    expectRoutesOnTree(sim);
    expect(convergence(sim).converged).toBe(true);
  });

  it('a rebooted node that comes back under another parent is announced, so no loop forms', () => {
    // 2 reboots and finds 1 again; 4 (its child) moved under 6 meanwhile and later 2 may take it back.
    const sim = treeSim(CHAIN, 'outages:\n  - {node: 2, at: 30s, for: 8s}', '120s');
    sim.run();
    expect(sim.failure).toBeNull();
    expectTree(sim, 1);
    expectRoutesOnTree(sim);
    expect(convergence(sim).converged).toBe(true);
  });
});

describe('hermes-testbed scenario', () => {
  it('runs, writes report.md with every measure beside the paper, and is deterministic', () => {
    const scenario = loadScenario('scenarios/hermes-testbed.yaml', boards);
    const runs = [0, 1].map(() => {
      const out = mkdtempSync(join(tmpdir(), 'myco-hermes-'));
      const r = runSimulation(resolveScenario(scenario, { boards, program }), { out });
      expect(r.failure).toBeNull();
      return { r, out };
    });
    const [a, b] = runs.map(({ out }) => readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(a).toBe(b);
    expect(readFileSync(join(runs[0].out, 'report.md'), 'utf8')).toBe(readFileSync(join(runs[1].out, 'report.md'), 'utf8'));
    const h = runs[0].r.metrics.hermes!;
    const board = (name: string) => h.boards.find((x) => x.board === name)!;
    expect(board('esp32').integration_ms_mean).toBeGreaterThan(3000);
    expect(board('esp8266').integration_ms_mean).toBeGreaterThan(board('esp32').integration_ms_mean!);
    expect(h.integration_ratio.esp8266_over_esp32).toBeCloseTo(2.09, 1);
    expect(board('esp32').root).toBe(true);
    expect(board('rpi3').root).toBe(false);
    expect(h.integration_ratio.esp8266_over_rpi3).toBeCloseTo(2.66, 1);
    expect(board('esp32').recoveries).toBeGreaterThan(0);
    expect(board('esp8266').recoveries).toBeGreaterThan(0);
    expect(board('esp8266').recovery_ms_mean).toBeGreaterThan(board('esp32').recovery_ms_mean!);
    expect(h.rtt_ms.map((r) => r.hops)).toEqual(expect.arrayContaining([1, 2]));
    expect(h.root_bytes_per_s!.routing).toBeGreaterThan(0);
    // The target: steady-state routing bytes at the root at most 20% of HERMES's.
    expect(h.root_bytes_per_s!.routing).toBeLessThanOrEqual(0.2 * h.paper.root_bytes_per_s.routing);
    // The pings stop before the steady-state window, so it holds protocol traffic only.
    expect(h.root_bytes_per_s!.monitoring).toBe(0);
    const report = readFileSync(join(runs[0].out, 'report.md'), 'utf8');
    for (const text of ['Integration time', 'Parent recovery time', 'Round-trip time by hop count', 'Bytes per second received at the root', '2.09', '153.2', '1.02', '0.22']) {
      expect(report).toContain(text);
    }
    const lc = runs[0].r.metrics.lifecycle!;
    expect(lc.active).toBe(5);
    expect(runs[0].r.metrics.nodes.every((n) => n.neighbours_match)).toBe(true);
  });
});

describe('scenario fields for tree runs', () => {
  const text = (extra: string) => `name: t
duration: 60s
defaults: {config: {route_mode: 1}}
medium: {kind: wifi}
nodes:
  - {id: 1, pos: [0, 0], config: {tree_root: 1}}
  - {id: 2, pos: [10, 0]}
${extra}`;
  const errors = (extra: string) => {
    try {
      parseScenario('t.yaml', text(extra), { boards });
    } catch (e) {
      return (e as { lines: string[] }).lines;
    }
    return [];
  };

  it('accepts pings and a hermes block, and names what is wrong with them', () => {
    const s = parseScenario('t.yaml', text('pings:\n  - {from: 2, to: 1, every: 5s}\nhermes: {root: 1, steady_from: 30s}'), { boards });
    expect(s.pings).toEqual([{ from: 2, to: 1, every: 5 * S, start: 5 * S, stop: Infinity }]);
    const stopped = parseScenario('t.yaml', text('pings:\n  - {from: 2, to: 1, every: 5s, start: 1s, stop: 20s}'), { boards });
    expect(stopped.pings[0]).toMatchObject({ start: 1 * S, stop: 20 * S });
    expect(errors('pings:\n  - {from: 2, to: 1, every: 5s, start: 10s, stop: 10s}')).toEqual(['t.yaml:9:45: pings[0].stop: must be after start']);
    expect(s.hermes).toEqual({ root: 1, steadyFrom: 30 * S });
    expect(errors('pings:\n  - {from: 2, to: 9, every: 10ms}\nhermes: {root: 7, steady_from: 2m}')).toEqual([
      't.yaml:9:15: pings[0].to: no node with id 9',
      't.yaml:9:22: pings[0].every: must be at least 50ms',
      't.yaml:10:10: hermes.root: no node with id 7',
      't.yaml:10:19: hermes.steady_from: must be before the end of the run (60s)',
    ]);
    expect(errors('routing: {tree: true}')[0]).toContain('unknown field');
  });

  it('submits the pings while the sender is on, counting those it refused', () => {
    const sim = new Simulation(resolveScenario(parseScenario('t.yaml', text('pings:\n  - {from: 2, to: 1, every: 2s, start: 1s}'), { boards }), { boards, program }));
    sim.run();
    expect(sim.failure).toBeNull();
    expect(sim.pingStats.submitted).toBe(30);
    // Before 2 has joined (about 3.4 s) there is no route: refused, not sent.
    expect(sim.pingStats.refused).toBeGreaterThan(0);
    expect(sim.node(2).routedRtt.get(1)!.count).toBe(sim.pingStats.submitted - sim.pingStats.refused);
  });
});
