// Per-category traffic counters: every frame sent or accepted is counted, with its whole
// length, in the category of its type (docs/wire.md, "Categories").

import { beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, encodeHello, encodePing, MsgType } from '../tools/wire/frame.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { TestNode } from './helpers/node.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await nodeWasm();
});

const SELF = 7;

describe('category counters', () => {
  it('counts sent hellos and routing updates as routing and sent pings as monitoring, frames and bytes', async () => {
    const clock = { now: 0 };
    const sent: Uint8Array[] = [];
    const n = await TestNode.create(wasm, SELF, { hello_interval_ms: 100, ping_interval_ms: 100 }, {
      now: () => clock.now,
      send: (_dst, bytes) => (sent.push(bytes.slice()), 0),
    });
    // A neighbour to ping.
    n.frame(9, encodeFrame({ type: MsgType.Hello, flags: 0, hops: 1, src: 9, dst: 0xffff, seq: 1, payload: encodeHello({ intervalMs: 100, neighbours: [] }) }));
    for (clock.now = 0; clock.now < 2000; clock.now += 10) n.tick(clock.now);

    const byType = (types: number[]) => sent.filter((f) => types.includes(f[1]));
    const hellos = byType([MsgType.Hello]);
    const routing = byType([MsgType.Hello, MsgType.RouteUpdate]);
    const pings = byType([MsgType.Ping, MsgType.Pong]);
    expect(hellos.length).toBeGreaterThan(10);
    expect(pings.length).toBeGreaterThan(5);

    const c = n.counters();
    expect(c['cat.routing.tx.frames']).toBe(routing.length);
    expect(c['cat.routing.tx.bytes']).toBe(routing.reduce((a, f) => a + f.length, 0));
    expect(c['cat.monitoring.tx.frames']).toBe(pings.length);
    expect(c['cat.monitoring.tx.bytes']).toBe(pings.reduce((a, f) => a + f.length, 0));
    expect(c['cat.data.tx.frames']).toBe(0);
    expect(c['cat.routing.tx.frames'] + c['cat.monitoring.tx.frames']).toBe(c['wire.tx']);
  });

  it('counts accepted frames on receipt and leaves dropped ones out', async () => {
    const n = await TestNode.create(wasm, SELF);
    const hello = encodeFrame({ type: MsgType.Hello, flags: 0, hops: 1, src: 3, dst: 0xffff, seq: 1, payload: encodeHello({ intervalMs: 1000, neighbours: [] }) });
    const ping = encodeFrame({ type: MsgType.Ping, flags: 0, hops: 1, src: 3, dst: SELF, seq: 1, payload: encodePing({ pingSeq: 1, sentMs: 0 }) });
    n.frame(3, hello);
    n.frame(3, ping);
    n.frame(3, hello.subarray(0, 5)); // too short: dropped, not counted in a category
    const c = n.counters();
    expect(c['cat.routing.rx.frames']).toBe(1);
    expect(c['cat.routing.rx.bytes']).toBe(hello.length);
    expect(c['cat.monitoring.rx.frames']).toBe(1);
    expect(c['cat.monitoring.rx.bytes']).toBe(ping.length);
    expect(c['wire.drop.short']).toBe(1);
  });
});
