// Acceptance of message delivery in the simulator (docs/delivery.md): 8 KiB messages cross
// five hops of a six-node line whose every link loses 10 % of the frames, intact and in the
// order sent; and the same seed gives the same run.

import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadBoards } from '../host-sim/boards.ts';
import { MemoryIO } from '../host-sim/io.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';
import { EmitKind, SendStatus, SubmitKind } from '../tools/wire/abi.ts';
import { decodeDelivered, decodeSendDone, encodeSendBlob } from '../tools/wire/delivery.ts';

const boards = loadBoards();
const S = 1_000_000;
const MESSAGES = 3;
const SIZE = 8192;
const SENDER = 1;
const RECEIVER = 6;

const LINE = `
name: delivery-line
seed: 3
duration: 90s
defaults:
  board: esp32
  config: {hello_interval_ms: 500, neighbour_timeout_ms: 2000, frag_buffer_bytes: ${SIZE}, send_buffers: ${MESSAGES}}
medium:
  kind: links
  loss: 0.1
  links: [{a: 1, b: 2}, {a: 2, b: 3}, {a: 3, b: 4}, {a: 4, b: 5}, {a: 5, b: 6}]
nodes: [{id: 1}, {id: 2}, {id: 3}, {id: 4}, {id: 5}, {id: 6}]
`;

let program: Program;
beforeAll(() => {
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
});

/** A different byte pattern per message, so a swap or a misplaced fragment shows. */
function message(k: number): Uint8Array {
  return new Uint8Array(SIZE).map((_, i) => (i * (2 * k + 1) + k * 101 + (i >> 8) * 7) & 0xff);
}

function runLine(seed?: number) {
  const scenario = parseScenario('delivery-line.yaml', LINE, { boards });
  const ios = new Map<number, MemoryIO>();
  for (let id = 1; id <= 6; id++) ios.set(id, new MemoryIO());
  const payloads = Array.from({ length: MESSAGES }, (_, k) => message(k));
  payloads.forEach((p, k) => ios.get(SENDER)!.putBlob(10 + k, p));
  const sim = new Simulation({ ...resolveScenario(scenario, { boards, program, seed }), io: (id) => ios.get(id)! });

  // Routes first, then the messages back to back: each submit returns at once with its id.
  sim.runUntil(10 * S);
  const ids = payloads.map((p, k) => sim.node(SENDER).submit(SubmitKind.SendBlob, encodeSendBlob(RECEIVER, 10 + k, p.length, 1)));
  const start = sim.now;
  sim.run();
  const delivered = ios.get(RECEIVER)!.recordsOf(EmitKind.Delivered).map((r) => ({ ...decodeDelivered(r.bytes)!, atUs: r.atUs }));
  const done = ios.get(SENDER)!.recordsOf(EmitKind.SendDone).map((r) => ({ ...decodeSendDone(r.bytes)!, atUs: r.atUs }));
  return { sim, ids, payloads, delivered, done, start };
}

describe('acceptance: 8 KiB over five lossy hops', () => {
  it('delivers several 8 KiB messages intact and in the order sent', () => {
    const { sim, ids, payloads, delivered, done, start } = runLine();
    expect(sim.failure).toBeNull();
    expect(ids.every((id) => typeof id === 'number' && id > 0)).toBe(true);
    expect(delivered.map((d) => d.msg)).toEqual(ids);
    delivered.forEach((d, k) => {
      expect(d.src).toBe(SENDER);
      expect(d.payload.length).toBe(SIZE);
      expect(Buffer.from(d.payload).equals(Buffer.from(payloads[k]))).toBe(true);
    });
    expect(done.map((d) => [d.msg, d.dst, d.status])).toEqual(ids.map((id) => [id, RECEIVER, SendStatus.Delivered]));
    // Each message is confirmed after it was delivered, and the next starts only then.
    for (let k = 0; k < MESSAGES; k++) {
      expect(done[k].atUs).toBeGreaterThan(delivered[k].atUs);
      if (k > 0) expect(delivered[k].atUs).toBeGreaterThan(done[k - 1].atUs);
    }
    expect(done[MESSAGES - 1].atUs - start).toBeLessThan(30 * S);

    // The losses were real and were repaired; every node kept its heap top.
    const c = (id: number) => sim.node(id).counters();
    const retx = [1, 2, 3, 4, 5, 6].reduce((n, id) => n + c(id)['link.retx'], 0);
    expect(retx).toBeGreaterThan(0);
    expect(sim.medium.stats.lost.random).toBeGreaterThan(0);
    expect(c(RECEIVER)['msg.rx']).toBe(MESSAGES);
    expect(c(RECEIVER)['frag.done']).toBe(MESSAGES);
    // Fragments count as data: the sender's data frames are its FRAGs, resent ones included
    // (it holds no other ACK_REQ frames: it forwards nothing at the end of the line).
    expect(c(SENDER)['cat.data.tx.frames']).toBe(c(SENDER)['frag.tx'] + c(SENDER)['link.retx']);
    for (const node of sim.nodes.values()) expect(node.currentHeapTop()).toBe(node.heapTop);
    // The simulator's event log names them too.
    expect(sim.events.rows.filter((r) => r.event === 'delivered').map((r) => r.detail)).toEqual(
      ids.map((id) => `src=${SENDER} msg=${id} len=${SIZE}`),
    );
    expect(sim.events.rows.filter((r) => r.event === 'send_done').map((r) => r.detail)).toEqual(
      ids.map((id) => `msg=${id} dst=${RECEIVER} status=delivered`),
    );
  });

  it('same seed, same outcome: identical events and records', () => {
    const a = runLine(7);
    const b = runLine(7);
    const digest = (r: ReturnType<typeof runLine>) => ({
      events: r.sim.events.rows.map((e) => `${e.at},${e.node},${e.event},${e.detail}`),
      delivered: r.delivered.map((d) => [d.msg, d.atUs]),
      done: r.done.map((d) => [d.msg, d.status, d.atUs]),
      counters: [...r.sim.nodes.values()].map((n) => n.counters()),
    });
    expect(digest(a)).toEqual(digest(b));
    expect(a.delivered.length).toBe(MESSAGES);
  });
});
