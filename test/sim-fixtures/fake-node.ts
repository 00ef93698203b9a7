// Tiny node programs compiled from AssemblyScript source in the test itself, so the host's
// rules (ABI check, heap top, busy time, panics) can be exercised without the real node.

import asc from 'assemblyscript/asc';
import { compileProgram, type Program } from '../../host-sim/program.ts';
import type { Board } from '../../host-sim/boards.ts';

export interface FakeNodeOptions {
  abi?: number;
  /** Heap top reported after init. */
  initHeap?: number;
  /** AssemblyScript statements run by tick; must end with a `return <u32>` of the wait. */
  onTick?: string;
  onFrame?: string;
  onSubmit?: string;
}

export function fakeNodeSource(o: FakeNodeOptions = {}): string {
  return `
@external("hal", "now_ms") declare function now_ms(): u32;
@external("hal", "send") declare function send(dst: u32, ptr: usize, len: u32): i32;
@external("hal", "rand") declare function rand(): u32;
@external("hal", "emit") declare function emit(kind: u32, ptr: usize, len: u32): void;
@external("hal", "compute") declare function compute(cost: u32): void;
@external("hal", "panic") declare function hal_panic(code: u32, ptr: usize, len: u32): void;

export const ABI_VERSION: i32 = ${o.abi ?? 1};
const INBOX: usize = memory.data(256);
const OUTBOX: usize = memory.data(64);
const MSG: usize = memory.data(8);
let heapTop: u32 = 0;
let nodeId: u32 = 0;
let received: u32 = 0;
let ticks: u32 = 0;
/** Next due time, for programs that only act when due (tick may be called early). */
let due: u32 = 0;
function isDue(now: u32): bool { return <i32>(now - due) >= 0; }

export function inbox(): u32 { return <u32>INBOX; }
export function inbox_size(): u32 { return 256; }
export function outbox(): u32 { return <u32>OUTBOX; }
export function heap_top(): u32 { return heapTop; }
export function init(id: u32, cfg_len: u32): i32 { nodeId = id; heapTop = ${o.initHeap ?? 4096}; return 0; }
export function on_frame(src: u32, len: u32, rssi: i32): void { received++; ${o.onFrame ?? ''} }
export function on_link(event: u32, peer: u32): void {}
export function submit(kind: u32, len: u32): i32 { ${o.onSubmit ?? ''} return 0; }
export function tick(now: u32): u32 { ticks++; ${o.onTick ?? 'return 0xFFFFFFFF;'} }

function putCounter(at: usize, c0: u8, c1: u8, value: u32): usize {
  store<u8>(at, 2); store<u8>(at + 1, c0); store<u8>(at + 2, c1); store<u32>(at + 3, value);
  return at + 7;
}
export function inspect(what: u32): u32 {
  if (what == 0) {
    let at = putCounter(OUTBOX, 0x72, 0x78, received); // "rx"
    at = putCounter(at, 0x74, 0x6b, ticks);            // "tk"
    return <u32>(at - OUTBOX);
  }
  if (what == 1) { store<u16>(OUTBOX, 0); return 2; }
  return 0;
}
`;
}

export async function compileFakeNode(o: FakeNodeOptions = {}): Promise<Uint8Array> {
  const result = await asc.compileString(fakeNodeSource(o), { runtime: 'stub', optimizeLevel: 1, noAssert: true });
  if (result.error || !result.binary) throw new Error(`fake node did not compile: ${result.stderr.toString()}`);
  return result.binary;
}

export async function fakeProgram(o: FakeNodeOptions = {}): Promise<Program> {
  return compileProgram(await compileFakeNode(o), 'fake.wasm');
}

/** A board with round figures so expected times are easy to compute. */
export function testBoard(overrides: Partial<Board> = {}, radio: Partial<Board['radio']> = {}): Board {
  return {
    name: 'testboard',
    description: 'test',
    mcu: 'none',
    arch: 'none',
    clock_mhz: 100,
    ram_bytes: 1 << 20,
    flash_bytes: 1 << 20,
    wasm_memory_budget: 65536,
    engine: 'wasm3',
    radio: { kind: 'test', mtu: 250, bandwidth_bps: 1_000_000, base_latency_ms: 1, range_m: 100, ...radio },
    capability: 1,
    compute: { ns_per_unit: 1000 },
    ...overrides,
  };
}

import type { SimulationSetup, SimNodeSetup } from '../../host-sim/simulation.ts';
import type { MediumSpec } from '../../host-sim/topology.ts';

/** Nodes 1..n all linked to each other (a links medium), no loss, no boot jitter. */
export function linkedSetup(program: Program, n: number, o: { board?: Board; duration?: number; medium?: Partial<MediumSpec>; nodes?: Partial<SimNodeSetup>[] } = {}): SimulationSetup {
  const board = o.board ?? testBoard();
  const links = [];
  for (let a = 1; a <= n; a++) for (let b = a + 1; b <= n; b++) links.push({ a, b });
  return {
    name: 'fake',
    seed: 1,
    duration: o.duration ?? 10_000_000,
    program,
    medium: { kind: 'links', loss: 0, links, ...o.medium },
    nodes: Array.from({ length: n }, (_, i) => ({ id: i + 1, board, config: {}, outages: [], ...o.nodes?.[i] })),
    bootJitter: 0,
    traceFrames: true,
  };
}
