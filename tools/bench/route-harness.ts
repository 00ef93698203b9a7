// The machinery of the routing workload of `npm run bench:firmware` (tools/bench/firmware.ts):
// one node's recorded stream (route-workload.ts) replayed from boot three ways, the final
// state compared, and timed.
//
//   v8   build/node.wasm (release build) under V8, through on_frame and tick (route-node.ts);
//   aot  the same module translated by wasm2c and compiled with cc -O2 against the project's
//        runtime (hal/shell/aot/myco_wasm_rt.c), driven by tools/bench/c/route_bench.c;
//   ref  the plain C reference node (tools/bench/c/reference_*.c), cc -O2.
//
// Correctness first: after one replay each, the route table (`inspect(2)`) must be the same
// bytes in all three, and so must the neighbour table (`inspect(1)`); the aot module's counters
// must equal V8's byte for byte, and every counter the reference keeps must equal the module's.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR } from '../../host-sim/paths.ts';
import { boardBudget } from '../firmware/native.ts';
import { decodeCounters, decodeNeighbours, decodeRoutes, type RouteDumpEntry } from '../wire/inspect.ts';
import { BenchError, buildNative, C_DIR, runTool, type NativeBench } from './native.ts';
import { INSPECT, NodeUnderTest } from './route-node.ts';
import { encodeWorkload, type RouteWorkload } from './route-workload.ts';
import { timeFresh, type Timing } from './timing.ts';

export const NODE_WASM = join(BUILD_DIR, 'node.wasm');

/** Linear memory the aot runtime backs: the budget of the board that runs the node ahead of
 *  time (esp8266), so the memory checks are the ones that board's image makes. */
const AOT_MEMORY_BYTES = boardBudget('esp8266');

/** What a replay leaves behind: the dumps at the last event's time. */
export interface ReplayState {
  routes: Uint8Array;
  neighbours: Uint8Array;
  /** The module's `inspect(0)` bytes (V8, aot) or the reference's counters by name. */
  counters: Uint8Array | Record<string, number>;
  /** Frames and bytes handed to the radio (native engines; null under V8). */
  radio: { frames: number; bytes: number } | null;
}

export interface RouteNativeResult {
  aot: ReplayState;
  ref: ReplayState;
  /** Per replay, when timed. */
  aotTiming: Timing | null;
  refTiming: Timing | null;
}

/** One replay under V8 from boot, and the dumps. */
export function replayV8(module: WebAssembly.Module, w: RouteWorkload): ReplayState {
  const node = NodeUnderTest.create(module, w.randSeed);
  node.init(w.self, w.config);
  node.replay(w.events);
  return {
    routes: node.inspect(INSPECT.routes, w.endMs),
    neighbours: node.inspect(INSPECT.neighbours, w.endMs),
    counters: node.inspect(INSPECT.counters, w.endMs),
    radio: null,
  };
}

/** Median time of one replay under V8, a fresh instance booted (untimed) before each. */
export function timeReplayV8(module: WebAssembly.Module, w: RouteWorkload, minMs: number, runs: number): Timing {
  const boot = () => {
    const node = NodeUnderTest.create(module, w.randSeed);
    node.init(w.self, w.config);
    return node;
  };
  // Warm up: V8 compiles hot functions again with its optimising tier as they run.
  for (let i = 0; i < 5; i++) boot().replay(w.events);
  return timeFresh(boot, (node) => node.replay(w.events), minMs, runs);
}

/** Translates node.wasm with wasm2c and builds route_bench.c with the reference. */
export function buildRouteBench(options: { cc?: string } = {}): Promise<NativeBench & { dispose(): void }> {
  return buildNative({
    wasm: NODE_WASM,
    name: 'myco_node',
    label: 'bench-route',
    sources: ['route_bench.c', 'reference_node.c', 'reference_link.c', 'reference_route.c', 'myco_bench_timing.c'].map((f) => join(C_DIR, f)),
    halImplemented: ['now_ms', 'rand', 'send'],
    memoryBytes: AOT_MEMORY_BYTES,
    cc: options.cc,
  });
}

/** Runs the driver on the workload (minMs 0: one replay each, untimed) and reads its outputs. */
export async function runRouteNative(bench: NativeBench, w: RouteWorkload, minMs: number, runs: number): Promise<RouteNativeResult> {
  const dir = mkdtempSync(join(bench.dir, 'run-'));
  try {
    const file = join(dir, 'workload.bin');
    writeFileSync(file, encodeWorkload(w));
    const out = await runTool(bench.binary, [file, dir, String(minMs), String(runs)], dir);
    const counters: Record<string, number> = {};
    const radio: Record<string, { frames: number; bytes: number }> = {};
    const timing: Record<string, Timing> = {};
    for (const line of out.split('\n')) {
      const [kind, a, b, c, d] = line.split(' ');
      if (kind === 'counter') counters[a] = Number(b);
      else if (kind === 'radio') radio[a] = { frames: Number(b), bytes: Number(c) };
      else if (kind === 'time') timing[a] = { ns: Number(b), best: Number(c), reps: Number(d) };
    }
    if (!radio.aot || !radio.ref) throw new BenchError(`the native driver did not finish its replays:\n${out}`);
    const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
    return {
      aot: { routes: read('aot_routes.bin'), neighbours: read('aot_neighbours.bin'), counters: read('aot_counters.bin'), radio: radio.aot },
      ref: { routes: read('ref_routes.bin'), neighbours: read('ref_neighbours.bin'), counters, radio: radio.ref },
      aotTiming: timing.aot ?? null,
      refTiming: timing.ref ?? null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const route = (r: RouteDumpEntry) => `next ${r.next} seq ${r.seq} metric ${r.metric}${r.changed ? ' changed' : ''} age ${r.ageS} s`;

/** The first difference between two route dumps in words, or null when they are the same bytes. */
export function routeDifference(want: Uint8Array, got: Uint8Array, engine: string): string | null {
  if (want.length === got.length && want.every((b, i) => b === got[i])) return null;
  const a = decodeRoutes(want);
  const b = decodeRoutes(got);
  if (a.ownSeq !== b.ownSeq) return `own sequence number ${b.ownSeq}, the module has ${a.ownSeq}`;
  if (a.holding !== b.holding) return `${b.holding ? '' : 'not '}in hold-down, the module is${a.holding ? '' : ' not'}`;
  for (let i = 0; i < Math.max(a.routes.length, b.routes.length); i++) {
    const x = a.routes[i];
    const y = b.routes[i];
    if (!y) return `no route to ${x.dest} (${engine} has ${b.routes.length} routes, the module ${a.routes.length}); the module: ${route(x)}`;
    if (!x) return `a route to ${y.dest} the module does not have: ${route(y)}`;
    if (x.dest !== y.dest) return `entry ${i} is the route to ${y.dest}, the module's is to ${x.dest}`;
    if (route(x) !== route(y)) return `route to ${x.dest}: ${route(y)}; the module: ${route(x)}`;
  }
  // Same decoded fields: only the flag bits beyond `changed` differ.
  const at = want.findIndex((v, i) => v !== got[i]);
  return `byte ${at} is ${got[at]}, the module gives ${want[at]}`;
}

function neighbourDifference(want: Uint8Array, got: Uint8Array, engine: string): string | null {
  if (want.length === got.length && want.every((b, i) => b === got[i])) return null;
  const a = decodeNeighbours(want);
  const b = decodeNeighbours(got);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = JSON.stringify(a[i] ?? null);
    const y = JSON.stringify(b[i] ?? null);
    if (x !== y) return `neighbour entry ${i}: ${engine} ${y}, the module ${x}`;
  }
  return 'the neighbour dumps differ';
}

/**
 * Throws BenchError naming the first difference of each engine from the module under V8:
 * route table, then neighbour table, then counters.
 */
export function checkRoute(v8: ReplayState, native: RouteNativeResult): void {
  const problems: string[] = [];
  const moduleCounters = decodeCounters(v8.counters as Uint8Array);
  for (const [engine, label, s] of [['aot', 'aot', native.aot], ['C reference', 'ref', native.ref]] as const) {
    const routes = routeDifference(v8.routes, s.routes, engine);
    if (routes) {
      problems.push(`${label}: route table differs from the Wasm module under V8: ${routes}`);
      continue;
    }
    const neighbours = neighbourDifference(v8.neighbours, s.neighbours, engine);
    if (neighbours) {
      problems.push(`${label}: neighbour table differs from the Wasm module under V8: ${neighbours}`);
      continue;
    }
    if (s.counters instanceof Uint8Array) {
      const theirs = decodeCounters(s.counters);
      const name = Object.keys(moduleCounters).find((k) => moduleCounters[k] !== theirs[k]);
      if (name) problems.push(`${label}: counter ${name} is ${theirs[name]}, the Wasm module under V8 has ${moduleCounters[name]}`);
    } else {
      const kept = s.counters;
      const name = Object.keys(kept).find((k) => moduleCounters[k] !== kept[k]);
      if (name) problems.push(`${label}: counter ${name} is ${kept[name]}, the Wasm module has ${moduleCounters[name]}`);
    }
  }
  if (native.aot.radio && native.ref.radio && (native.aot.radio.frames !== native.ref.radio.frames || native.aot.radio.bytes !== native.ref.radio.bytes)) {
    problems.push(`ref: sent ${native.ref.radio.frames} frames of ${native.ref.radio.bytes} bytes, the aot module ${native.aot.radio.frames} of ${native.aot.radio.bytes}`);
  }
  if (problems.length) throw new BenchError(`routing state differs:\n  ${problems.join('\n  ')}`);
}
