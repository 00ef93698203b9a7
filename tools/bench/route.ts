// `npm run bench:route`: what the route layer costs to converge and to stay converged, Myco's
// Trickle timing against a HERMES-style baseline run side by side on the same module, seed and
// topology. The baseline sends a full routing update every 60 s (HERMES's FRU period; Trickle
// with one fixed interval and no suppression) plus the same triggered partial updates.
// Everything is virtual time, so the numbers are exact and repeatable; only the last column
// (wall time) depends on this machine.

import { join } from 'node:path';
import { loadBoards } from '../../host-sim/boards.ts';
import { parseScenario } from '../../host-sim/scenario/validate.ts';
import { resolveScenario } from '../../host-sim/scenario/resolve.ts';
import { loadProgram, type Program } from '../../host-sim/program.ts';
import { Simulation } from '../../host-sim/simulation.ts';
import { convergence } from '../../host-sim/routing.ts';
import { BUILD_DIR } from '../../host-sim/paths.ts';

const S = 1_000_000;
const STEADY_WINDOW_S = 600;

interface Timing {
  label: string;
  config: string;
}

const MYCO: Timing = { label: 'myco (Trickle)', config: '' };
const BASELINE: Timing = { label: 'fixed 60 s (HERMES)', config: 'trickle_imin_ms: 60000, trickle_doublings: 0, trickle_k: 0,' };

interface Result {
  convergedS: number | null;
  updateBytesToConverge: number;
  steadyUpdateBytesPerS: number;
  steadyRoutingBytesPerS: number;
  wallS: number;
}

function mesh(program: Program, count: number, seed: number, timing: Timing, durationS: number): Simulation {
  const boards = loadBoards();
  const side = Math.round(Math.sqrt(count) * 45);
  const text = `name: bench-mesh${count}
seed: ${seed}
duration: ${durationS}s
defaults:
  board: esp32
  config: {${timing.config} route_capacity: ${count + 16}, neighbour_capacity: 32}
medium: {kind: range, range_m: 60, loss: 0}
nodes:
  - random: {count: ${count}, area: [${side}, ${side}], connected: true}
`;
  const setup = resolveScenario(parseScenario(`bench-mesh${count}.yaml`, text, { boards }), { boards, program });
  return new Simulation({ ...setup, checkLoops: false });
}

/** Sum of a counter over every node, per node. */
function perNode(sim: Simulation, counter: string): number {
  let sum = 0;
  for (const n of sim.nodes.values()) sum += n.counters()[counter] ?? 0;
  return sum / sim.nodes.size;
}

function measure(program: Program, count: number, seed: number, timing: Timing): Result {
  const limitS = 120;
  const started = performance.now();
  const sim = mesh(program, count, seed, timing, limitS + STEADY_WINDOW_S + 1);
  let convergedAt: number | null = null;
  for (let t = S / 2; t <= limitS * S; t += S / 4) {
    sim.runUntil(t);
    if (sim.failure) throw sim.failure;
    if (convergence(sim).converged) {
      convergedAt = t;
      break;
    }
  }
  const updateBytesToConverge = perNode(sim, 'route.adv.bytes');
  // Steady state: a window well after convergence, so start-up traffic is left out.
  const from = (convergedAt ?? limitS * S) + 60 * S;
  sim.runUntil(from);
  const adv0 = perNode(sim, 'route.adv.bytes');
  const routing0 = perNode(sim, 'cat.routing.tx.bytes');
  sim.runUntil(from + STEADY_WINDOW_S * S);
  if (sim.failure) throw sim.failure;
  return {
    convergedS: convergedAt === null ? null : convergedAt / S,
    updateBytesToConverge,
    steadyUpdateBytesPerS: (perNode(sim, 'route.adv.bytes') - adv0) / STEADY_WINDOW_S,
    steadyRoutingBytesPerS: (perNode(sim, 'cat.routing.tx.bytes') - routing0) / STEADY_WINDOW_S,
    wallS: (performance.now() - started) / 1000,
  };
}

function fmt(x: number | null, digits = 1): string {
  return x === null ? 'never' : x.toFixed(digits);
}

function ratio(a: number | null, b: number | null): string {
  return a === null || b === null || b === 0 ? '-' : `${(a / b).toFixed(2)}x`;
}

function main(): void {
  const sizes = process.argv.includes('--quick') ? [20, 50] : [20, 50, 200];
  const program = loadProgram(join(BUILD_DIR, 'node.wasm'));
  const rows: string[][] = [];
  for (const count of sizes) {
    const seed = 11;
    const mine = measure(program, count, seed, MYCO);
    const base = measure(program, count, seed, BASELINE);
    const line = (t: Timing, r: Result, ref: Result | null) => [
      String(count), t.label,
      fmt(r.convergedS, 2), ref ? ratio(r.convergedS, ref.convergedS) : '',
      fmt(r.updateBytesToConverge, 0), ref ? ratio(r.updateBytesToConverge, ref.updateBytesToConverge) : '',
      fmt(r.steadyUpdateBytesPerS, 2), ref ? ratio(r.steadyUpdateBytesPerS, ref.steadyUpdateBytesPerS) : '',
      fmt(r.steadyRoutingBytesPerS, 2),
      fmt(r.wallS, 1),
    ];
    rows.push(line(BASELINE, base, null), line(MYCO, mine, base));
    process.stderr.write(`${count} nodes done\n`);
  }
  const head = ['nodes', 'timing', 'converged s', 'ratio', 'update B/node to converge', 'ratio', `steady update B/s/node (${STEADY_WINDOW_S} s)`, 'ratio', 'routing B/s/node incl. hellos', 'wall s'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const print = (r: string[]) => console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  console.log('Mesh routing on random connected graphs (esp32, 60 m range, lossless), seed 11; ratio = myco / baseline\n');
  print(head);
  print(widths.map((w) => '-'.repeat(w)));
  for (const r of rows) print(r);
}

main();
