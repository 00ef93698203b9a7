// The lifecycle message types of tree mode (JOIN_REQ, JOIN_ACCEPT, TREE_STATUS, ANNOUNCE) in
// both codecs against the shared vectors (test/vectors/wire.json), and their category.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame, fromHex, isDropped, MsgType, toHex } from '../tools/wire/frame.ts';
import {
  decodeAnnounce, decodeJoinAccept, decodeJoinReq, decodeTreeStatus, encodeAnnounce, encodeJoinAccept, encodeJoinReq, encodeTreeStatus,
} from '../tools/wire/lifecycle.ts';
import { compileTestEntry, instantiate, type Loaded } from './helpers/wasm.ts';

interface Vector {
  name: string;
  hex: string;
  frame: Record<string, number | string>;
  lifecycle?: { joinReq?: any; joinAccept?: any; treeStatus?: any; announce?: any };
}
const vectors: { valid: Vector[]; invalid: { name: string; hex: string; reason: string }[] } = JSON.parse(
  readFileSync(new URL('./vectors/wire.json', import.meta.url), 'utf8'),
);
const lifecycle = vectors.valid.filter((v) => v.lifecycle);

let as: Loaded;
let buf: number;
beforeAll(async () => {
  as = await instantiate(await compileTestEntry('life_pure'));
  buf = as.exports.buffer();
});

describe('shared vectors of the lifecycle types', () => {
  it('cover every lifecycle type, valid and invalid', () => {
    const types = new Set(lifecycle.map((v) => v.frame.type));
    for (const t of [MsgType.JoinReq, MsgType.JoinAccept, MsgType.TreeStatus, MsgType.Announce]) expect(types).toContain(t);
    const invalid = new Set(vectors.invalid.filter((v) => v.name.startsWith('lifecycle:')).map((v) => fromHex(v.hex)[1]));
    for (const t of [MsgType.JoinReq, MsgType.JoinAccept, MsgType.TreeStatus, MsgType.Announce]) expect(invalid).toContain(t);
  });

  it('TypeScript payload codecs decode and re-encode each vector', () => {
    for (const v of lifecycle) {
      const p = fromHex(v.frame.payload as string);
      const l = v.lifecycle!;
      if (l.joinReq) expect([decodeJoinReq(p), toHex(encodeJoinReq(l.joinReq))]).toEqual([l.joinReq, v.frame.payload]);
      if (l.joinAccept) expect([decodeJoinAccept(p), toHex(encodeJoinAccept(l.joinAccept))]).toEqual([l.joinAccept, v.frame.payload]);
      if (l.treeStatus) expect([decodeTreeStatus(p), toHex(encodeTreeStatus(l.treeStatus))]).toEqual([l.treeStatus, v.frame.payload]);
      if (l.announce) expect([decodeAnnounce(p), toHex(encodeAnnounce(l.announce))]).toEqual([l.announce, v.frame.payload]);
      expect(isDropped(decodeFrame(fromHex(v.hex)))).toBe(false);
    }
  });

  it('AssemblyScript payload codecs read and write each vector', () => {
    for (const v of lifecycle) {
      const p = fromHex(v.frame.payload as string);
      const l = v.lifecycle!;
      const written = () => toHex(as.bytes(buf, p.length));
      as.write(buf, p);
      if (l.joinReq) {
        expect(as.exports.join_req_valid(p.length)).toBe(1);
        expect([0, 1].map((i) => as.exports.join_req_field(i))).toEqual([l.joinReq.token, l.joinReq.flags]);
        as.write(buf, new Uint8Array(p.length));
        as.exports.put_join_req(l.joinReq.token, l.joinReq.flags);
      }
      if (l.joinAccept) {
        const a = l.joinAccept;
        expect(as.exports.join_accept_valid(p.length)).toBe(1);
        expect([0, 1, 2, 3, 4].map((i) => as.exports.join_accept_field(i))).toEqual([a.token, a.status, a.depth, a.root, a.statusSeq]);
        as.write(buf, new Uint8Array(p.length));
        as.exports.put_join_accept(a.token, a.status, a.depth, a.root, a.statusSeq);
      }
      if (l.treeStatus) {
        const s = l.treeStatus;
        expect(as.exports.tree_status_valid(p.length)).toBe(1);
        expect([0, 1, 2, 3].map((i) => as.exports.tree_status_field(i))).toEqual([s.status, s.depth, s.root, s.statusSeq]);
        as.write(buf, new Uint8Array(p.length));
        as.exports.put_tree_status(s.status, s.depth, s.root, s.statusSeq);
      }
      if (l.announce) {
        expect(as.exports.announce_valid(p.length)).toBe(1);
        expect([0, 1].map((i) => as.exports.announce_field(i))).toEqual([l.announce.parent, l.announce.depth]);
        as.write(buf, new Uint8Array(p.length));
        as.exports.put_announce(l.announce.parent, l.announce.depth);
      }
      expect(written(), v.name).toBe(v.frame.payload);
    }
  });

  it('both codecs reject each invalid lifecycle payload', () => {
    const check: Record<number, string> = {
      [MsgType.JoinReq]: 'join_req_valid', [MsgType.JoinAccept]: 'join_accept_valid', [MsgType.TreeStatus]: 'tree_status_valid', [MsgType.Announce]: 'announce_valid',
    };
    for (const v of vectors.invalid.filter((x) => x.name.startsWith('lifecycle:'))) {
      const bytes = fromHex(v.hex);
      expect(decodeFrame(bytes), v.name).toEqual({ error: 'payload' });
      const payload = bytes.subarray(12);
      as.write(buf, payload);
      expect(as.exports[check[bytes[1]]](payload.length), v.name).toBe(0);
    }
  });
});
