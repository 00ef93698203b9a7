// 100,000 random and mutated frames through the node's `on_frame`: the module must never
// trap, never allocate, and count every frame in exactly one wire counter.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { xorshift32 } from '../tools/build/stub-hal.ts';
import { DROP_REASONS, dropCounter, fromHex, Flag } from '../tools/wire/frame.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { TestNode } from './helpers/node.ts';

const FRAMES = 100_000;
const SELF = 3; // the destination of the ping vectors, so pings get answered

const vectors = JSON.parse(readFileSync(new URL('./vectors/wire.json', import.meta.url), 'utf8'));
const seeds: Uint8Array[] = vectors.valid.map((v: { hex: string }) => fromHex(v.hex));


type Mutation = (b: Uint8Array, r: () => number) => Uint8Array;

const setU16 = (b: Uint8Array, at: number, v: number) => {
  if (b.length >= at + 2) {
    b[at] = v & 0xff;
    b[at + 1] = (v >> 8) & 0xff;
  }
  return b;
};

const mutations: Mutation[] = [
  // bit flips anywhere
  (b, r) => {
    for (let n = 1 + (r() % 4); n > 0; n--) if (b.length) b[r() % b.length] ^= 1 << (r() % 8);
    return b;
  },
  // truncation
  (b, r) => b.slice(0, r() % (b.length + 1)),
  // extension with random bytes
  (b, r) => {
    const out = new Uint8Array(b.length + 1 + (r() % 300));
    out.set(b);
    for (let i = b.length; i < out.length; i++) out[i] = r() & 0xff;
    return out;
  },
  // length field edits: off by a little, or anything
  (b, r) => setU16(b, 10, r() % 2 ? ((b[10] | (b[11] << 8)) + (r() % 17) - 8) & 0xffff : r() & 0xffff),
  // type byte: neighbours of the known types and arbitrary values
  (b, r) => {
    if (b.length > 1) b[1] = r() % 2 ? r() % 6 : r() & 0xff;
    return b;
  },
  // addresses, sometimes to 0 or broadcast
  (b, r) => setU16(b, 4 + 2 * (r() % 2), [0, 0xffff, 1 + (r() % 20), SELF][r() % 4]),
  // a tag: flag set and 8 bytes appended (well formed, but the network has no key)
  (b) => {
    const out = new Uint8Array(b.length + 8);
    out.set(b);
    if (out.length > 2) out[2] |= Flag.Tag;
    return out;
  },
  // reserved flags and version
  (b, r) => {
    if (b.length > 2) b[r() % 2 ? 2 : 0] = r() & 0xff;
    return b;
  },
  // untouched: valid frames keep the link layer busy (new neighbours, pings, pongs)
  (b, r) => setU16(b, 4, 1 + (r() % 40)),
];

// The debug build keeps assertions, so it also catches a failed internal check.
describe.each(['release', 'debug'] as const)('node (%s build)', (target) => {
  let wasm: Uint8Array;
  beforeAll(async () => {
    wasm = await nodeWasm(target);
  });

  it(`survives ${FRAMES.toLocaleString('en')} random and mutated frames without a trap or allocation`, async () => {
    const rand = xorshift32(0x5eed);
    let now = 0;
    const node = await TestNode.create(wasm, SELF, { neighbour_capacity: 4 }, {
      now: () => now,
      rand: xorshift32(42),
      send: () => (rand() % 10 === 0 ? -1 : 0),
    });
    node.tick(now);
    const inboxSize = node.ex.inbox_size();
    const heapAfterInit = node.heapTop();
    let sent = 0;

    for (let n = 0; n < FRAMES; n++) {
      now += rand() % 50;
      const kind = rand() % 20;
      const src = rand() % 4 === 0 ? rand() & 0xffff : 1 + (rand() % 40);
      if (kind === 0) {
        // pure noise of any length the inbox holds
        const bytes = new Uint8Array(rand() % (inboxSize + 1)).map(() => rand() & 0xff);
        node.frame(src, bytes, (rand() % 256) - 128);
      } else if (kind === 1) {
        // a length the inbox cannot hold: the module must not read past it
        node.frameLen(src, inboxSize + 1 + (rand() % 0x7fffffff));
      } else {
        let bytes: Uint8Array = seeds[rand() % seeds.length].slice();
        const rounds = 1 + (rand() % 2);
        for (let m = 0; m < rounds; m++) bytes = mutations[rand() % mutations.length](bytes, rand);
        if (bytes.length > inboxSize) bytes = bytes.slice(0, inboxSize);
        // most valid frames come from the neighbour their header names
        const hdrSrc = bytes.length >= 6 ? bytes[4] | (bytes[5] << 8) : src;
        node.frame(rand() % 8 ? hdrSrc : src, bytes, (rand() % 256) - 128);
      }
      sent++;
      if (n % 97 === 0) node.tick(now);
      if (n % 1000 === 0) expect(node.heapTop(), `heap top after ${n} frames`).toBe(heapAfterInit);
    }

    expect(node.heapTop()).toBe(heapAfterInit);
    const c = node.counters();
    if (process.env.MYCO_FUZZ_DUMP) console.log(c);
    const drops = DROP_REASONS.map((r) => c[dropCounter(r)]);
    expect(c['wire.rx'] + drops.reduce((a, b) => a + b, 0)).toBe(sent);
    expect(sent).toBe(FRAMES);
    for (const reason of DROP_REASONS) expect(c[dropCounter(reason)], `wire.drop.${reason}`).toBeGreaterThan(0);
    // Valid frames reached the link layer and were acted on.
    expect(c['wire.rx']).toBeGreaterThan(1000);
    expect(c['link.hello.rx']).toBeGreaterThan(0);
    expect(c['link.ping.rx']).toBeGreaterThan(0);
    expect(c['link.pong.rx']).toBeGreaterThan(0);
    expect(c['link.table.full']).toBeGreaterThan(0);
    expect(c['link.rx.ignored']).toBeGreaterThan(0);
    expect(node.neighbours().length).toBeLessThanOrEqual(4);
  });
});
