// The route layer of one node under direct control: ROUTE_UPDATE frames in (including
// duplicated, reordered and corrupted ones), neighbour loss and restart, hold-down,
// forwarding, the inspect(2) layout and the memory budget with 128 routes.

import { beforeAll, describe, expect, it } from 'vitest';
import { InspectWhat } from '../tools/wire/abi.ts';
import {
  decodeFrame, decodeRouteUpdate, encodeFrame, encodeHello, encodePing, encodeRouteUpdate, isDropped, MsgType, RouteUpdateFlag,
  type RouteEntry,
} from '../tools/wire/frame.ts';
import { decodeRoutes } from '../tools/wire/inspect.ts';
import { SMALLEST_BUDGET } from '../tools/build/wasm.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { TestNode } from './helpers/node.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await nodeWasm();
});

const SELF = 100;
const INF = 0xffff;
/** Routing timers out of the way unless a test wants them; hold-down over after 1 ms. */
const QUIET = { trickle_imin_ms: 60_000, holddown_ms: 1, neighbour_timeout_ms: 3500 };

function hello(src: number, seq: number, opts: { listsUs?: boolean; epoch?: number } = {}): Uint8Array {
  const neighbours = opts.listsUs === false ? [] : [{ id: SELF, inQuality: 255 }];
  return encodeFrame({ type: MsgType.Hello, flags: 0, hops: 1, src, dst: 0xffff, seq, payload: encodeHello({ intervalMs: 1000, epoch: opts.epoch ?? 0, neighbours }) });
}

function update(src: number, entries: RouteEntry[], flags = 0, seq = 0): Uint8Array {
  return encodeFrame({ type: MsgType.RouteUpdate, flags: 0, hops: 1, src, dst: 0xffff, seq, payload: encodeRouteUpdate({ flags, digest: 0, entries }) });
}

async function node(config = {}) {
  const clock = { now: 0 };
  const sent: { dst: number; bytes: Uint8Array }[] = [];
  const n = await TestNode.create(wasm, SELF, { ...QUIET, ...config }, {
    now: () => clock.now,
    send: (dst, bytes) => (sent.push({ dst, bytes }), 0),
  });
  n.tick(0);
  clock.now = 2;
  n.tick(2); // hold-down over
  const routes = () => {
    const len = n.ex.inspect(InspectWhat.Routes);
    return decodeRoutes(n.m.bytes(n.ex.outbox(), len));
  };
  const route = (dest: number) => routes().routes.find((r) => r.dest === dest);
  const updatesSent = () =>
    sent.filter((s) => s.bytes[1] === MsgType.RouteUpdate).map((s) => {
      const f = decodeFrame(s.bytes);
      if (isDropped(f)) throw new Error(f.error);
      return decodeRouteUpdate(f.payload)!;
    });
  /** Makes `id` a bidirectional neighbour. */
  const meet = (id: number, seq = 0) => n.frame(id, hello(id, seq));
  return { n, clock, sent, routes, route, updatesSent, meet };
}

describe('learning routes from ROUTE_UPDATE', () => {
  it('adds the advertiser and its routes at metric + 16, next hop the advertiser', async () => {
    const { n, route, routes } = await node();
    n.frame(1, hello(1, 0));
    n.frame(1, update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: 7, seq: 10, metric: 32 }, { dest: 8, seq: 3, metric: INF }]));
    expect(route(1)).toMatchObject({ next: 1, seq: 4, metric: 16, changed: true });
    expect(route(7)).toMatchObject({ next: 1, seq: 10, metric: 48 });
    expect(route(8)).toBeUndefined(); // unknown and unreachable: nothing to keep
    expect(routes().holding).toBe(false);
    expect(n.counters()['route.adv.rx']).toBe(1);
  });

  it('ignores updates from a neighbour that does not hear us', async () => {
    const { n, route } = await node();
    n.frame(1, hello(1, 0, { listsUs: false }));
    n.frame(1, update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: 7, seq: 10, metric: 32 }]));
    expect(route(7)).toBeUndefined();
    n.frame(3, update(3, [{ dest: 3, seq: 4, metric: 0 }])); // not a neighbour at all
    expect(route(3)).toBeUndefined();
    expect(n.counters()['route.adv.ignored']).toBe(2);
  });

  it('prefers the shorter of two paths with the same number and takes a newer number', async () => {
    const { n, route } = await node();
    n.frame(1, hello(1, 0));
    n.frame(2, hello(2, 0));
    n.frame(1, update(1, [{ dest: 1, seq: 2, metric: 0 }, { dest: 9, seq: 20, metric: 64 }]));
    n.frame(2, update(2, [{ dest: 2, seq: 2, metric: 0 }, { dest: 9, seq: 20, metric: 32 }]));
    expect(route(9)).toMatchObject({ next: 2, metric: 48, seq: 20 });
    n.frame(1, update(1, [{ dest: 1, seq: 2, metric: 0 }, { dest: 9, seq: 20, metric: 48 }]));
    expect(route(9)).toMatchObject({ next: 2, metric: 48 }); // not strictly shorter
    n.frame(2, update(2, [{ dest: 2, seq: 2, metric: 0 }, { dest: 9, seq: 22, metric: 80 }]));
    expect(route(9)).toMatchObject({ next: 2, metric: 96, seq: 22 }); // newer, from the next hop
  });
});

describe('duplicated, reordered and corrupted updates', () => {
  it('leave the table as the newest valid information says', async () => {
    const { n, routes } = await node();
    n.frame(1, hello(1, 0));
    const older = update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: 7, seq: 10, metric: 32 }, { dest: 8, seq: 6, metric: 16 }], 0, 1);
    const newer = update(1, [{ dest: 1, seq: 6, metric: 0 }, { dest: 7, seq: 11, metric: INF }, { dest: 8, seq: 8, metric: 48 }], 0, 2);
    n.frame(1, older);
    n.frame(1, newer);
    const after = routes();
    n.frame(1, newer); // duplicate
    n.frame(1, older); // reordered: arrives after the newer one
    expect(routes().routes.map(({ ageS, ...r }) => r)).toEqual(after.routes.map(({ ageS, ...r }) => r));
    expect(after.routes.find((r) => r.dest === 7)).toMatchObject({ seq: 11, metric: INF });
    expect(after.routes.find((r) => r.dest === 8)).toMatchObject({ seq: 8, metric: 64 });

    // Corrupted copies: every single-bit flip and every truncation of the newer frame is
    // either dropped by the wire layer or a valid update; none may trap or corrupt the table
    // beyond what its (possibly altered) entries say under the sequence-number rules.
    const before = n.counters();
    let dropped = 0;
    for (let bit = 0; bit < newer.length * 8; bit++) {
      const bad = newer.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      const verdict = decodeFrame(bad);
      if (isDropped(verdict)) dropped++;
      n.frame(1, bad);
    }
    for (let len = 0; len < newer.length; len++) n.frame(1, newer.subarray(0, len));
    const c = n.counters();
    const drops = ['short', 'long', 'version', 'flags', 'length', 'addr', 'type', 'payload'].reduce((a, r) => a + c[`wire.drop.${r}`] - before[`wire.drop.${r}`], 0);
    expect(drops).toBe(dropped + newer.length);
    expect(c['wire.drop.payload']).toBeGreaterThan(before['wire.drop.payload']);
    // A route to 8 can only have moved to a newer number or a shorter path.
    const r8 = routes().routes.find((r) => r.dest === 8)!;
    expect(r8.seq === 8 ? r8.metric <= 64 : true).toBe(true);
    expect(n.heapTop()).toBe(n.heapTop());
  });

  it('drops a ROUTE_UPDATE whose payload breaks the layout as wire.drop.payload', async () => {
    const { n } = await node();
    const good = update(1, [{ dest: 1, seq: 4, metric: 0 }]);
    const zeroDest = update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: 0, seq: 4, metric: 0 }]);
    const reserved = good.slice();
    reserved[12] = 0x80;
    const before = n.counters()['wire.drop.payload'];
    n.frame(1, zeroDest);
    n.frame(1, reserved);
    expect(n.counters()['wire.drop.payload']).toBe(before + 2);
  });
});

describe('lost and restarted neighbours', () => {
  it('invalidates every route through a lost neighbour (odd number, infinite) and advertises it promptly', async () => {
    const { n, clock, route, updatesSent } = await node({ neighbour_timeout_ms: 3000 });
    n.frame(1, hello(1, 0));
    n.frame(2, hello(2, 0));
    n.frame(1, update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: 7, seq: 10, metric: 32 }]));
    n.frame(2, update(2, [{ dest: 2, seq: 2, metric: 0 }, { dest: 9, seq: 20, metric: 16 }]));
    for (clock.now = 100; clock.now <= 3500; clock.now += 100) {
      n.frame(2, hello(2, clock.now / 100)); // node 2 keeps talking, node 1 falls silent
      n.tick(clock.now);
    }
    expect(route(1)).toMatchObject({ seq: 5, metric: INF });
    expect(route(7)).toMatchObject({ seq: 11, metric: INF });
    expect(route(9)).toMatchObject({ seq: 20, metric: 32, next: 2 });
    const partial = updatesSent().filter((u) => (u.flags & RouteUpdateFlag.Full) === 0).pop()!;
    expect(partial.entries[0].dest).toBe(SELF);
    expect(partial.entries).toEqual(expect.arrayContaining([{ dest: 1, seq: 5, metric: INF }, { dest: 7, seq: 11, metric: INF }]));
    expect(n.counters()['route.invalidated']).toBe(1);
  });

  it('treats a hello with a new boot epoch as the neighbour leaving and coming back', async () => {
    const { n, route } = await node();
    n.frame(1, hello(1, 500, { epoch: 0x1111 }));
    n.frame(1, update(1, [{ dest: 1, seq: 40, metric: 0 }, { dest: 7, seq: 10, metric: 32 }]));
    expect(route(7)).toMatchObject({ metric: 48 });
    // Rebooted, and its hello sequence happens to go on upwards: only the epoch tells.
    n.frame(1, hello(1, 501, { epoch: 0x2222, listsUs: false }));
    expect(route(7)).toMatchObject({ seq: 11, metric: INF });
    expect(route(1)).toMatchObject({ seq: 41, metric: INF });
    expect(n.neighbours()).toMatchObject([{ id: 1, bidirectional: false }]);
    const c = n.counters();
    expect([c['link.restart'], c['link.neighbour.down'], c['link.neighbour.up']]).toEqual([1, 1, 2]);
  });

  it('raises its own number past one the network holds for it (after its own restart)', async () => {
    const { n, clock, updatesSent } = await node({ trickle_imin_ms: 100 });
    n.frame(1, hello(1, 0));
    n.frame(1, update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: SELF, seq: 301, metric: INF }]));
    for (clock.now = 10; clock.now <= 400; clock.now += 10) n.tick(clock.now);
    const own = updatesSent().map((u) => u.entries[0]);
    expect(own.every((e) => e.dest === SELF && e.metric === 0)).toBe(true);
    expect(own[own.length - 1].seq).toBe(302);
    expect(n.counters()['route.seq.superseded']).toBe(1);
  });
});

describe('hold-down after boot', () => {
  it('learns only routes to the advertisers themselves and forwards nothing until it ends', async () => {
    const clock = { now: 0 };
    const sent: { dst: number; bytes: Uint8Array }[] = [];
    const n = await TestNode.create(wasm, SELF, { trickle_imin_ms: 60_000 }, { now: () => clock.now, send: (dst, bytes) => (sent.push({ dst, bytes }), 0) });
    n.tick(0);
    const routes = () => decodeRoutes(n.m.bytes(n.ex.outbox(), n.ex.inspect(InspectWhat.Routes)));
    n.frame(1, hello(1, 0));
    n.frame(1, update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: 7, seq: 10, metric: 32 }]));
    expect(routes().holding).toBe(true);
    expect(routes().routes.map((r) => r.dest)).toEqual([1]);
    const forThem = encodeFrame({ type: MsgType.Ping, flags: 0, hops: 8, src: 1, dst: 7, seq: 0, payload: encodePing({ pingSeq: 0, sentMs: 0 }) });
    n.frame(1, forThem);
    expect(n.counters()['route.drop.holddown']).toBe(1);
    clock.now = 3000;
    n.frame(1, hello(1, 3));
    // Default hold-down: the neighbour timeout (3500 ms). Then it asks for tables.
    clock.now = 3500;
    n.tick(clock.now);
    expect(routes().holding).toBe(false);
    for (clock.now = 3500; clock.now <= 3700; clock.now += 10) n.tick(clock.now);
    const solicit = sent.filter((s) => s.bytes[1] === MsgType.RouteUpdate).map((s) => s.bytes[12]);
    expect(solicit.some((flags) => (flags & RouteUpdateFlag.Solicit) !== 0)).toBe(true);
    n.frame(1, update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: 7, seq: 10, metric: 32 }]));
    expect(routes().routes.map((r) => r.dest)).toEqual([1, 7]);
  });
});

describe('forwarding', () => {
  const ping = (src: number, dst: number, hops: number) =>
    encodeFrame({ type: MsgType.Ping, flags: 0, hops, src, dst, seq: 3, payload: encodePing({ pingSeq: 3, sentMs: 0 }) });

  it('passes a frame for another node to its next hop with one hop less, or drops it with a reason', async () => {
    const { n, sent } = await node();
    n.frame(1, hello(1, 0));
    n.frame(2, hello(2, 0));
    n.frame(2, update(2, [{ dest: 2, seq: 2, metric: 0 }, { dest: 9, seq: 20, metric: 16 }]));
    sent.length = 0;
    n.frame(1, ping(1, 9, 5));
    expect(sent.map((s) => s.dst)).toEqual([2]);
    const out = sent[0].bytes;
    expect(out[3]).toBe(4);
    expect(out.subarray(4)).toEqual(ping(1, 9, 5).subarray(4));
    n.frame(1, ping(5, 9, 1)); // from further away, no hop left
    n.frame(1, ping(1, 55, 5));
    n.frame(1, ping(1, 2, 5)); // a neighbour without a learnt route still works
    const c = n.counters();
    expect([c['route.fwd'], c['route.drop.hops'], c['route.drop.noroute']]).toEqual([2, 1, 1]);
  });

  it('turns new destinations away when the table is full', async () => {
    const { n, route } = await node({ route_capacity: 2 });
    n.frame(1, hello(1, 0));
    n.frame(1, update(1, [{ dest: 1, seq: 4, metric: 0 }, { dest: 7, seq: 10, metric: 32 }, { dest: 8, seq: 10, metric: 32 }]));
    expect([route(1)?.dest, route(7)?.dest, route(8)]).toEqual([1, 7, undefined]);
    expect(n.counters()['route.table.full']).toBe(1);
  });
});

describe('memory', () => {
  it('holds 128 routes within the ESP8266 budget, and the heap never moves', async () => {
    const { n, clock, routes } = await node({ route_capacity: 128, trickle_imin_ms: 100 });
    expect(n.heapTop()).toBeLessThan(SMALLEST_BUDGET);
    const top = n.heapTop();
    n.frame(1, hello(1, 0));
    for (let base = 0; base < 130; base += 30) {
      const entries = [{ dest: 1, seq: 4, metric: 0 }];
      for (let d = base; d < base + 30 && d < 130; d++) entries.push({ dest: 200 + d, seq: 2, metric: 16 });
      n.frame(1, update(1, entries));
      clock.now += 50;
      n.tick(clock.now);
    }
    expect(routes().routes.length).toBe(128);
    expect(n.counters()['route.table.full']).toBe(3);
    expect(n.heapTop()).toBe(top);
    console.log(`heap_top after init with route_capacity 128: ${top} bytes (budget ${SMALLEST_BUDGET})`);
  });
});
