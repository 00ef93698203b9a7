// The correctness part of `npm run bench:firmware` on small inputs: the aot build of the module
// (wasm2c + cc against the project's runtime) and the hand-written C references give what the
// module gives under V8. Kernels: the small tail layers of person_detect, byte for byte.
// Routing: a 16-node mesh with churn, recorded at one node and replayed from boot; the route
// table, neighbour table and counters must agree. No timing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { decodeCounters, decodeRoutes } from '../tools/wire/inspect.ts';
import {
  buildNativeBench, checkNative, firstDifference, personDetectLayers, runNativeBench,
} from '../tools/bench/infer-harness.ts';
import type { NativeBench } from '../tools/bench/native.ts';
import {
  buildRouteBench, checkRoute, NODE_WASM, replayV8, routeDifference, runRouteNative,
  type ReplayState, type RouteNativeResult,
} from '../tools/bench/route-harness.ts';
import { buildRouteWorkload, encodeWorkload, MSG, SMALL_MESH, type RouteWorkload } from '../tools/bench/route-workload.ts';

describe('bench:firmware correctness: int8 kernels', () => {
  it('aot and the C reference give the Wasm module\'s bytes on the tail layers', async () => {
    const cases = (await personDetectLayers()).filter((c) => c.index >= 25);
    const native = await buildNativeBench();
    try {
      const results = await runNativeBench(native, cases, 0, 1);
      results.forEach((r, i) => {
        expect(firstDifference(cases[i].expected, r.aotOutput), `layer ${cases[i].index} aot`).toBeNull();
        expect(firstDifference(cases[i].expected, r.refOutput), `layer ${cases[i].index} ref`).toBeNull();
      });
      expect(() => checkNative(cases, results)).not.toThrow();
    } finally {
      native.dispose();
    }
  }, 120_000);
});

describe('bench:firmware correctness: routing', () => {
  let program: Program;
  let w: RouteWorkload;
  let native: NativeBench & { dispose(): void };
  let v8: ReplayState;
  let result: RouteNativeResult;

  beforeAll(async () => {
    program = loadProgram(NODE_WASM);
    w = buildRouteWorkload(program.module, program, SMALL_MESH);
    native = await buildRouteBench();
    v8 = replayV8(program.module, w);
    result = await runRouteNative(native, w, 0, 1);
  }, 120_000);
  afterAll(() => native?.dispose());

  it('records real mesh traffic at one node, the same every time', () => {
    expect(w.counts.hellos).toBeGreaterThan(100);
    expect(w.counts.updates).toBeGreaterThan(100);
    expect(w.counts.seqReqs).toBeGreaterThan(0);
    expect(w.counts.frames).toBe(w.counts.hellos + w.counts.updates + w.counts.seqReqs);
    const types = new Set<number>(Object.values(MSG));
    expect(w.events.frames.filter((f) => f.length).every((f) => types.has(f[1]))).toBe(true);
    // The stream exercises losing a neighbour, repair requests and forwarding, not just learning.
    const counters = decodeCounters(v8.counters as Uint8Array);
    expect(counters['route.invalidated']).toBeGreaterThan(0);
    expect(counters['route.seqreq.tx'] + counters['route.fwd']).toBeGreaterThan(0);
    expect(decodeRoutes(v8.routes).routes.length).toBe(SMALL_MESH.nodes - 1);
    expect(encodeWorkload(buildRouteWorkload(program.module, program, SMALL_MESH))).toEqual(encodeWorkload(w));
  });

  it('aot and the C reference end with the module\'s route table, neighbours and counters', () => {
    expect(routeDifference(v8.routes, result.aot.routes, 'aot')).toBeNull();
    expect(routeDifference(v8.routes, result.ref.routes, 'C reference')).toBeNull();
    expect(Array.from(result.ref.neighbours)).toEqual(Array.from(v8.neighbours));
    expect(Array.from(result.aot.counters as Uint8Array)).toEqual(Array.from(v8.counters as Uint8Array));
    const module = decodeCounters(v8.counters as Uint8Array);
    const kept = result.ref.counters as Record<string, number>;
    expect(Object.keys(kept).length).toBeGreaterThan(30);
    for (const [name, value] of Object.entries(kept)) expect(value, name).toBe(module[name]);
    expect(result.ref.radio).toEqual(result.aot.radio);
    expect(() => checkRoute(v8, result)).not.toThrow();
  });

  it('a route that differs is named with its first difference', () => {
    const routes = decodeRoutes(v8.routes).routes;
    const wrong = result.ref.routes.slice();
    // Entry 2's metric (header 6 bytes, entries of 10, metric at +6).
    const at = 6 + 2 * 10 + 6;
    wrong[at] ^= 1;
    const metric = wrong[at] | (wrong[at + 1] << 8);
    expect(() => checkRoute(v8, { ...result, ref: { ...result.ref, routes: wrong } }))
      .toThrow(`ref: route table differs from the Wasm module under V8: route to ${routes[2].dest}: next ${routes[2].next} seq ${routes[2].seq} metric ${metric}`);
  });
});
