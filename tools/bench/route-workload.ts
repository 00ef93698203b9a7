// The routing workload of `npm run bench:firmware`: what one node of a mesh receives, as a
// fixed stream of calls a board's shell would make.
//
// A simulated mesh (host-sim, the real node module on every node) runs with churn: every few
// seconds a node is switched off for a while and back on (a reboot with a new boot epoch),
// alternately one of the recorded node's neighbours and a node further away, so routes break,
// are invalidated, repaired through sequence-number requests and re-learnt. Every frame the
// best-connected node receives is recorded with its arrival time. The stream is then replayed
// once under V8 from boot to fix the tick schedule (a tick at every time the node asks for one
// and after every frame, as the simulator and the C shell call it), so every engine afterwards
// makes exactly the same calls at exactly the same times.

import { loadBoards } from '../../host-sim/boards.ts';
import { parseScenario } from '../../host-sim/scenario/validate.ts';
import { resolveScenario } from '../../host-sim/scenario/resolve.ts';
import { Simulation } from '../../host-sim/simulation.ts';
import { buildTopology } from '../../host-sim/topology.ts';
import type { Program } from '../../host-sim/program.ts';
import { CONFIG_KEYS, encodeConfig, type NodeConfig } from '../wire/config.ts';
import { BenchError } from './native.ts';
import { NodeUnderTest, type ReplayEvents } from './route-node.ts';

export interface MeshSpec {
  nodes: number;
  seconds: number;
  seed: number;
  /** Side of the square area per sqrt(node): 35 m with a 60 m range gives about 8 neighbours a node. */
  spacingM: number;
  /** A node goes off every this many seconds, from 10 s on, for OUTAGE_S. */
  churnEveryS: number;
}

/** The benchmark's mesh: 50 nodes, one minute. */
export const BENCH_MESH: MeshSpec = { nodes: 50, seconds: 60, seed: 11, spacingM: 35, churnEveryS: 4 };
/** A small one for the test: a few hundred frames. */
export const SMALL_MESH: MeshSpec = { nodes: 16, seconds: 24, seed: 5, spacingM: 35, churnEveryS: 4 };

const OUTAGE_S = 6;
const CHURN_FROM_S = 10;
/** Seed of the replay's `rand` (xorshift32; route_bench.c uses the same generator). */
const RAND_SEED = 0x2545f491;

/** Frame types the stream may hold: what the C reference implements (docs/wire.md). */
export const MSG = { hello: 0x01, routeUpdate: 0x10, routeSeqReq: 0x11 } as const;
const TYPE_AT = 1;
const FLAGS_AT = 2;
const RU_COUNT_AT = 12 + 1;

/**
 * The settings the C reference runs with, in the order route_bench.c reads them: the module
 * gets the same values as its config blob (absent keys at their defaults).
 */
export const SETTINGS = [
  'hello_interval_ms', 'neighbour_timeout_ms', 'neighbour_capacity', 'mtu', 'route_capacity', 'hop_limit',
  'trickle_imin_ms', 'trickle_doublings', 'trickle_k', 'holddown_ms', 'update_gap_ms',
] as const;

export interface RouteWorkload {
  spec: MeshSpec;
  /** The recorded node. */
  self: number;
  /** Its neighbours in the mesh. */
  degree: number;
  /** The config blob `init` gets, and the same values in SETTINGS order. */
  config: Uint8Array;
  settings: number[];
  randSeed: number;
  events: ReplayEvents;
  /** Time of the last event: the dumps are taken then. */
  endMs: number;
  counts: { frames: number; hellos: number; updates: number; entries: number; seqReqs: number; ticks: number };
}

interface Recorded {
  t: number;
  src: number;
  rssi: number;
  bytes: Uint8Array;
}

function meshScenario(spec: MeshSpec): string {
  const side = Math.round(Math.sqrt(spec.nodes) * spec.spacingM);
  return `name: bench-firmware-mesh${spec.nodes}
seed: ${spec.seed}
duration: ${spec.seconds}s
defaults:
  board: esp32
  config: {route_capacity: ${spec.nodes + 16}, neighbour_capacity: 32}
medium: {kind: range, range_m: 60, loss: 0.05}
nodes:
  - random: {count: ${spec.nodes}, area: [${side}, ${side}], connected: true}
`;
}

/** Runs the mesh and records what its best-connected node receives. */
function record(program: Program, spec: MeshSpec): { self: number; degree: number; config: NodeConfig; frames: Recorded[]; endMs: number } {
  const boards = loadBoards();
  const setup = resolveScenario(parseScenario(`bench-firmware-mesh${spec.nodes}.yaml`, meshScenario(spec), { boards }), { boards, program });
  const topo = buildTopology(setup.medium, setup.nodes);
  const [self, links] = [...topo.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0];
  const near = links.map((l) => l.peer).sort((a, b) => a - b);
  const far = setup.nodes.map((n) => n.id).filter((id) => id !== self && !near.includes(id)).sort((a, b) => a - b);
  // Alternately a neighbour and a node further away; a node's outages never overlap, as each
  // list is walked round robin at one outage per 2 x churnEveryS > OUTAGE_S.
  for (let k = 0, t = CHURN_FROM_S; t + OUTAGE_S < spec.seconds; k++, t += spec.churnEveryS) {
    const pool = k % 2 === 0 ? near : far;
    if (!pool.length) continue;
    const node = setup.nodes.find((n) => n.id === pool[(k >> 1) % pool.length])!;
    node.outages = [...node.outages, { from: t * 1e6, to: (t + OUTAGE_S) * 1e6 }];
  }
  const sim = new Simulation({ ...setup, checkLoops: false });
  const x = sim.node(self);
  const frames: Recorded[] = [];
  let bootUs = -1;
  // The recording taps the node's two entry points from the engine: power-on (its clock starts
  // at 0 there) and frame arrival. It has no outage, so it boots once.
  const powerOn = x.powerOn.bind(x);
  x.powerOn = () => {
    bootUs = sim.engine.now;
    powerOn();
  };
  const arrive = x.arrive.bind(x);
  x.arrive = (src, bytes, rssi) => {
    const taken = arrive(src, bytes, rssi);
    if (taken) frames.push({ t: Math.floor((sim.engine.now - bootUs) / 1000), src, rssi: rssi | 0, bytes: bytes.slice() });
    return taken;
  };
  sim.run();
  if (sim.failure) throw new BenchError(`the mesh simulation failed: ${sim.failure.message}`);
  const mtu = Math.min(setup.nodes.find((n) => n.id === self)!.board.radio.mtu, 1024);
  const config: NodeConfig = { mtu, ...setup.nodes.find((n) => n.id === self)!.config };
  return { self, degree: near.length, config, frames, endMs: Math.floor((spec.seconds * 1e6 - bootUs) / 1000) };
}

function checkFrame(f: Recorded): void {
  const type = f.bytes[TYPE_AT];
  if (type !== MSG.hello && type !== MSG.routeUpdate && type !== MSG.routeSeqReq) {
    throw new BenchError(`the recorded stream holds a frame of type 0x${type.toString(16)} from ${f.src} at ${f.t} ms, which the C reference does not implement`);
  }
  if (f.bytes[FLAGS_AT] !== 0) throw new BenchError(`the recorded stream holds a frame with header flags ${f.bytes[FLAGS_AT]}, which the C reference does not implement`);
}

/** Records the mesh and fixes the tick schedule; deterministic for a given module and spec. */
export function buildRouteWorkload(module: WebAssembly.Module, program: Program, spec: MeshSpec): RouteWorkload {
  const rec = record(program, spec);
  rec.frames.forEach(checkFrame);
  const config = encodeConfig(rec.config);
  const settings = SETTINGS.map((name) => (rec.config[name] as number | undefined) ?? CONFIG_KEYS[name].default);

  const times: number[] = [];
  const srcs: number[] = [];
  const rssis: number[] = [];
  const frames: Uint8Array[] = [];
  const none = new Uint8Array(0);
  const node = NodeUnderTest.create(module, RAND_SEED);
  node.init(rec.self, config);
  const tick = (t: number) => {
    times.push(t);
    srcs.push(0);
    rssis.push(0);
    frames.push(none);
    return node.tick(t);
  };
  let next = tick(0);
  for (const f of rec.frames) {
    while (next !== null && next <= f.t) next = tick(next);
    times.push(f.t);
    srcs.push(f.src);
    rssis.push(f.rssi);
    frames.push(f.bytes);
    node.frame(f.t, f.src, f.bytes, f.rssi);
    next = tick(f.t);
  }
  while (next !== null && next <= rec.endMs) next = tick(next);

  const of = (type: number) => rec.frames.filter((f) => f.bytes[TYPE_AT] === type);
  const updates = of(MSG.routeUpdate);
  return {
    spec,
    self: rec.self,
    degree: rec.degree,
    config,
    settings,
    randSeed: RAND_SEED,
    events: { times: Uint32Array.from(times), srcs: Uint16Array.from(srcs), rssis: Int32Array.from(rssis), frames },
    endMs: times[times.length - 1],
    counts: {
      frames: rec.frames.length,
      hellos: of(MSG.hello).length,
      updates: updates.length,
      entries: updates.reduce((a, f) => a + f.bytes[RU_COUNT_AT], 0),
      seqReqs: of(MSG.routeSeqReq).length,
      ticks: times.length - rec.frames.length,
    },
  };
}

const WORKLOAD_MAGIC = 0x5752594d; // "MYRW"

/**
 * The workload as route_bench.c reads it, all little-endian: magic, self, rand seed, the
 * SETTINGS count and values, the config blob's length and bytes, the event count, then per
 * event `t:u32 src:u16 len:u16 rssi:i32` and `len` frame bytes (src 0 = tick).
 */
export function encodeWorkload(w: RouteWorkload): Uint8Array {
  const n = w.events.times.length;
  const frameBytes = w.events.frames.reduce((a, f) => a + f.length, 0);
  const size = 4 * (6 + w.settings.length) + w.config.length + n * 12 + frameBytes;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u32 = (v: number) => { view.setUint32(at, v >>> 0, true); at += 4; };
  u32(WORKLOAD_MAGIC);
  u32(w.self);
  u32(w.randSeed);
  u32(w.settings.length);
  w.settings.forEach(u32);
  u32(w.config.length);
  out.set(w.config, at);
  at += w.config.length;
  u32(n);
  for (let i = 0; i < n; i++) {
    const f = w.events.frames[i];
    u32(w.events.times[i]);
    view.setUint16(at, w.events.srcs[i], true);
    view.setUint16(at + 2, f.length, true);
    view.setInt32(at + 4, w.events.rssis[i], true);
    at += 8;
    out.set(f, at);
    at += f.length;
  }
  if (at !== size) throw new Error(`workload encoding: ${at} bytes written, ${size} expected`);
  return out;
}
