// The AssemblyScript and TypeScript wire codecs against the shared vectors, and against
// each other on frames neither was written for.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeFrame, decodeHello, decodePing, decodeRouteUpdate, encodeRouteUpdate, DROP_REASONS, dropReasonCode, encodeFrame, encodeHello, encodePing,
  fromHex, HEADER_BYTES, isDropped, toHex, type DropReason, type Frame,
} from '../tools/wire/frame.ts';
import { compileTestEntry, instantiate, type Loaded } from './helpers/wasm.ts';
import { xorshift32 } from '../tools/build/stub-hal.ts';

interface Vectors {
  mtu: number;
  valid: { name: string; hex: string; frame: Record<string, number | string>; hello?: any; ping?: any; routeUpdate?: any }[];
  invalid: { name: string; hex: string; reason: DropReason }[];
}
const vectors: Vectors = JSON.parse(readFileSync(new URL('./vectors/wire.json', import.meta.url), 'utf8'));

function frameOf(f: Record<string, number | string>): Frame {
  const frame: Frame = {
    type: f.type as number, flags: f.flags as number, hops: f.hops as number,
    src: f.src as number, dst: f.dst as number, seq: f.seq as number, payload: fromHex(f.payload as string),
  };
  if (f.tag !== undefined) frame.tag = fromHex(f.tag as string);
  return frame;
}

let as: Loaded;
let buf: number;

/** The AS decoder's verdict on `bytes`: a drop reason, or the header fields. */
function asDecode(bytes: Uint8Array, mtu = vectors.mtu): { error: DropReason } | Omit<Frame, 'payload' | 'tag'> & { len: number } {
  as.write(buf, bytes);
  const code = as.exports.decode(bytes.length, mtu, 0);
  if (code !== 0) return { error: DROP_REASONS[code - 1] };
  const f = (i: number) => as.exports.field(i) >>> 0;
  return { type: f(0), flags: f(1), hops: f(2), src: f(3), dst: f(4), seq: f(5), len: f(6) };
}

beforeAll(async () => {
  as = await instantiate(await compileTestEntry('wire_vectors'));
  buf = as.exports.buffer();
});

describe('shared vectors, TypeScript codec', () => {
  it.each(vectors.valid.map((v) => [v.name, v] as const))('encodes and decodes %s', (_, v) => {
    const frame = frameOf(v.frame);
    expect(toHex(encodeFrame(frame))).toBe(v.hex);
    const decoded = decodeFrame(fromHex(v.hex), { mtu: vectors.mtu });
    expect(decoded).toEqual(frame);
    if (v.hello) expect(decodeHello(frame.payload)).toEqual(v.hello);
    if (v.hello) expect(toHex(encodeHello(v.hello))).toBe(v.frame.payload);
    if (v.routeUpdate) {
      expect(decodeRouteUpdate(frame.payload)).toEqual(v.routeUpdate);
      expect(toHex(encodeRouteUpdate(v.routeUpdate))).toBe(v.frame.payload);
    }
    if (v.ping) {
      const ping = { pingSeq: v.ping.pingSeq, sentMs: v.ping.sentMs, padding: fromHex(v.ping.padding) };
      expect(decodePing(frame.payload)).toEqual(ping);
      expect(toHex(encodePing(ping))).toBe(v.frame.payload);
    }
  });

  it.each(vectors.invalid.map((v) => [v.name, v] as const))('drops %s', (_, v) => {
    expect(decodeFrame(fromHex(v.hex), { mtu: vectors.mtu })).toEqual({ error: v.reason });
  });

  it('has an invalid vector for every drop reason', () => {
    expect(new Set(vectors.invalid.map((v) => v.reason))).toEqual(new Set(DROP_REASONS));
  });
});

describe('shared vectors, AssemblyScript codec', () => {
  it.each(vectors.valid.map((v) => [v.name, v] as const))('encodes %s byte for byte', (_, v) => {
    const f = frameOf(v.frame);
    new Uint8Array(as.memory.buffer, buf, 2048).fill(0xaa);
    as.write(buf + HEADER_BYTES, f.payload);
    const len = as.exports.encode(f.type, f.flags, f.hops, f.src, f.dst, f.seq, f.payload.length);
    expect(len).toBe(v.hex.length / 2);
    expect(toHex(as.bytes(buf, len))).toBe(v.hex);
  });

  it.each(vectors.valid.map((v) => [v.name, v] as const))('decodes %s', (_, v) => {
    const f = frameOf(v.frame);
    expect(asDecode(fromHex(v.hex))).toEqual({
      type: f.type, flags: f.flags, hops: f.hops, src: f.src, dst: f.dst, seq: f.seq, len: f.payload.length,
    });
  });

  it.each(vectors.invalid.map((v) => [v.name, v] as const))('drops %s', (_, v) => {
    expect(asDecode(fromHex(v.hex))).toEqual({ error: v.reason });
  });

  it('numbers drop reasons as the TypeScript codec does', () => {
    expect(DROP_REASONS.map(dropReasonCode)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads and writes HELLO and PING payloads like the TypeScript codec', () => {
    for (const v of vectors.valid) {
      const payload = fromHex(v.frame.payload as string);
      as.write(buf, payload);
      if (v.hello) {
        expect(as.exports.hello_valid(payload.length)).toBe(1);
        expect(as.exports.hello_interval()).toBe(v.hello.intervalMs);
        expect(as.exports.hello_epoch()).toBe(v.hello.epoch);
        expect(as.exports.hello_count()).toBe(v.hello.neighbours.length);
        v.hello.neighbours.forEach((n: { id: number; inQuality: number }, i: number) => {
          expect(as.exports.hello_entry_id(i)).toBe(n.id);
          expect(as.exports.hello_entry_quality(i)).toBe(n.inQuality);
        });
        new Uint8Array(as.memory.buffer, buf, payload.length).fill(0);
        as.exports.put_hello(v.hello.intervalMs, v.hello.epoch, v.hello.neighbours.length);
        v.hello.neighbours.forEach((n: { id: number; inQuality: number }, i: number) => as.exports.put_hello_entry(i, n.id, n.inQuality));
        expect(toHex(as.bytes(buf, payload.length))).toBe(v.frame.payload);
      }
      if (v.ping) {
        expect(as.exports.ping_valid(payload.length)).toBe(1);
        expect(as.exports.ping_seq()).toBe(v.ping.pingSeq);
        expect(as.exports.ping_sent_ms() >>> 0).toBe(v.ping.sentMs);
        as.exports.put_ping(0, 0);
        as.exports.put_ping(v.ping.pingSeq, v.ping.sentMs);
        expect(toHex(as.bytes(buf, 6))).toBe((v.frame.payload as string).slice(0, 12));
      }
    }
  });
});

describe('ROUTE_UPDATE payload, AssemblyScript codec', () => {
  it('reads and writes the vectors like the TypeScript codec', () => {
    const updates = vectors.valid.filter((v) => v.routeUpdate);
    expect(updates.length).toBeGreaterThan(0);
    for (const v of updates) {
      const payload = fromHex(v.frame.payload as string);
      const u = v.routeUpdate;
      as.write(buf, payload);
      expect(as.exports.route_update_valid(payload.length)).toBe(1);
      expect([as.exports.ru_flags(), as.exports.ru_count(), as.exports.ru_digest()]).toEqual([u.flags, u.entries.length, u.digest]);
      u.entries.forEach((e: { dest: number; seq: number; metric: number }, i: number) => {
        expect([as.exports.ru_dest(i), as.exports.ru_seq(i), as.exports.ru_metric(i)]).toEqual([e.dest, e.seq, e.metric]);
      });
      new Uint8Array(as.memory.buffer, buf, payload.length).fill(0);
      as.exports.put_route_update(u.flags, u.entries.length, u.digest);
      u.entries.forEach((e: { dest: number; seq: number; metric: number }, i: number) => as.exports.put_route_entry(i, e.dest, e.seq, e.metric));
      expect(toHex(as.bytes(buf, payload.length))).toBe(v.frame.payload);
    }
  });
});

describe('AssemblyScript and TypeScript decoders agree', () => {
  it('on 20,000 mutated and random frames, at several MTUs', () => {
    const rand = xorshift32(0xc0dec);
    const seeds = vectors.valid.map((v) => fromHex(v.hex));
    const seen = new Set<string>();
    for (let n = 0; n < 20_000; n++) {
      let bytes: Uint8Array;
      if (n % 4 === 0) {
        bytes = new Uint8Array(rand() % 300).map(() => rand() & 0xff);
        if (bytes.length > 0) bytes[0] = rand() % 3 === 0 ? bytes[0] : 1;
      } else {
        bytes = seeds[rand() % seeds.length].slice();
        const edits = 1 + (rand() % 3);
        for (let e = 0; e < edits; e++) {
          const at = rand() % Math.max(1, bytes.length);
          if (bytes.length > 0) bytes[at] ^= 1 << (rand() % 8);
        }
      }
      const mtu = [32, 64, 250, 1024][rand() % 4];
      const ts = decodeFrame(bytes, { mtu });
      const asResult = asDecode(bytes, mtu);
      if (isDropped(ts)) {
        expect(asResult, toHex(bytes)).toEqual(ts);
        seen.add(ts.error);
      } else {
        expect(asResult, toHex(bytes)).toEqual({
          type: ts.type, flags: ts.flags, hops: ts.hops, src: ts.src, dst: ts.dst, seq: ts.seq, len: ts.payload.length,
        });
        seen.add('ok');
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(DROP_REASONS.length);
  });
});
