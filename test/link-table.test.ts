// The neighbour table under direct control: the full-table policy, repeated and restarted
// sequence numbers, frames not meant for us, and the inspect(1) byte layout.

import { beforeAll, describe, expect, it } from 'vitest';
import { EmitKind, InspectWhat } from '../tools/wire/abi.ts';
import { encodeFrame, encodeHello, encodePing, MsgType } from '../tools/wire/frame.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { TestNode } from './helpers/node.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await nodeWasm();
});

const SELF = 100;

function hello(src: number, seq: number, listed: { id: number; inQuality: number }[] = []): Uint8Array {
  return encodeFrame({ type: MsgType.Hello, flags: 0, hops: 1, src, dst: 0xffff, seq, payload: encodeHello({ intervalMs: 1000, neighbours: listed }) });
}

async function node(config = {}) {
  const clock = { now: 0 };
  const emitted: [number, number][] = [];
  const sent: Uint8Array[] = [];
  const n = await TestNode.create(wasm, SELF, config, {
    now: () => clock.now,
    emit: (kind, bytes) => emitted.push([kind, bytes[0] | (bytes[1] << 8)]),
    send: (_dst, bytes) => (sent.push(bytes), 0),
  });
  return { n, clock, emitted, sent };
}

describe('full table', () => {
  it('turns a newcomer away while every entry is healthy', async () => {
    const { n, clock } = await node({ neighbour_capacity: 2 });
    for (let s = 0; s < 5; s++) {
      clock.now = s * 1000;
      n.frame(1, hello(1, s));
      n.frame(2, hello(2, s));
    }
    n.frame(3, hello(3, 0));
    expect(n.neighbours().map((e) => e.id)).toEqual([1, 2]);
    expect(n.counters()['link.table.full']).toBe(1);
  });

  it('gives the place of a neighbour that lost half its hellos to a newcomer', async () => {
    const { n, clock, emitted } = await node({ neighbour_capacity: 2, neighbour_timeout_ms: 10_000 });
    for (let s = 0; s < 8; s++) {
      clock.now = s * 1000;
      n.frame(1, hello(1, s));
      // node 2 is heard only every third hello
      if (s % 3 === 0) n.frame(2, hello(2, s));
    }
    const before = n.neighbours();
    expect(before.find((e) => e.id === 2)!.inQuality).toBeLessThan(128);
    n.frame(3, hello(3, 0));
    expect(n.neighbours().map((e) => e.id)).toEqual([1, 3]);
    expect(emitted.slice(-2)).toEqual([[EmitKind.NeighbourDown, 2], [EmitKind.NeighbourUp, 3]]);
  });

  it('evicts the worse of two weak neighbours', async () => {
    const { n, clock } = await node({ neighbour_capacity: 2, neighbour_timeout_ms: 20_000 });
    n.frame(1, hello(1, 0));
    n.frame(2, hello(2, 0));
    clock.now = 4000; // both silent: node 1 for 4 s
    n.frame(2, hello(2, 1)); // node 2 heard again, one slot later
    clock.now = 6000;
    n.frame(3, hello(3, 0));
    expect(n.neighbours().map((e) => e.id)).toEqual([2, 3]);
  });
});

describe('hello bookkeeping', () => {
  it('ignores a repeated sequence number and restarts on a step backwards', async () => {
    const { n, clock } = await node();
    n.frame(1, hello(1, 10));
    clock.now = 1000;
    n.frame(1, hello(1, 12)); // one missed: 2 of 3
    expect(n.neighbours()[0].inQuality).toBe(170);
    n.frame(1, hello(1, 12));
    expect(n.neighbours()[0].inQuality).toBe(170);
    n.frame(1, hello(1, 3)); // rebooted
    expect(n.neighbours()[0].inQuality).toBe(255);
  });

  it('reads how the neighbour hears us from its list', async () => {
    const { n } = await node();
    n.frame(1, hello(1, 0, [{ id: 7, inQuality: 255 }, { id: SELF, inQuality: 99 }]));
    expect(n.neighbours()[0]).toMatchObject({ outQuality: 99, bidirectional: true });
    n.frame(1, hello(1, 1, [{ id: 7, inQuality: 255 }]));
    expect(n.neighbours()[0]).toMatchObject({ outQuality: 0, bidirectional: false });
  });

  it('ignores link frames whose header source is not the sender, and pings for others', async () => {
    const { n, sent } = await node();
    n.frame(2, hello(1, 0));
    const ping = (dst: number) => encodeFrame({ type: MsgType.Ping, flags: 0, hops: 1, src: 1, dst, seq: 0, payload: encodePing({ pingSeq: 0, sentMs: 5 }) });
    n.frame(1, ping(SELF + 1));
    expect(n.neighbours()).toEqual([]);
    expect(sent).toEqual([]);
    expect(n.counters()['link.rx.ignored']).toBe(2);
    n.frame(1, ping(SELF));
    expect(sent.length).toBe(1);
  });

  it('echoes the whole ping payload in the pong', async () => {
    const { n, sent } = await node();
    const payload = encodePing({ pingSeq: 77, sentMs: 0xfffffff0, padding: Uint8Array.from([1, 2, 3, 4, 5]) });
    n.frame(9, encodeFrame({ type: MsgType.Ping, flags: 0, hops: 1, src: 9, dst: SELF, seq: 77, payload }));
    expect(sent).toEqual([encodeFrame({ type: MsgType.Pong, flags: 0, hops: 1, src: SELF, dst: 9, seq: 0, payload })]);
  });
});

describe('inspect', () => {
  it('lays out the neighbour dump as docs/abi.md says', async () => {
    const { n, clock } = await node();
    n.frame(0x0201, hello(0x0201, 0, [{ id: SELF, inQuality: 200 }]), -70);
    clock.now = 0x01020304;
    n.tick(clock.now); // 0x01020304 ms is long past the timeout: the entry goes
    expect(n.neighbours()).toEqual([]);
    clock.now = 1000;
    n.frame(0x0201, hello(0x0201, 1, [{ id: SELF, inQuality: 200 }]), -70);
    clock.now = 1300;
    const len = n.ex.inspect(InspectWhat.Neighbours);
    const bytes = n.m.bytes(n.ex.outbox(), len);
    expect(Array.from(bytes)).toEqual([1, 0, 0x01, 0x02, 255, 200, 0xba, 1, 0x2c, 0x01, 0, 0]);
    expect(n.ex.inspect(99)).toBe(0);
  });

  it('names exactly the documented counters', async () => {
    const { n } = await node();
    expect(Object.keys(n.counters())).toEqual([
      'wire.rx', 'wire.tx',
      'wire.drop.short', 'wire.drop.long', 'wire.drop.version', 'wire.drop.flags', 'wire.drop.length',
      'wire.drop.addr', 'wire.drop.type', 'wire.drop.payload', 'wire.drop.tag',
      ...['routing', 'lifecycle', 'middleware', 'data', 'monitoring'].flatMap((c) =>
        ['tx.frames', 'tx.bytes', 'rx.frames', 'rx.bytes'].map((k) => `cat.${c}.${k}`)),
      'link.hello.tx', 'link.hello.rx', 'link.ping.tx', 'link.ping.rx', 'link.pong.tx', 'link.pong.rx',
      'link.neighbour.up', 'link.neighbour.down', 'link.table.full', 'link.tx.err', 'link.tx.fail', 'link.rx.ignored',
      'link.restart', 'link.tx.giveup',
      'route.adv.tx', 'route.adv.bytes', 'route.adv.full', 'route.adv.partial', 'route.adv.rx', 'route.adv.ignored',
      'route.changes', 'route.invalidated', 'route.table.full', 'route.tx', 'route.fwd', 'route.deliver',
      'route.drop.hops', 'route.drop.noroute', 'route.drop.holddown', 'route.tx.err',
      'route.flood.tx', 'route.flood.rx', 'route.flood.dup', 'route.flood.fwd', 'route.flood.busy',
      'route.rx.unhandled', 'route.seq.superseded', 'route.resync', 'route.seqreq.tx',
      'link.ack.tx', 'link.ack.rx', 'link.ack.stray', 'link.retx', 'link.retx.fail', 'link.dup', 'link.pool.full', 'link.rx.busy',
      'msg.tx', 'msg.done', 'msg.fail', 'msg.rx', 'frag.tx', 'frag.retx', 'frag.rx', 'frag.dup', 'frag.done',
      'frag.ack.tx', 'frag.ack.rx', 'frag.drop.busy', 'frag.drop.big', 'frag.drop.stale', 'frag.drop.bad', 'frag.drop.timeout',
      'frag.drop.ack',
    ]);
  });

  it('lists up to the full 254-entry table within the outbox', async () => {
    const { n } = await node({ neighbour_capacity: 254 });
    for (let id = 1; id <= 300; id++) if (id !== SELF) n.frame(id, hello(id, 0));
    expect(n.neighbours().length).toBe(254);
    expect(n.counters()['link.table.full']).toBe(300 - 1 - 254);
  });
});

describe('tick', () => {
  it('returns the time to the next hello, ping or expiry', async () => {
    // Routing timers pushed far out, so only the link layer's deadlines count here.
    const { n, clock } = await node({ hello_interval_ms: 1000, neighbour_timeout_ms: 1500, ping_interval_ms: 5000, trickle_imin_ms: 60_000, holddown_ms: 3_600_000 });
    const first = n.tick(0);
    expect(first).toBeLessThan(1000);
    clock.now = first;
    const next = n.tick(first);
    expect(next).toBeGreaterThanOrEqual(900);
    expect(next).toBeLessThanOrEqual(1100);
    n.frame(1, hello(1, 0));
    // the neighbour expires 1500 ms after `first`, later than the next hello
    expect(n.tick(first + 10)).toBe(next - 10);
    clock.now = first + next;
    expect(n.tick(clock.now)).toBe(first + 1500 - clock.now);
  });
});

describe('log', () => {
  it('passes only messages up to the configured level', async () => {
    const lines: [number, string][] = [];
    const hooks = { log: (level: number, text: string) => lines.push([level, text]) };
    await TestNode.create(wasm, 1, {}, hooks);
    expect(lines).toEqual([]); // default level 1 (warn) hides info
    await TestNode.create(wasm, 1, { log_level: 2 }, hooks);
    expect(lines).toEqual([[2, 'node ready']]);
  });
});
