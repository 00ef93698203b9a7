// Mesh routing across the simulated medium with the real node program: convergence of random
// graphs, link breaks and restarts under the loop-freedom check (on in every run here),
// routed pings by hop count and network-wide broadcast.

import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadBoards } from '../host-sim/boards.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { buildMetrics } from '../host-sim/metrics.ts';
import { convergence, hopDistances, LoopChecker } from '../host-sim/routing.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';
import { SubmitKind } from '../tools/wire/abi.ts';
import { encodeFrame, encodePing, MsgType } from '../tools/wire/frame.ts';

const boards = loadBoards();
const S = 1_000_000;
let program: Program;
beforeAll(() => {
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
});

function randomMesh(count: number, seed: number, extra = '', duration = '120s'): Simulation {
  const side = Math.round(Math.sqrt(count) * 45);
  const text = `name: mesh${count}
seed: ${seed}
duration: ${duration}
defaults:
  board: esp32
  config: {route_capacity: ${count + 16}, neighbour_capacity: 32}
medium: {kind: range, range_m: 60, loss: 0}
nodes:
  - random: {count: ${count}, area: [${side}, ${side}], connected: true}
${extra}`;
  const sim = new Simulation(resolveScenario(parseScenario(`mesh${count}.yaml`, text, { boards }), { boards, program }));
  expect(sim.loops).not.toBeNull();
  return sim;
}

/** Runs in 250 ms steps until every route is on a shortest path; returns that time in µs. */
function runUntilConverged(sim: Simulation, from: number, limit: number): number {
  for (let t = from; t <= limit; t += S / 4) {
    sim.runUntil(t);
    expect(sim.failure).toBeNull();
    if (convergence(sim).converged) return t;
  }
  const c = convergence(sim);
  throw new Error(`not converged by ${limit / S} s: ${c.missing.length} missing (${c.missing.slice(0, 5).join(' ')}), ${c.detours.length} detours (${c.detours.slice(0, 5).join(' ')})`);
}

function updateBytesPerNode(sim: Simulation): number {
  let sum = 0;
  for (const n of sim.nodes.values()) sum += n.counters()['route.adv.bytes'];
  return Math.round(sum / sim.nodes.size);
}

describe('convergence of random connected meshes (lossless, loop check on)', () => {
  it.each([
    [20, 3],
    [50, 5],
    [200, 7],
  ])('%i nodes: every node reaches every other over a shortest path', (count, seed) => {
    const sim = randomMesh(count, seed);
    const at = runUntilConverged(sim, S, 30 * S);
    const bytesAtConvergence = updateBytesPerNode(sim);
    // And it stays so: quiet when stable, no route moves off a shortest path.
    sim.runUntil(at + 20 * S);
    expect(sim.failure).toBeNull();
    const c = convergence(sim);
    expect(c.converged).toBe(true);
    expect(c.pairs).toBe(count * (count - 1));
    const m = buildMetrics(sim);
    expect(m.routing).toMatchObject({ loop_check: true, converged: true, routes_per_node: count - 1 });
    expect(sim.loops!.checks).toBeGreaterThan(count);
    console.log(
      `${count} nodes: converged at ${(at / S).toFixed(2)} s (hold-down 3.5 s included), ` +
        `${bytesAtConvergence} update bytes per node by then, ${updateBytesPerNode(sim)} after 20 s more; ${sim.loops!.checks} loop checks`,
    );
  }, 120_000);
});

describe('link break and restart', () => {
  it('a node switched off: routes through it are invalidated and repaired; back on, no loop and routes recover', () => {
    const sim = randomMesh(50, 5);
    runUntilConverged(sim, S, 30 * S);
    sim.runUntil(20 * S);
    // The node whose loss breaks the most shortest paths, but leaves the rest connected.
    const ids = [...sim.nodes.keys()];
    const victim = ids
      .map((id) => ({ id, degree: sim.trueNeighbours(id).length }))
      .sort((a, b) => b.degree - a.degree || a.id - b.id)[0].id;
    const through = ids.filter((id) => id !== victim && sim.node(id).routes()!.routes.some((r) => r.next === victim && r.dest !== victim && r.metric < 0xffff));
    expect(through.length).toBeGreaterThan(3);

    const offAt = 20 * S;
    sim.node(victim).powerOff();
    const off = sim.events.rows.length;
    const detect = offAt + 3.5 * S; // neighbour timeout
    sim.runUntil(detect);
    // Every route through the victim is gone or repaired by now.
    const repairedAt = runUntilConverged(sim, detect, detect + 10 * S);
    for (const id of through) {
      const bad = sim.node(id).routes()!.routes.filter((r) => r.next === victim && r.metric < 0xffff);
      expect({ id, bad }).toEqual({ id, bad: [] });
      const dead = sim.node(id).routes()!.routes.find((r) => r.dest === victim)!;
      expect(dead.metric).toBe(0xffff);
      expect(dead.seq % 2).toBe(1);
    }
    const downs = sim.events.rows.slice(off).filter((r) => r.event === 'neighbour_down' && r.detail === `peer=${victim}`);
    const lastDetect = Math.max(...downs.map((r) => r.at));
    console.log(`link break: routes through node ${victim} repaired ${((repairedAt - lastDetect) / S).toFixed(2)} s after the last neighbour noticed`);
    expect(repairedAt - lastDetect).toBeLessThanOrEqual(2 * S);

    sim.node(victim).powerOn();
    const onAt = sim.now;
    runUntilConverged(sim, onAt + S, onAt + 20 * S);
    expect(sim.node(victim).routes()!.routes.filter((r) => r.metric < 0xffff).length).toBe(49);
  }, 60_000);

  it('restarts short and long, several at once: never a loop, and routes recover', () => {
    const sim = randomMesh(
      40,
      11,
      `outages:
  - {node: 3, at: 15s, for: 800ms}
  - {node: 7, at: 15s, for: 800ms}
  - {node: 12, at: 16s, for: 10s}
  - {node: 20, at: 17s, for: 300ms}
  - {node: 21, at: 30s, for: 2s}
  - {node: 3, at: 31s, for: 500ms}
`,
      '60s',
    );
    sim.runUntil(60 * S);
    expect(sim.failure).toBeNull();
    expect(convergence(sim).converged).toBe(true);
    let restarts = 0;
    for (const n of sim.nodes.values()) restarts += n.counters()['link.restart'];
    expect(restarts).toBeGreaterThan(0); // short outages: seen through the boot epoch
    expect(sim.node(3).boots).toBe(3);
  }, 60_000);

  it('the loop check names the destination and the cycle', () => {
    const dump = (routes: [number, number][]) => {
      const b = new Uint8Array(6 + routes.length * 10);
      const v = new DataView(b.buffer);
      v.setUint16(0, routes.length, true);
      routes.forEach(([dest, next], i) => {
        v.setUint16(6 + i * 10, dest, true);
        v.setUint16(8 + i * 10, next, true);
        v.setUint16(12 + i * 10, 16, true);
      });
      return b;
    };
    const loops = new LoopChecker();
    expect(loops.update(1, dump([[9, 2]]))).toBeNull();
    expect(loops.update(2, dump([[9, 3]]))).toBeNull();
    expect(loops.update(3, dump([[9, 1]]))).toBe('routing loop towards node 9: 3 -> 1 -> 2 -> 3 (found after a change at node 3)');
    loops.clear(3);
    expect(loops.update(3, dump([[9, 9]]))).toBeNull();
  });
});

describe('services', () => {
  it('a routed ping crosses several hops and its round trip is reported by hop count', () => {
    const text = `name: line
seed: 2
duration: 30s
defaults: {board: esp32}
medium: {kind: links, links: [{a: 1, b: 2}, {a: 2, b: 3}, {a: 3, b: 4}, {a: 4, b: 5}, {a: 5, b: 6}]}
nodes: [{id: 1}, {id: 2}, {id: 3}, {id: 4}, {id: 5}, {id: 6}]
`;
    const sim = new Simulation(resolveScenario(parseScenario('line.yaml', text, { boards }), { boards, program }));
    runUntilConverged(sim, S, 20 * S);
    for (const dst of [3, 6]) expect(sim.node(1).submit(SubmitKind.Ping, Uint8Array.of(dst, 0))).toBe(0);
    expect(sim.node(1).submit(SubmitKind.Ping, Uint8Array.of(99, 0))).toBe(-3); // no route
    sim.runUntil(sim.now + S);
    const rtts = sim.events.rows.filter((r) => r.node === 1 && r.event === 'routed_rtt').map((r) => r.detail);
    expect(rtts).toEqual([expect.stringMatching(/^peer=3 seq=0 rtt_ms=\d+ hops=2$/), expect.stringMatching(/^peer=6 seq=1 rtt_ms=\d+ hops=5$/)]);
    expect(sim.node(4).counters()['route.fwd']).toBe(2); // the ping to 6 and its pong
    const m = buildMetrics(sim);
    expect(m.routing.rtt_by_hops.map((h) => h.hops)).toEqual([2, 5]);
  }, 30_000);

  it('a network-wide broadcast reaches every node exactly once', () => {
    const sim = randomMesh(50, 5);
    runUntilConverged(sim, S, 30 * S);
    const origin = 1;
    // A PING to everyone, as if node `origin` had broadcast it: each node answers by route.
    const frame = encodeFrame({ type: MsgType.Ping, flags: 0, hops: 16, src: origin, dst: 0xffff, seq: 777, payload: encodePing({ pingSeq: 5, sentMs: 0 }) });
    for (const peer of sim.trueNeighbours(origin)) sim.node(peer).arrive(origin, frame, -40);
    sim.runUntil(sim.now + 3 * S);
    expect(sim.failure).toBeNull();
    const rx = [...sim.nodes.values()].map((n) => [n.id, n.counters()['route.flood.rx']]);
    expect(rx.filter(([, v]) => v !== 1)).toEqual([[origin, 0]]); // everyone but the origin, once
    expect(sim.node(origin).counters()['route.flood.rx']).toBe(0);
    const dups = [...sim.nodes.values()].reduce((a, n) => a + n.counters()['route.flood.dup'], 0);
    expect(dups).toBeGreaterThan(0);
    const far = Math.max(...hopDistances(sim, origin).values());
    const answers = sim.events.rows.filter((r) => r.node === origin && r.event === 'routed_rtt');
    expect(answers.length).toBeGreaterThanOrEqual(45);
    expect(Math.max(...answers.map((r) => Number(/hops=(\d+)/.exec(r.detail)![1])))).toBe(far);
  }, 30_000);
});
