// The node host's rules, checked with tiny purpose-built modules.

import { beforeAll, describe, expect, it } from 'vitest';
import { compileProgram, ProgramError, type Program } from '../host-sim/program.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { compileFakeNode, fakeProgram, linkedSetup, testBoard } from './sim-fixtures/fake-node.ts';

const ms = 1000;
const rows = (sim: Simulation, event: string, node?: number) => sim.events.rows.filter((r) => r.event === event && (node === undefined || r.node === node));

describe('module loading', () => {
  it('refuses a module of another ABI version, naming both', async () => {
    const bytes = await compileFakeNode({ abi: 2 });
    expect(() => compileProgram(bytes, 'build/other.wasm')).toThrow(ProgramError);
    expect(() => compileProgram(bytes, 'build/other.wasm')).toThrow('build/other.wasm: module ABI version 2, this host speaks ABI version 1');
  });

  it('refuses bytes that are not WebAssembly and modules without the version global', () => {
    expect(() => compileProgram(new Uint8Array([1, 2, 3]), 'x.wasm')).toThrow(/x.wasm: not a valid WebAssembly module/);
    // The smallest valid module: magic and version only, no exports.
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(() => compileProgram(empty, 'e.wasm')).toThrow('e.wasm: module exports no ABI_VERSION global; this host speaks ABI version 1');
  });
});

describe('node host', () => {
  let ticker: Program;
  let worker: Program;
  let leaky: Program;
  let fat: Program;
  let panicky: Program;

  beforeAll(async () => {
    // Sends one 100-byte broadcast every 100 ms; the payload's first bytes are the sender's id.
    ticker = await fakeProgram({
      onTick: 'if (isDue(now)) { store<u32>(INBOX + 128, nodeId); send(0xFFFF, INBOX + 128, 100); due = now + 100; } return due - now;',
    });
    // Node 1: at its first tick works for 1e6 units, then sends 20 frames in one burst.
    // Every node: each received frame costs 50_000 units (50 ms on the test board).
    worker = await fakeProgram({
      onTick: 'if (nodeId == 1 && ticks == 1) { compute(1000000); for (let i = 0; i < 20; i++) send(2, INBOX + 128, 20); } return 0xFFFFFFFF;',
      onFrame: 'compute(50000);',
    });
    leaky = await fakeProgram({ onTick: 'if (ticks > 3) heapTop += 16; return 1000;' });
    fat = await fakeProgram({ initHeap: 100_000 });
    panicky = await fakeProgram({
      onTick: 'if (ticks == 3) { store<u8>(MSG, 0x6f); store<u8>(MSG + 1, 0x77); hal_panic(42, MSG, 2); unreachable(); } return 500;',
    });
  }, 120_000);

  it('ticks each node at the deadline it returns, never polling', () => {
    const sim = new Simulation(linkedSetup(ticker, 2, { duration: 1_000 * ms }));
    sim.run();
    const tx = rows(sim, 'tx', 1).map((r) => r.at);
    expect(tx).toEqual(Array.from({ length: 11 }, (_, i) => i * 100 * ms));
    // 100 bytes at 1 Mbit/s plus 1 ms base latency.
    expect(rows(sim, 'rx', 2)[0].at).toBe(1 * ms + 800);
    // One tick per deadline plus one after each received frame (the host asks for the new
    // deadline after every input).
    // The frame sent at 1000 ms would arrive after the end of the run.
    expect(sim.node(2).counters()).toEqual({ rx: 10, tk: 21 });
  });

  it('makes a node busy for compute(cost): later sends leave when the work is done', () => {
    const board = testBoard({}, { tx_queue: 64, rx_queue: 4 });
    const sim = new Simulation(linkedSetup(worker, 2, { board, duration: 5_000 * ms }));
    sim.run();
    const tx = rows(sim, 'tx', 1).map((r) => r.at);
    // 1e6 units x 1000 ns = 1 s of work, then 20 frames back to back, 160 µs of airtime each.
    expect(tx[0]).toBe(1_000 * ms);
    expect(tx[1] - tx[0]).toBe(160);
    expect(tx.length).toBe(20);
    // The receiver spends 50 ms per frame: its radio buffer (4) overflows and that is counted.
    const node2 = sim.node(2);
    expect(node2.stats.rxOverflow).toBeGreaterThan(0);
    expect(node2.stats.rxOverflow + node2.counters().rx).toBe(20);
    expect(sim.medium.stats.dropped.rx_queue_overflow).toBe(node2.stats.rxOverflow);
    expect(rows(sim, 'rx_overflow', 2).length).toBe(node2.stats.rxOverflow);
    // Frames waiting in the buffer are handed over one per 50 ms as the node frees up.
    const rx = rows(sim, 'rx', 2).map((r) => r.at);
    expect(rx[1] - rx[0]).toBe(50 * ms);
  });

  it('refuses frames beyond the MTU and a full radio queue', async () => {
    const p = await fakeProgram({
      onTick: 'if (nodeId == 1 && ticks == 1) { emit(100, INBOX, 0); let r1 = send(2, INBOX, 251); let r2 = send(0, INBOX, 10); let a = 0; for (let i = 0; i < 10; i++) { if (send(2, INBOX, 10) == -1) a++; } store<i32>(OUTBOX + 32, r1); store<i32>(OUTBOX + 36, r2); store<i32>(OUTBOX + 40, a); emit(99, OUTBOX + 32, 12); } return 0xFFFFFFFF;',
    });
    const sim = new Simulation(linkedSetup(p, 2, { board: testBoard({}, { tx_queue: 8 }) }));
    sim.run();
    const rec = rows(sim, 'emit_99', 1)[0].detail;
    const view = new DataView(Uint8Array.from(Buffer.from(rec, 'hex')).buffer);
    expect(view.getInt32(0, true)).toBe(-2); // longer than the MTU
    expect(view.getInt32(4, true)).toBe(-3); // bad destination
    expect(view.getInt32(8, true)).toBe(2); // 10 sends into an 8-frame queue
    expect(sim.medium.stats.dropped).toMatchObject({ mtu: 1, bad_destination: 1, tx_queue_full: 2 });
  });

  it('fails the run when the heap top moves after init', () => {
    const sim = new Simulation(linkedSetup(leaky, 3));
    sim.run();
    expect(sim.failure?.message).toMatch(/^node 1 \(board testboard\): heap top moved after init, from 4096 to 4112 bytes during tick$/);
    expect(rows(sim, 'budget_violation').length).toBe(1);
  });

  it('fails the run when the heap after init exceeds the board budget', () => {
    const sim = new Simulation(linkedSetup(fat, 2, { board: testBoard({ name: 'esp8266', wasm_memory_budget: 24576 }) }));
    sim.run();
    expect(sim.failure?.message).toBe("node 1 (board esp8266): heap top 100000 bytes after init exceeds the board's Wasm memory budget of 24576 bytes");
  });

  it('marks a panicking node failed with its message and keeps the others running', () => {
    const sim = new Simulation(linkedSetup(panicky, 2, { duration: 3_000 * ms }));
    sim.run();
    expect(sim.failure).toBeNull();
    for (const id of [1, 2]) {
      expect(sim.node(id).state).toBe('failed');
      expect(sim.node(id).failure).toBe('tick: panic 42: ow');
    }
    expect(rows(sim, 'panic').map((r) => r.at)).toEqual([1_000 * ms, 1_000 * ms]);
  });

  it('reboots a node after an outage: off loses frames, on runs init again', () => {
    const setup = linkedSetup(ticker, 2, { duration: 2_000 * ms, nodes: [{}, { outages: [{ from: 500 * ms, to: 1_000 * ms }] }] });
    const sim = new Simulation(setup);
    sim.run();
    const n2 = sim.node(2);
    expect(n2.boots).toBe(2);
    expect(rows(sim, 'node_off', 2).map((r) => r.at)).toEqual([500 * ms]);
    expect(rows(sim, 'node_on', 2).map((r) => r.at)).toEqual([0, 1_000 * ms]);
    // Fresh instance: counters restart; it sends again from its reboot on.
    expect(n2.counters().rx).toBe(10);
    expect(sim.medium.stats.lost.receiver_off).toBe(5);
    expect(rows(sim, 'tx', 2).some((r) => r.at > 500 * ms && r.at < 1_000 * ms)).toBe(false);
  });
});

describe('missing program', () => {
  it('tells the user to build it', async () => {
    const { loadProgram } = await import('../host-sim/program.ts');
    expect(() => loadProgram('/nonexistent/build/node.wasm')).toThrow(/node program .*node\.wasm not found; build it first with `npm run build`/);
  });
});
