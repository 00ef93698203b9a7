// Sensor fusion as a node program in the simulator (docs/fusion.md, "The fusion node"): sensor
// nodes send readings over a multi-hop mesh, the fusion node fuses each step and emits FUSED,
// and keeps doing so while a sensor breaks, one goes off and comes back, and one joins late.

import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { join } from 'node:path';
import { loadBoards } from '../host-sim/boards.ts';
import { MemoryIO } from '../host-sim/io.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';
import { withSensor } from '../host-sim/sensors.ts';
import { xorshift32 } from '../tools/build/stub-hal.ts';
import { EmitKind } from '../tools/wire/abi.ts';
import { decodeFuseCluster, decodeFused, encodeFuseReading, type FusedRecord } from '../tools/wire/fuse.ts';
import { encodeFrame, MsgType } from '../tools/wire/frame.ts';
import { FUSE_FLAG } from '../tools/fuse/engine.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { TestNode } from './helpers/node.ts';
import { InitError } from '../tools/wire/abi.ts';

const boards = loadBoards();
let program: Program;

beforeAll(async () => {
  await nodeWasm();
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
}, 120_000);

const PERIOD_MS = 1000;
const SENSORS = [2, 3, 4, 5, 6, 7, 8, 9, 10];
const BROKEN = 5;
const BROKEN_FROM_S = 60, BROKEN_UNTIL_S = 120;
/** Sensor 9 is off from 80 s to 140 s; sensor 10 first powers on at 100 s. */
const OFF = { node: 9, from: '80s', to: '140s' };
const LATE = { node: 10, from: '0s', to: '100s' };

const truth = (s: number) => 10 + 3 * Math.sin((2 * Math.PI * s) / 60);
const accuracyOf = (id: number) => 0.2 + 0.05 * (id % 5);

/** Sensor `id`'s reading at second `s`: uniform within its accuracy; the broken one reports noise. */
function reading(id: number, s: number): { value: number; accuracy: number } {
  const rnd = xorshift32((id * 1_000_003 + s * 7919) >>> 0 || 1);
  rnd();
  const u = rnd() / 2 ** 32;
  if (id === BROKEN && s >= BROKEN_FROM_S && s < BROKEN_UNTIL_S) return { value: 40 * u, accuracy: accuracyOf(id) };
  return { value: truth(s) + (2 * u - 1) * accuracyOf(id), accuracy: accuracyOf(id) };
}

function run(seed = 1): { sim: Simulation; fused: { atS: number; r: FusedRecord }[] } {
  // Node 1 fuses; 2..5 are its neighbours, 6..10 reach it through them (two hops).
  const links = [[1, 2], [1, 3], [1, 4], [1, 5], [2, 6], [3, 7], [4, 8], [5, 9], [2, 10], [2, 3], [4, 5]];
  const sc = parseScenario('fuse-node.yaml', stringify({
    name: 'fuse-node', seed, duration: '200s',
    defaults: { board: 'esp32', config: { hello_interval_ms: 500, neighbour_timeout_ms: 2000, fuse_period_ms: PERIOD_MS } },
    medium: { kind: 'links', loss: 0, links: links.map(([a, b]) => ({ a, b })) },
    nodes: [
      { id: 1, config: { fuse_role: 2, fuse_qos: 1, fuse_sensors: 16, fuse_sensor_timeout: 3 } },
      ...SENSORS.map((id) => ({ id, config: { fuse_role: 1, fuse_sink: 1 } })),
    ],
    outages: [OFF, LATE],
  }), { boards });
  const ios = new Map<number, MemoryIO>();
  const sim = new Simulation({
    ...resolveScenario(sc, { boards, program }),
    io: (id) => {
      const io = new MemoryIO();
      ios.set(id, io);
      return id === 1 ? io : withSensor(io, (channel, atUs) => (channel === 0 ? reading(id, Math.round(atUs / 1e6)) : null));
    },
  });
  sim.run();
  const fused = ios.get(1)!.recordsOf(EmitKind.Fused).map((e) => ({ atS: e.atUs / 1e6, r: decodeFused(e.bytes)! }));
  return { sim, fused };
}

describe('the fusion node in a simulated mesh', () => {
  it('fuses every step, close to the truth, while sensors break, leave, return and join', () => {
    const { sim, fused } = run();
    const counter = (id: number, name: string) => sim.node(id).counters()[name] ?? 0;
    // One FUSED a second from its first step on; the steps count up without a gap.
    expect(fused.length).toBeGreaterThanOrEqual(195);
    fused.forEach((f, i) => {
      expect(f.r.step).toBe(fused[0].r.step + i);
      if (i > 0) expect(f.atS - fused[i - 1].atS).toBeCloseTo(PERIOD_MS / 1000, 6);
    });
    // Sensors sample on whole seconds, the fusion node fuses half a second later.
    const steady = fused.filter((f) => f.atS > 15);
    const err = (f: (typeof fused)[number]) => Math.abs(f.r.value - truth(Math.round(f.atS - 0.5)));
    const avgErr = (f: (typeof fused)[number]) => Math.abs(f.r.average - truth(Math.round(f.atS - 0.5)));
    for (const f of steady) {
      expect(f.r.flags & (FUSE_FLAG.NONE | FUSE_FLAG.EMPTY)).toBe(0);
      expect(err(f), `step at ${f.atS} s`).toBeLessThan(0.35);
    }
    // The broken sensor moves the average, not FTI.
    const broken = steady.filter((f) => f.atS > BROKEN_FROM_S + 1 && f.atS < BROKEN_UNTIL_S);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(broken.map(avgErr))).toBeGreaterThan(4 * mean(broken.map(err)));
    // Sensor 9 went quiet (its slot freed after 3 silent steps) and came back; 10 joined late.
    const sensorsAt = (s: number) => fused.find((f) => f.atS > s)!.r.sensors;
    expect(sensorsAt(70)).toBe(8);
    expect(sensorsAt(95)).toBe(7);
    expect(sensorsAt(125)).toBe(8);
    expect(sensorsAt(160)).toBe(9);
    expect(counter(1, 'fuse.sensor.leave')).toBe(1);
    expect(counter(1, 'fuse.sensor.join')).toBe(10);
    expect(counter(1, 'fuse.step')).toBe(fused.length);
    expect(counter(1, 'fuse.reading.other')).toBe(0);
    // Nothing allocated after init on any node.
    expect(sim.events.rows.filter((e) => e.event === 'budget_violation')).toEqual([]);
  });

  it('is deterministic: the same seed gives the same fused series', () => {
    const a = run(3).fused.map((f) => [f.atS, f.r.value, f.r.average, f.r.sensors]);
    const b = run(3).fused.map((f) => [f.atS, f.r.value, f.r.average, f.r.sensors]);
    expect(a).toEqual(b);
  });
});

describe('the fusion node on an ESP8266', () => {
  const budget = boards.get('esp8266')!.wasm_memory_budget;
  /** What docs/fusion.md gives an ESP8266 fusion node: no fragmented messages, 12 sensors. */
  const esp8266 = { fuse_role: 2, fuse_reference: 2, frag_buffers: 0, send_buffers: 0, fuse_sensors: 12, fuse_window: 32 } as const;

  it('fits the Wasm memory budget with every clustering algorithm, and without clustering at the defaults', async () => {
    const wasm = await nodeWasm();
    const top = async (config: object) => (await TestNode.create(wasm, 1, config)).ex.heap_top() as number;
    expect(await top({ fuse_role: 2 })).toBeLessThanOrEqual(budget);
    for (const fuse_cluster of [0, 1, 2, 3]) expect(await top({ ...esp8266, fuse_cluster }), `algorithm ${fuse_cluster}`).toBeLessThanOrEqual(budget);
    // The full window at the most sensors does not fit there (an ESP32 node can take it).
    expect(await top({ ...esp8266, fuse_cluster: 3, fuse_sensors: 32, fuse_window: 64 })).toBeGreaterThan(budget);
  });

  it('takes a repeated reading once, even when the repeat arrives in the next step', async () => {
    const wasm = await nodeWasm();
    let now = 0;
    const emitted: { kind: number; bytes: Uint8Array }[] = [];
    const n = await TestNode.create(wasm, 1, { fuse_role: 2, fuse_period_ms: 1000 }, { now: () => now, emit: (kind, bytes) => emitted.push({ kind, bytes }) });
    const frame = (seq: number, value: number) => encodeFrame({
      type: MsgType.FuseReading, flags: 0, hops: 16, src: 2, dst: 1, seq,
      payload: encodeFuseReading({ phenomenon: 0, seq, value, accuracy: 0.5 }),
    });
    now = 100;
    n.frame(2, frame(7, 20));
    now = 600; // the step ends at 500 ms
    n.tick(now);
    n.frame(2, frame(7, 20)); // the same reading again
    now = 1600;
    n.tick(now);
    n.frame(2, frame(8, 21));
    now = 2600;
    n.tick(now);
    const used = emitted.filter((e) => e.kind === EmitKind.Fused).map((e) => decodeFused(e.bytes)!.used);
    expect(used).toEqual([1, 0, 1]);
    expect(n.counters()['fuse.reading.dup']).toBe(1);
    expect(n.counters()['fuse.reading.rx']).toBe(3);
  });

  it('refuses a config a role cannot work with', async () => {
    const wasm = await nodeWasm();
    const init = async (config: object | Uint8Array) => (await TestNode.raw(wasm)).init(config as Uint8Array, 1);
    expect(await init({ fuse_role: 1 })).toBe(InitError.OutOfRange); // a sensor without a sink
    expect(await init({ fuse_role: 2, fuse_cluster: 1 })).toBe(InitError.OutOfRange); // clustering without a reference
    expect(await init(new Uint8Array([112, 1, 2, 118, 1, 4]))).toBe(InitError.OutOfRange); // fuse_qos 4, past the encoder's check
    expect(await init({ fuse_role: 1, fuse_sink: 1 })).toBe(0);
  });
});

describe('clustering in the fusion node', () => {
  // Sensors 2 (the reference), 3 and 4 measure one phenomenon, 5 and 6 another; the node fuses
  // the reference's cluster. Sensor 2 sends one reading no fusion accepts at 50 s and is off
  // from 80 s to 120 s; 3 and 4 are off from 90 s to 110 s, so for a while none of the group is heard.
  // Periods of 20 s and 7 s: over any 16-sample window the two correlate at most 0.34.
  const a = (s: number) => 10 + 3 * Math.sin((2 * Math.PI * s) / 20);
  const b = (s: number) => 30 + 5 * Math.sin((2 * Math.PI * s) / 7 + 1);
  function run() {
    const sc = parseScenario('fuse-cluster.yaml', stringify({
      name: 'fuse-cluster', seed: 1, duration: '200s',
      defaults: { board: 'esp32', config: { hello_interval_ms: 500, neighbour_timeout_ms: 2000, fuse_period_ms: 1000 } },
      medium: { kind: 'links', loss: 0, links: [2, 3, 4, 5, 6].map((id) => ({ a: 1, b: id })) },
      nodes: [
        { id: 1, config: { fuse_role: 2, fuse_cluster: 2, fuse_reference: 2, fuse_window: 16, fuse_cluster_every: 10, fuse_threshold_milli: 600 } },
        ...[2, 3, 4, 5, 6].map((id) => ({ id, config: { fuse_role: 1, fuse_sink: 1 } })),
      ],
      outages: [{ node: 2, from: '80s', to: '120s' }, { node: 3, from: '90s', to: '110s' }, { node: 4, from: '90s', to: '110s' }],
    }), { boards });
    const fusion = new MemoryIO();
    const sim = new Simulation({
      ...resolveScenario(sc, { boards, program }),
      io: (id) => {
        if (id === 1) return fusion;
        return withSensor(new MemoryIO(), (channel, atUs) => {
          const s = Math.round(atUs / 1e6);
          if (id === 2 && s === 50) return { value: 3e38, accuracy: 0.3 };
          const rnd = xorshift32((id * 7919 + s * 104729) >>> 0 || 1);
          const e = (rnd() / 2 ** 32 - 0.5) * 0.3;
          return { value: (id <= 4 ? a(s) : b(s)) + e, accuracy: 0.3 };
        });
      },
    });
    sim.run();
    return {
      sim,
      fused: fusion.recordsOf(EmitKind.Fused).map((e) => ({ atS: e.atUs / 1e6, r: decodeFused(e.bytes)! })),
      clusters: fusion.recordsOf(EmitKind.FuseCluster).map((e) => ({ atS: e.atUs / 1e6, ids: decodeFuseCluster(e.bytes)!.ids.sort() })),
    };
  }

  it('fuses the reference\'s group only, keeps it while the reference is away, and is not shaken by a bad reading', () => {
    const { sim, fused, clusters } = run();
    // Every run that hears the reference finds 2, 3 and 4, including the one after the bad reading at 50 s.
    const heard = clusters.filter((c) => c.atS < 80 || c.atS > 140);
    expect(heard.length).toBeGreaterThanOrEqual(10);
    for (const c of heard.slice(1)) expect(c.ids, `run at ${c.atS} s`).toEqual([2, 3, 4]);
    // The bad reading is rejected and counted, not fused and not clustered.
    const at50 = fused.find((f) => f.atS > 50 && f.atS < 51)!;
    expect(at50.r.rejected).toBe(1);
    expect(sim.node(1).counters()['fuse.rejected']).toBe(1);
    // Sensors 5 and 6 are never mixed in: with the reference away 3 and 4 carry on, and with
    // the whole group away (and 3 and 4 back, but not placed by a run while the reference is
    // away) the step has nothing to fuse and says so.
    for (const f of fused.filter((x) => x.atS > 30)) {
      const s = Math.round(f.atS - 0.5);
      if (f.r.used === 0) expect([f.r.flags & FUSE_FLAG.NONE, Number.isNaN(f.r.value)], `step at ${f.atS} s`).toEqual([FUSE_FLAG.NONE, true]);
      else expect(Math.abs(f.r.value - a(s)), `step at ${f.atS} s`).toBeLessThan(0.5);
      expect(f.r.used).toBeLessThanOrEqual(3);
    }
    expect(fused.filter((x) => x.atS > 84 && x.atS < 90).every((x) => x.r.used === 2)).toBe(true);
    expect(fused.filter((x) => x.atS > 91 && x.atS < 110).every((x) => x.r.used === 0)).toBe(true);
    expect(fused.filter((x) => x.atS > 160).every((x) => x.r.used === 3)).toBe(true);
  });
});
