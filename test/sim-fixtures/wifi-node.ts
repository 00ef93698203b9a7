// Tiny node programs that drive the `wifi` import (docs/abi.md, "Wi-Fi tree links") and
// report what they see through `emit`, so tests can read the Wi-Fi model's behaviour from
// the event log.

import asc from 'assemblyscript/asc';
import { compileProgram, type Program } from '../../host-sim/program.ts';
import type { Simulation } from '../../host-sim/simulation.ts';
import type { SimNodeSetup, SimulationSetup } from '../../host-sim/simulation.ts';
import type { MediumSpec } from '../../host-sim/topology.ts';
import type { Board, WifiSpec } from '../../host-sim/boards.ts';
import { testBoard } from './fake-node.ts';

/** Records the program emits: two u32 values `a`, `b` each. */
export const REC = {
  /** on_link: a = event, b = peer (for SCAN_DONE a record kind SCAN follows). */
  LINK: 101,
  /** A `wifi` call: a = op, b = result (as i32). */
  WIFI: 102,
  /** on_frame: a = src, b = the payload's first u32. */
  FRAME: 103,
  /** A `send`: a = dst, b = result (as i32). */
  SEND: 105,
} as const;
/** The SCAN_DONE records, raw. */
export const SCAN = 104;

export interface WifiNodeOptions {
  /** Statements run at every tick; `ticks` counts them; must `return` the wait (u32). */
  onTick?: string;
  /** Statements run on every link event (`event`, `peer`), after it is recorded. */
  onLink?: string;
  onFrame?: string;
  inboxSize?: number;
}

export function wifiNodeSource(o: WifiNodeOptions = {}): string {
  const inbox = o.inboxSize ?? 256;
  return `
@external("hal", "now_ms") declare function now_ms(): u32;
@external("hal", "send") declare function hal_send(dst: u32, ptr: usize, len: u32): i32;
@external("hal", "emit") declare function emit(kind: u32, ptr: usize, len: u32): void;
@external("hal", "wifi") declare function hal_wifi(op: u32, arg: u32): i32;

export const ABI_VERSION: i32 = 1;
const INBOX: usize = memory.data(${Math.max(inbox, 64)});
const OUTBOX: usize = memory.data(16);
const RECB: usize = memory.data(16);
const TX: usize = memory.data(16);
let nodeId: u32 = 0;
let ticks: u32 = 0;
/** Next due time, for programs that act periodically (tick is also called after every input). */
let due: u32 = 0;
function isDue(now: u32): bool { return <i32>(now - due) >= 0; }

function record(kind: u32, a: u32, b: u32): void { store<u32>(RECB, a); store<u32>(RECB + 4, b); emit(kind, RECB, 8); }
function wifi(op: u32, arg: u32): i32 { const r = hal_wifi(op, arg); record(${REC.WIFI}, op, <u32>r); return r; }
function send(dst: u32, value: u32): i32 { store<u32>(TX, value); const r = hal_send(dst, TX, 4); record(${REC.SEND}, dst, <u32>r); return r; }
function advertise(depth: u32, children: u32, flags: u32): i32 { return wifi(4, depth | (children << 8) | (flags << 16)); }
/** Id of the i-th record of the last SCAN_DONE (valid inside on_link). */
function scanned(i: u32): u32 { return <u32>load<u16>(INBOX + i * 6); }

export function inbox(): u32 { return <u32>INBOX; }
export function inbox_size(): u32 { return ${inbox}; }
export function outbox(): u32 { return <u32>OUTBOX; }
export function heap_top(): u32 { return 4096; }
export function init(id: u32, cfg_len: u32): i32 { nodeId = id; return 0; }
export function on_frame(src: u32, len: u32, rssi: i32): void { record(${REC.FRAME}, src, len >= 4 ? load<u32>(INBOX) : 0); ${o.onFrame ?? ''} }
export function on_link(event: u32, peer: u32): void {
  record(${REC.LINK}, event, peer);
  if (event == 4) emit(${SCAN}, INBOX, peer * 6);
  ${o.onLink ?? ''}
}
export function submit(kind: u32, len: u32): i32 { return 0; }
export function tick(now: u32): u32 { ticks++; ${o.onTick ?? 'return 0xFFFFFFFF;'} }
export function inspect(what: u32): u32 { if (what == 1) { store<u16>(OUTBOX, 0); return 2; } return 0; }
`;
}

export async function wifiProgram(o: WifiNodeOptions = {}): Promise<Program> {
  const result = await asc.compileString(wifiNodeSource(o), { runtime: 'stub', optimizeLevel: 1, noAssert: true });
  if (result.error || !result.binary) throw new Error(`wifi test node did not compile: ${result.stderr.toString()}`);
  return compileProgram(result.binary, 'wifi-node.wasm');
}

/** Round figures so expected times are easy to compute. */
export const TEST_WIFI: WifiSpec = {
  scan_ms: 100,
  assoc_ms: 30,
  dhcp_ms: 70,
  max_children: 2,
  beacon_loss_ms: 600,
  ap_inactivity_ms: 3000,
  hop_latency_ms: 5,
  jitter_ms: 0,
  bandwidth_bps: 1_000_000,
};

export function wifiBoard(name = 'wifiboard', wifi: Partial<WifiSpec> = {}): Board {
  return testBoard({ name, wifi: { ...TEST_WIFI, ...wifi } });
}

/** Nodes on a wifi medium, all booting at 0; each node: [x, y] or a full setup. */
export function wifiSetup(
  program: Program,
  nodes: (Partial<SimNodeSetup> & { id: number })[],
  o: { board?: Board; duration?: number; seed?: number; medium?: Partial<MediumSpec> } = {},
): SimulationSetup {
  return {
    name: 'wifi',
    seed: o.seed ?? 1,
    duration: o.duration ?? 10_000_000,
    program,
    medium: { kind: 'wifi', range_m: 100, loss: 0, links: [], ...o.medium },
    nodes: nodes.map((n) => ({ board: o.board ?? wifiBoard(), config: {}, outages: [], pos: { x: 0, y: 0 }, ...n })),
    bootJitter: 0,
    traceFrames: true,
  };
}

export interface Rec {
  /** Microseconds. */
  at: number;
  a: number;
  b: number;
}

/** The records of one kind a node emitted, decoded. */
export function recs(sim: Simulation, node: number, kind: number): Rec[] {
  return sim.events.rows
    .filter((r) => r.node === node && r.event === `emit_${kind}`)
    .map((r) => {
      const v = new DataView(Uint8Array.from(Buffer.from(r.detail, 'hex')).buffer);
      return { at: r.at, a: v.getUint32(0, true), b: v.getInt32(4, true) };
    });
}

/** Link events a node received: [time µs, event, peer]. */
export function linkEvents(sim: Simulation, node: number): [number, number, number][] {
  return recs(sim, node, REC.LINK).map((r) => [r.at, r.a, r.b]);
}

export interface ScanRecord {
  id: number;
  rssi: number;
  depth: number;
  children: number;
  flags: number;
}

/** Each SCAN_DONE's records, in the order the node got them. */
export function scans(sim: Simulation, node: number): ScanRecord[][] {
  return sim.events.rows
    .filter((r) => r.node === node && r.event === `emit_${SCAN}`)
    .map((r) => {
      const b = Uint8Array.from(Buffer.from(r.detail, 'hex'));
      const v = new DataView(b.buffer);
      const out: ScanRecord[] = [];
      for (let o = 0; o + 6 <= b.length; o += 6) {
        out.push({ id: v.getUint16(o, true), rssi: v.getInt8(o + 2), depth: b[o + 3], children: b[o + 4], flags: b[o + 5] });
      }
      return out;
    });
}
