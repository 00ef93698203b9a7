// `npm run bench:firmware`: how fast the node module runs ahead of time against plain C, on two
// workloads a board has, each run three ways side by side in one table with ratios:
//
//   int8 kernels  one person_detect inference, layer by layer (the harness of bench:infer);
//   routing       one mesh node's recorded stream of HELLO, ROUTE_UPDATE and ROUTE_SEQ_REQ
//                 frames and its ticks, replayed from boot through on_frame and tick
//                 (route-workload.ts, route-harness.ts).
//
// Engines: the module under V8; the same module translated by wasm2c and built with cc -O2
// against the project's runtime (the aot engine of the boards); a hand-written C reference.
// Both workloads are checked equal first (kernel outputs byte for byte; route table, neighbour
// table and counters), then timed. docs/benchmarks.md explains the table.
//
//   npm run bench:firmware               5 measurements of >= 50 ms per layer / replay and engine
//   npm run bench:firmware -- --quick    3 of >= 20 ms

import { cpus, loadavg } from 'node:os';
import { loadProgram } from '../../host-sim/program.ts';
import { ModelError } from '../model/errors.ts';
import { MAC_OPS, measureLayers, PERSON_DETECT, personDetectLayers, type LayerCase, type LayerMeasurement } from './infer-harness.ts';
import { BenchError } from './native.ts';
import { cpuModel, f, int, ratio, table } from './report.ts';
import {
  buildRouteBench, checkRoute, NODE_WASM, replayV8, runRouteNative, timeReplayV8,
} from './route-harness.ts';
import { BENCH_MESH, buildRouteWorkload, type RouteWorkload } from './route-workload.ts';
import { benchPlan, type Timing } from './timing.ts';

/** The target: the aot engine's time within this factor of the C reference's. */
const AOT_TARGET = 1.3;
/**
 * wasm3's published CoreMark 1.0 scores (docs/Performance.md of wasm3/wasm3, Intel i5-8250U):
 * native GCC over wasm3, 32-bit and 64-bit builds.
 */
const WASM3_COREMARK = { native32: 11.1, native64: 11.8 };

interface Row {
  workload: string;
  unit: string;
  /** Time of one unit of work per engine: median, and from the fastest measurements. */
  ns: { v8: number; aot: number; ref: number };
  best: { v8: number; aot: number; ref: number };
}

const time = (ns: number) => (ns >= 1e6 ? `${f(ns / 1e6, 2)} ms` : ns >= 1e3 ? `${f(ns / 1e3, 2)} us` : `${f(ns, 0)} ns`);

/** The kernels: one inference is the sum of every layer's median (and fastest) time. */
function kernelRow(m: LayerMeasurement): Row {
  const sum = (pick: (r: LayerMeasurement['results'][number]) => number) => m.results.reduce((a, r) => a + pick(r), 0);
  return {
    workload: 'int8 kernels',
    unit: 'one inference',
    ns: { v8: sum((r) => r.v8.ns), aot: sum((r) => r.aot.ns), ref: sum((r) => r.ref.ns) },
    best: { v8: sum((r) => r.v8.best), aot: sum((r) => r.aot.best), ref: sum((r) => r.ref.best) },
  };
}

/** Routing: one replay divided by the frames in it (the ticks between them included). */
function routeRow(w: RouteWorkload, t: { v8: Timing; aot: Timing; ref: Timing }): Row {
  const per = (x: Timing, pick: 'ns' | 'best') => x[pick] / w.counts.frames;
  return {
    workload: 'routing',
    unit: 'one received frame',
    ns: { v8: per(t.v8, 'ns'), aot: per(t.aot, 'ns'), ref: per(t.ref, 'ns') },
    best: { v8: per(t.v8, 'best'), aot: per(t.aot, 'best'), ref: per(t.ref, 'best') },
  };
}

async function measureRouting(w: RouteWorkload, module: WebAssembly.Module, minMs: number, runs: number): Promise<{ v8: Timing; aot: Timing; ref: Timing }> {
  const native = await buildRouteBench();
  try {
    // Correctness first, untimed: the state after one replay on each engine.
    checkRoute(replayV8(module, w), await runRouteNative(native, w, 0, 1));
    process.stderr.write('routing: route table, neighbour table and counters equal (aot and C reference vs V8); timing...\n');
    const v8 = timeReplayV8(module, w, minMs, runs);
    const timed = await runRouteNative(native, w, minMs, runs);
    if (!timed.aotTiming || !timed.refTiming) throw new BenchError('the native driver reported no timing');
    return { v8, aot: timed.aotTiming, ref: timed.refTiming };
  } finally {
    native.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  const plan = benchPlan(argv, 'bench:firmware');
  if (plan === null) return 2;
  const { quick, minMs, runs } = plan;
  const started = performance.now();
  const load = loadavg()[0];

  const cases: LayerCase[] = await personDetectLayers();
  const kernels = await measureLayers(cases, minMs, runs, () =>
    process.stderr.write(`int8 kernels: outputs equal on all ${cases.length} layers (aot and C reference vs V8); timing...\n`));

  const program = loadProgram(NODE_WASM);
  const w = buildRouteWorkload(program.module, program, BENCH_MESH);
  const routing = await measureRouting(w, program.module, minMs, runs);

  const rows = [kernelRow(kernels), routeRow(w, routing)];
  console.log('The node module three ways: V8; aot C (wasm2c + hal/shell/aot/myco_wasm_rt.c, cc -O2, as on a board); a hand-written C reference');
  console.log(`machine: ${cpuModel()}, ${cpus().length} CPUs, load average ${load.toFixed(2)} at start; node ${process.version}; ${kernels.ccVersion}; wasm2c ${kernels.wasm2cVersion}`);
  console.log(`median of ${runs} measurements of >= ${minMs} ms per engine (kernels: per layer, summed; routing: per replay)${quick ? ' (--quick)' : ''}`);
  console.log('ratios: time / the C reference\'s time (1.00x = as fast as the reference)\n');
  table(['workload', 'unit of work', 'V8', 'aot C', 'ref C', 'V8/ref', 'aot/ref', 'V8/aot'],
    rows.map((r) => [r.workload, r.unit, time(r.ns.v8), time(r.ns.aot), time(r.ns.ref),
      ratio(r.ns.v8, r.ns.ref), ratio(r.ns.aot, r.ns.ref), ratio(r.ns.v8, r.ns.aot)]), 2);

  const macs = cases.reduce((a, c) => a + (MAC_OPS.has(c.opName) ? c.work : 0), 0);
  const c = w.counts;
  console.log(`\nint8 kernels: ${PERSON_DETECT.model} on ${PERSON_DETECT.image}, ${cases.length} layers, ${int(macs)} MACs; every layer's output equal byte for byte on all three`);
  console.log(`routing: node ${w.self} (${w.degree} neighbours) of a ${w.spec.nodes}-node mesh over ${w.spec.seconds} s with a node switched off every ` +
    `${w.spec.churnEveryS} s; one replay = ${int(c.frames)} frames (${int(c.hellos)} HELLO, ${int(c.updates)} ROUTE_UPDATE with ${int(c.entries)} entries, ` +
    `${int(c.seqReqs)} ROUTE_SEQ_REQ) and ${int(c.ticks)} ticks: V8 ${time(routing.v8.ns)}, aot C ${time(routing.aot.ns)}, ref C ${time(routing.ref.ns)}; ` +
    'route table, neighbour table and counters equal on all three');
  console.log(`fastest measurements (least disturbed by other load): ${rows.map((r) =>
    `${r.workload} V8/ref ${ratio(r.best.v8, r.best.ref)}, aot/ref ${ratio(r.best.aot, r.best.ref)}`).join('; ')}`);
  console.log(`\ntarget: aot within ${AOT_TARGET}x of the C reference: ${rows.map((r) =>
    `${r.workload} ${ratio(r.ns.aot, r.ns.ref)} ${r.ns.aot <= AOT_TARGET * r.ns.ref ? 'met' : 'not met'}`).join('; ')}`);
  console.log(`note: wasm3, the interpreter the boards run (not available here), publishes CoreMark 1.0 at ${WASM3_COREMARK.native32}x (32-bit) ` +
    `to ${WASM3_COREMARK.native64}x (64-bit) slower than native GCC (wasm3 docs/Performance.md, Intel i5-8250U): about 11x, the interpreter's anchor for the ratios above`);
  console.log(`\nwall time ${f((performance.now() - started) / 1000, 1)} s`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof BenchError || err instanceof ModelError) {
    console.error(`bench:firmware: ${err.message}`);
    process.exitCode = 1;
  } else throw err;
}
