// The delivery message types (LINK_ACK, FRAG, FRAG_ACK, APP_DATA) in both codecs against the
// shared vectors, the fragment size rule, and the category a FRAG is counted in.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeAppData, decodeFrag, decodeFragAck, decodeLinkAck, encodeAppData, encodeFrag, encodeFragAck, encodeFrame, encodeLinkAck,
  fragBytes, fragmentMessage, fromHex, HEADER_BYTES, MsgType, toHex,
} from '../tools/wire/frame.ts';
import { compileTestEntry, instantiate, type Loaded } from './helpers/wasm.ts';

interface Vector {
  name: string;
  hex: string;
  frame: Record<string, number | string>;
  linkAck?: any;
  frag?: any;
  fragAck?: any;
  appData?: any;
}
const vectors: { valid: Vector[]; invalid: { name: string; hex: string; reason: string }[] } = JSON.parse(
  readFileSync(new URL('./vectors/wire.json', import.meta.url), 'utf8'),
);
const payloadOf = (v: Vector) => fromHex(v.frame.payload as string);
const withData = (o: any) => ({ ...o, data: fromHex(o.data) });

let as: Loaded;
let buf: number;
beforeAll(async () => {
  as = await instantiate(await compileTestEntry('delivery_wire'));
  buf = as.exports.buffer();
});

describe('shared vectors of the delivery types', () => {
  it('covers every delivery type, valid and invalid', () => {
    expect(vectors.valid.filter((v) => v.linkAck).length).toBeGreaterThan(0);
    expect(vectors.valid.filter((v) => v.frag).length).toBeGreaterThanOrEqual(3);
    expect(vectors.valid.filter((v) => v.fragAck).length).toBeGreaterThanOrEqual(3);
    expect(vectors.valid.filter((v) => v.appData).length).toBeGreaterThanOrEqual(2);
    const invalidTypes = new Set(vectors.invalid.map((v) => fromHex(v.hex)[1]));
    for (const t of [MsgType.LinkAck, MsgType.Frag, MsgType.FragAck, MsgType.AppData]) expect(invalidTypes).toContain(t);
  });

  it('TypeScript payload codecs decode and re-encode each vector', () => {
    for (const v of vectors.valid) {
      const p = payloadOf(v);
      if (v.linkAck) {
        expect(decodeLinkAck(p)).toEqual(v.linkAck);
        expect(toHex(encodeLinkAck(v.linkAck))).toBe(v.frame.payload);
      }
      if (v.frag) {
        expect(decodeFrag(p)).toEqual(withData(v.frag));
        expect(toHex(encodeFrag(withData(v.frag)))).toBe(v.frame.payload);
      }
      if (v.fragAck) {
        expect(decodeFragAck(p)).toEqual(v.fragAck);
        expect(toHex(encodeFragAck(v.fragAck))).toBe(v.frame.payload);
      }
      if (v.appData) {
        expect(decodeAppData(p)).toEqual(withData(v.appData));
        expect(toHex(encodeAppData(withData(v.appData)))).toBe(v.frame.payload);
      }
    }
  });

  it('AssemblyScript payload codecs read and write each vector', () => {
    for (const v of vectors.valid) {
      const p = payloadOf(v);
      as.write(buf, p);
      if (v.linkAck) {
        expect(as.exports.link_ack_valid(p.length)).toBe(1);
        expect([as.exports.link_ack_src(), as.exports.link_ack_type(), as.exports.link_ack_seq()]).toEqual([v.linkAck.src, v.linkAck.type, v.linkAck.seq]);
        as.write(buf, new Uint8Array(p.length));
        as.exports.put_link_ack(v.linkAck.src, v.linkAck.type, v.linkAck.seq);
        expect(toHex(as.bytes(buf, p.length))).toBe(v.frame.payload);
      }
      if (v.frag) {
        const f = v.frag;
        expect(as.exports.frag_valid(p.length)).toBe(1);
        expect([0, 1, 2, 3, 4].map((i) => as.exports.frag_field(i))).toEqual([f.msg, f.inner, f.index, f.count, f.total]);
        as.write(buf, new Uint8Array(7));
        as.exports.put_frag(f.msg, f.inner, f.index, f.count, f.total);
        expect(toHex(as.bytes(buf, p.length))).toBe(v.frame.payload);
      }
      if (v.fragAck) {
        const a = v.fragAck;
        expect(as.exports.frag_ack_valid(p.length)).toBe(1);
        expect([0, 1, 2].map((i) => as.exports.frag_ack_field(i))).toEqual([a.msg, a.status, a.count]);
        as.write(buf, new Uint8Array(4));
        as.exports.put_frag_ack(a.msg, a.status, a.count);
        expect(toHex(as.bytes(buf, p.length))).toBe(v.frame.payload);
      }
      if (v.appData) {
        expect(as.exports.app_data_valid(p.length)).toBe(1);
        expect(as.exports.app_data_msg()).toBe(v.appData.msg);
        as.write(buf, new Uint8Array(2));
        as.exports.put_app_data(v.appData.msg);
        expect(toHex(as.bytes(buf, p.length))).toBe(v.frame.payload);
      }
    }
  });
});

describe('fragment sizes', () => {
  it('never leave the last fragment empty nor exceed the room, in either codec', () => {
    for (const room of [1, 2, 7, 100, 231, 1005]) {
      for (let total = 1; total <= 4000; total += total < 300 ? 1 : 37) {
        const count = Math.ceil(total / room);
        if (count > 255) {
          expect(as.exports.frag_count(total, room)).toBe(0);
          continue;
        }
        expect(as.exports.frag_count(total, room)).toBe(count);
        let sum = 0;
        for (let i = 0; i < count; i++) {
          const n = fragBytes(total, count, i);
          expect(n).toBeGreaterThan(0);
          expect(n).toBeLessThanOrEqual(room);
          expect(as.exports.frag_bytes(total, count, i)).toBe(n);
          sum += n;
        }
        expect(sum).toBe(total);
      }
    }
  });

  it('cuts a message into fragments that put it back together', () => {
    const msg = new Uint8Array(8192).map((_, i) => (i * 31) & 0xff);
    const frags = fragmentMessage(7, MsgType.AppData, msg, 231);
    expect(frags.length).toBe(36);
    const joined = new Uint8Array(frags.reduce((n, f) => n + f.data.length, 0));
    let at = 0;
    for (const f of frags) {
      expect(decodeFrag(encodeFrag(f))).toEqual(f);
      joined.set(f.data, at);
      at += f.data.length;
    }
    expect(joined).toEqual(msg);
  });
});

describe('frame category', () => {
  const frame = (type: number, payload: Uint8Array) => encodeFrame({ type, flags: 0, hops: 1, src: 1, dst: 2, seq: 0, payload });
  const category = (bytes: Uint8Array) => {
    as.write(buf, bytes);
    return as.exports.frame_category(bytes.length);
  };

  it('counts a FRAG in the category of the message it carries', () => {
    const frag = (inner: number) => frame(MsgType.Frag, encodeFrag({ msg: 1, inner, index: 0, count: 1, total: 1, data: Uint8Array.of(0) }));
    expect(category(frag(MsgType.AppData))).toBe(3); // data
    expect(category(frag(0x30))).toBe(2); // middleware
    expect(category(frag(0x20))).toBe(1); // lifecycle
    expect(category(frag(0x70))).toBe(4); // monitoring
  });

  it('counts the other delivery types by their own type', () => {
    expect(category(frame(MsgType.FragAck, encodeFragAck({ msg: 1, status: 0, count: 1, received: [0] })))).toBe(0); // routing
    expect(category(frame(MsgType.LinkAck, encodeLinkAck({ src: 1, type: 0x60, seq: 0 })))).toBe(0);
    expect(category(frame(MsgType.AppData, encodeAppData({ msg: 1, data: new Uint8Array(3) })))).toBe(3);
    // A FRAG too short to name its inner type falls back to its own type's category.
    const short = frame(MsgType.Frag, new Uint8Array(0)).subarray(0, HEADER_BYTES + 2);
    expect(category(short)).toBe(0);
  });
});
