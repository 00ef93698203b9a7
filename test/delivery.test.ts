// Message delivery through the node program (docs/delivery.md): hop-by-hop acknowledgement and
// retransmission, fragmentation and reassembly with selective retransmission, the SEND /
// SEND_BLOB submit kinds and the DELIVERED / SEND_DONE records, on small lines of nodes.

import { beforeAll, describe, expect, it } from 'vitest';
import { EmitKind, SendStatus, SubmitError, SubmitKind } from '../tools/wire/abi.ts';
import type { NodeConfig } from '../tools/wire/config.ts';
import { decodeDelivered, decodeSendDone, encodeSend, encodeSendBlob, type Delivered, type SendDone } from '../tools/wire/delivery.ts';
import {
  decodeFrag, decodeFragAck, decodeFrame, decodeLinkAck, encodeAppData, encodeFrag, encodeFrame, Flag, fragmentMessage, isDropped, MsgType,
  type Frame,
} from '../tools/wire/frame.ts';
import { MiniNet } from './helpers/mini-net.ts';
import { nodeWasm } from './helpers/wasm.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await nodeWasm();
});

const FAST: NodeConfig = { hello_interval_ms: 200, neighbour_timeout_ms: 700 };
const RELIABLE = 1;
/** Payload bytes of one frame at the default 250-byte MTU, less APP_DATA's msg id. */
const SINGLE_MAX = 250 - 12 - 2;
/** Bytes one FRAG carries at most. */
const FRAG_ROOM = 250 - 12 - 7;
const CONVERGED_MS = 5000;

function pattern(len: number, seed = 1): Uint8Array {
  return new Uint8Array(len).map((_, i) => (i * 31 + seed * 7 + (i >> 8)) & 0xff);
}

/** Blobs by id, for every node of a net. */
type Blobs = Map<number, Uint8Array>;

async function line(count: number, config: NodeConfig = {}, loss = 0, blobs: Blobs = new Map()): Promise<MiniNet> {
  const net = new MiniNet(wasm, 3);
  const blobRead = (id: number, offset: number, len: number) => {
    const b = blobs.get(id);
    if (!b) return -1;
    if (offset > b.length) return -2;
    return b.subarray(offset, offset + len);
  };
  for (let id = 1; id <= count; id++) await net.add(id, { ...FAST, ...config }, { blobRead });
  for (let id = 1; id < count; id++) net.link(id, id + 1, loss);
  net.run(CONVERGED_MS);
  return net;
}

function delivered(net: MiniNet, node: number): Delivered[] {
  return net.emitted.filter((e) => e.node === node && e.kind === EmitKind.Delivered).map((e) => decodeDelivered(e.bytes)!);
}

function done(net: MiniNet, node: number): SendDone[] {
  return net.emitted.filter((e) => e.node === node && e.kind === EmitKind.SendDone).map((e) => decodeSendDone(e.bytes)!);
}

function send(net: MiniNet, from: number, dst: number, payload: Uint8Array, flags = RELIABLE): number {
  return net.submit(from, SubmitKind.Send, encodeSend(dst, payload, flags));
}

function sendBlob(net: MiniNet, from: number, dst: number, blob: number, len: number, flags = RELIABLE): number {
  return net.submit(from, SubmitKind.SendBlob, encodeSendBlob(dst, blob, len, flags));
}

/** Frames `from` put on the air (towards `to`, if given), decoded, from time `since` on. */
function sentFrames(net: MiniNet, from: number, to?: number, since = 0): (Frame & { t: number; dst: number })[] {
  const out: (Frame & { t: number; dst: number })[] = [];
  for (const s of net.sent) {
    if (s.from !== from || s.t < since || (to !== undefined && s.dst !== to)) continue;
    const f = decodeFrame(s.bytes);
    if (!isDropped(f)) out.push({ ...f, t: s.t, dst: s.dst });
  }
  return out;
}

/** Runs in small steps until `done` holds (or `maxMs` passes); true if it held. */
function runUntil(net: MiniNet, cond: () => boolean, maxMs = 10_000): boolean {
  const end = net.now + maxMs;
  while (!cond() && net.now < end) net.run(net.now + 10);
  return cond();
}

const frameOf = (bytes: Uint8Array): Frame => {
  const f = decodeFrame(bytes);
  if (isDropped(f)) throw new Error(f.error);
  return f;
};

describe('hop-by-hop acknowledged delivery', () => {
  it('acknowledges every ACK_REQ frame and resends lost ones, a bounded number of times', async () => {
    // A long neighbour timeout keeps the route up through lost hellos.
    const net = await line(3, { neighbour_timeout_ms: 3000 }, 0.3);
    const payloads = Array.from({ length: 20 }, (_, i) => pattern(40 + i, i));
    const since = net.now;
    const ids: number[] = [];
    for (const p of payloads) {
      ids.push(send(net, 1, 3, p));
      expect(runUntil(net, () => done(net, 1).length === ids.length)).toBe(true);
    }
    net.run(net.now + 1000);
    expect(ids.every((id) => id > 0)).toBe(true);
    const got = delivered(net, 3);
    expect(got.map((d) => d.msg)).toEqual(ids);
    got.forEach((d, i) => expect(d.payload).toEqual(payloads[i]));
    expect(done(net, 1).map((d) => [d.msg, d.status])).toEqual(ids.map((id) => [id, SendStatus.Delivered]));

    // Each data frame went out at most 1 + link_retries times per hop, and with ACK_REQ.
    for (const hop of [1, 2]) {
      const data = sentFrames(net, hop, hop + 1, since).filter((f) => f.type === MsgType.AppData);
      expect(data.every((f) => (f.flags & Flag.AckReq) !== 0)).toBe(true);
      const copies = new Map<string, number>();
      for (const f of data) copies.set(`${f.src}/${f.seq}`, (copies.get(`${f.src}/${f.seq}`) ?? 0) + 1);
      expect(Math.max(...copies.values())).toBeLessThanOrEqual(1 + 4);
      expect(data.length).toBeGreaterThan(copies.size); // 30 % loss: some were resent
    }
    const c1 = net.node(1).counters();
    const c2 = net.node(2).counters();
    expect(c1['link.retx']).toBeGreaterThan(0);
    expect(c1['link.ack.rx']).toBeGreaterThan(0);
    expect(c2['link.ack.tx']).toBeGreaterThan(0);
    expect(c2['link.dup']).toBeGreaterThan(0); // some acks were lost, their frames came again
  });

  it('answers a repeat whose ACK was lost with another ACK, and delivers it once', async () => {
    const net = await line(2);
    // Lose the first LINK_ACK of every data frame.
    const acked = new Set<string>();
    net.dropIf = (from, _to, bytes) => {
      if (from !== 2 || bytes[1] !== MsgType.LinkAck) return false;
      const a = decodeLinkAck(frameOf(bytes).payload)!;
      if (a.type !== MsgType.AppData) return false;
      const key = `${a.src}/${a.seq}`;
      if (acked.has(key)) return false;
      acked.add(key);
      return true;
    };
    const ids = [send(net, 1, 2, pattern(10, 1)), -1];
    net.run(net.now + 500);
    ids[1] = send(net, 1, 2, pattern(10, 2));
    net.run(net.now + 1000);
    expect(delivered(net, 2).map((d) => d.msg)).toEqual(ids);
    const c1 = net.node(1).counters();
    const c2 = net.node(2).counters();
    expect(c2['link.dup']).toBe(2);
    expect(c2['link.ack.tx']).toBeGreaterThanOrEqual(4);
    expect(c1['link.retx']).toBe(2);
    expect(c2['msg.rx']).toBe(2);
  });

  it('gives up after link_retries resends, counts it, and the message fails end to end', async () => {
    const net = await line(2, { link_retries: 3, ack_timeout_ms: 20, frag_timeout_ms: 100, frag_retries: 1 });
    const since = net.now;
    net.dropIf = (from, _to, bytes) => from === 1 && bytes[1] === MsgType.AppData;
    const id = send(net, 1, 2, pattern(20));
    net.run(net.now + 2000);
    expect(done(net, 1)).toEqual([{ msg: id, dst: 2, status: SendStatus.RetriesExhausted }]);
    expect(delivered(net, 2)).toEqual([]);
    const data = sentFrames(net, 1, 2, since).filter((f) => f.type === MsgType.AppData);
    // Two end-to-end attempts (the first and one retry round), each 1 + 3 times on the hop.
    expect(data.length).toBe(2 * (1 + 3));
    const c = net.node(1).counters();
    expect(c['link.retx']).toBe(2 * 3);
    expect(c['link.retx.fail']).toBe(2);
    expect(c['msg.fail']).toBe(1);
  });

  it('sends without ACK_REQ when the message is not marked reliable', async () => {
    const net = await line(2);
    const since = net.now;
    send(net, 1, 2, pattern(30), 0);
    net.run(net.now + 500);
    const data = sentFrames(net, 1, 2, since).filter((f) => f.type === MsgType.AppData);
    expect(data.length).toBe(1);
    expect(data[0].flags & Flag.AckReq).toBe(0);
    expect(net.node(2).counters()['link.ack.tx']).toBe(sentFrames(net, 2, 1, since).filter((f) => f.type === MsgType.LinkAck).length);
    expect(delivered(net, 2).length).toBe(1);
  });
});

describe('fragmentation and reassembly', () => {
  it('delivers 0, 1, one-frame-max, the boundaries around it and 8 KiB exactly', async () => {
    const blobs: Blobs = new Map();
    const net = await line(3, { frag_buffer_bytes: 8192 }, 0, blobs);
    const sizes = [0, 1, SINGLE_MAX, SINGLE_MAX + 1, 2 * FRAG_ROOM, 2 * FRAG_ROOM + 1, 1000, 8192];
    const expectFrames = [1, 1, 1, 2, 2, 3, 5, 36];
    const since = net.now;
    const ids: number[] = [];
    sizes.forEach((n, i) => blobs.set(100 + i, pattern(n, i)));
    for (let i = 0; i < sizes.length; i++) {
      const seen = net.sent.length;
      ids.push(sendBlob(net, 1, 3, 100 + i, sizes[i]));
      net.run(net.now + 3000);
      const mine = net.sent.slice(seen).filter((s) => s.from === 1).map((s) => frameOf(s.bytes));
      const data = mine.filter((f) => f.type === MsgType.AppData || f.type === MsgType.Frag);
      expect({ size: sizes[i], frames: data.length }).toEqual({ size: sizes[i], frames: expectFrames[i] });
      expect(data.every((f) => f.type === (expectFrames[i] === 1 ? MsgType.AppData : MsgType.Frag))).toBe(true);
    }
    const got = delivered(net, 3);
    expect(got.map((d) => d.msg)).toEqual(ids);
    got.forEach((d, i) => {
      expect(d.src).toBe(1);
      expect(d.payload.length).toBe(sizes[i]);
      expect(d.payload).toEqual(blobs.get(100 + i));
    });
    expect(done(net, 1).every((d) => d.status === SendStatus.Delivered)).toBe(true);
    // Fragmented data counts as data, end to end.
    const c1 = net.node(1).counters();
    expect(c1['cat.data.tx.frames']).toBe(c1['frag.tx']);
    expect(c1['cat.data.tx.frames']).toBe(sentFrames(net, 1, undefined, since).filter((f) => f.type === MsgType.Frag || f.type === MsgType.AppData).length);
    expect(net.node(3).counters()['frag.done']).toBe(expectFrames.filter((n) => n > 1).length);
  });

  it('places out-of-order and repeated fragments and delivers the message once', async () => {
    const net = await line(2, { frag_buffer_bytes: 4096 });
    const msg = pattern(3000, 9);
    const frags = fragmentMessage(0x4242, MsgType.AppData, msg, FRAG_ROOM);
    expect(frags.length).toBe(13);
    const order = [12, 3, 3, 0, 7, 1, 12, 2, 11, 4, 5, 6, 0, 8, 10, 9];
    let seq = 500;
    for (const i of order) {
      net.inject(2, 1, encodeFrame({ type: MsgType.Frag, flags: 0, hops: 16, src: 1, dst: 2, seq: seq++, payload: encodeFrag(frags[i]) }));
      net.run(net.now + 2);
    }
    net.run(net.now + 200);
    expect(delivered(net, 2)).toEqual([{ src: 1, msg: 0x4242, payload: msg }]);
    const c = net.node(2).counters();
    expect(c['frag.rx']).toBe(13);
    expect(c['frag.dup']).toBe(3);
    expect(c['frag.done']).toBe(1);
    // The message is confirmed complete, and a late repeat is confirmed again, not delivered.
    const acks = () => sentFrames(net, 2, 1).filter((f) => f.type === MsgType.FragAck).map((f) => decodeFragAck(f.payload)!);
    expect(acks().at(-1)).toEqual({ msg: 0x4242, status: 0, count: 13, received: [...Array(13).keys()] });
    const before = acks().length;
    net.inject(2, 1, encodeFrame({ type: MsgType.Frag, flags: 0, hops: 16, src: 1, dst: 2, seq: seq++, payload: encodeFrag(frags[5]) }));
    net.run(net.now + 50);
    expect(acks().length).toBe(before + 1);
    expect(acks().at(-1)!.received.length).toBe(13);
    expect(delivered(net, 2).length).toBe(1);
  });

  it('reports the gap after the last fragment and completes when the missing ones arrive', async () => {
    const net = await line(2, { frag_buffer_bytes: 4096, frag_timeout_ms: 200 });
    const msg = pattern(2000, 3);
    const frags = fragmentMessage(77, MsgType.AppData, msg, FRAG_ROOM);
    let seq = 900;
    const put = (i: number) => net.inject(2, 1, encodeFrame({ type: MsgType.Frag, flags: 0, hops: 16, src: 1, dst: 2, seq: seq++, payload: encodeFrag(frags[i]) }));
    const acks = () => sentFrames(net, 2, 1).filter((f) => f.type === MsgType.FragAck).map((f) => ({ t: f.t, ...decodeFragAck(f.payload)! }));
    const start = net.now;
    for (let i = 0; i < frags.length; i++) if (i !== 2 && i !== 6) put(i);
    net.run(start + 99);
    expect(acks()).toEqual([]); // held for half a frag_timeout_ms, in case they are only late
    net.run(start + 101);
    expect(acks()).toEqual([{ t: start + 100, msg: 77, status: 0, count: 9, received: [0, 1, 3, 4, 5, 7, 8] }]);
    // Without progress it reports again every frag_timeout_ms.
    net.run(start + 301);
    expect(acks().length).toBe(2);
    put(6);
    put(2);
    net.run(net.now + 10);
    expect(delivered(net, 2)).toEqual([{ src: 1, msg: 77, payload: msg }]);
    expect(acks().at(-1)!.received.length).toBe(9);
  });

  it('resends exactly the fragments that were lost', async () => {
    const blobs: Blobs = new Map([[1, pattern(8192, 5)]]);
    const net = await line(3, { frag_buffer_bytes: 8192 }, 0, blobs);
    const lose = new Set([3, 17, 30, 35]);
    const lost = new Set<number>();
    net.dropIf = (from, to, bytes) => {
      if (from !== 1 || to !== 2 || bytes[1] !== MsgType.Frag) return false;
      const i = decodeFrag(frameOf(bytes).payload)!.index;
      if (!lose.has(i) || lost.has(i)) return false;
      lost.add(i);
      return true;
    };
    const since = net.now;
    // Not reliable hop by hop, so only the end-to-end bitmap can repair the losses.
    const id = sendBlob(net, 1, 3, 1, 8192, 0);
    net.run(net.now + 5000);
    expect(delivered(net, 3)).toEqual([{ src: 1, msg: id, payload: blobs.get(1) }]);
    expect(done(net, 1)).toEqual([{ msg: id, dst: 3, status: SendStatus.Delivered }]);
    const indices = sentFrames(net, 1, 2, since).filter((f) => f.type === MsgType.Frag).map((f) => decodeFrag(f.payload)!.index);
    expect(indices.slice(0, 36)).toEqual([...Array(36).keys()]);
    expect(indices.slice(36).sort((a, b) => a - b)).toEqual([...lose]);
    expect(net.node(1).counters()['frag.retx']).toBe(lose.size);
    expect(net.node(3).counters()['frag.dup']).toBe(0);
  });

  it('keeps a one-frame message in order with the fragmented ones before and after it', async () => {
    const blobs: Blobs = new Map([[1, pattern(1500, 1)], [2, pattern(700, 2)]]);
    const net = await line(3, { send_buffers: 3 }, 0.1, blobs);
    const small = pattern(12, 3);
    const ids = [sendBlob(net, 1, 3, 1, 1500), send(net, 1, 3, small), sendBlob(net, 1, 3, 2, 700)];
    expect(ids.every((id) => id > 0)).toBe(true);
    net.run(net.now + 5000);
    expect(delivered(net, 3)).toEqual([
      { src: 1, msg: ids[0], payload: blobs.get(1) },
      { src: 1, msg: ids[1], payload: small },
      { src: 1, msg: ids[2], payload: blobs.get(2) },
    ]);
  });
});

describe('limits and refusals', () => {
  it('refuses a message larger than the receiver buffers: SEND_DONE refused', async () => {
    const blobs: Blobs = new Map([[1, pattern(1500)]]);
    const net = await line(2, {}, 0, blobs);
    // Node 2 keeps the default 2048-byte buffers; node 1 sends from a bigger one.
    const sender = await net.add(9, { ...FAST, frag_buffer_bytes: 4096 }, { blobRead: (id, off, len) => blobs.get(id)?.subarray(off, off + len) ?? -1 });
    expect(sender).toBeDefined();
    net.link(9, 2);
    net.run(net.now + CONVERGED_MS);
    blobs.set(2, pattern(3000));
    const id = sendBlob(net, 9, 2, 2, 3000);
    net.run(net.now + 1000);
    expect(done(net, 9)).toEqual([{ msg: id, dst: 2, status: SendStatus.Refused }]);
    expect(net.node(2).counters()['frag.drop.big']).toBeGreaterThan(0);
    expect(delivered(net, 2)).toEqual([]);
  });

  it('answers busy while its only reassembly buffer is taken, and takes the message later', async () => {
    const blobs: Blobs = new Map([[1, pattern(2000, 1)], [2, pattern(2000, 2)]]);
    const net = await line(3, { frag_buffers: 1 }, 0, blobs);
    const a = sendBlob(net, 1, 2, 1, 2000);
    const b = sendBlob(net, 3, 2, 2, 2000);
    net.run(net.now + 5000);
    const got = delivered(net, 2);
    expect(got.map((d) => [d.src, d.msg]).sort()).toEqual([[1, a], [3, b]].sort());
    for (const d of got) expect(d.payload).toEqual(blobs.get(d.src === 1 ? 1 : 2));
    expect(net.node(2).counters()['frag.drop.busy']).toBeGreaterThan(0);
    expect([...done(net, 1), ...done(net, 3)].every((d) => d.status === SendStatus.Delivered)).toBe(true);
  });

  it('rejects bad submissions with a clear code', async () => {
    const blobs: Blobs = new Map([[1, pattern(100)]]);
    const net = await line(2, { frag_buffer_bytes: 1024 }, 0, blobs);
    const sub = (kind: number, data: Uint8Array) => net.submit(1, kind, data);
    expect(sub(SubmitKind.Send, new Uint8Array(2))).toBe(SubmitError.BadLength);
    expect(sub(SubmitKind.SendBlob, new Uint8Array(10))).toBe(SubmitError.BadLength);
    expect(send(net, 1, 2, pattern(4), 2)).toBe(SubmitError.BadFlags);
    expect(send(net, 1, 99, pattern(4))).toBe(SubmitError.NoRoute);
    expect(send(net, 1, 1, pattern(4))).toBe(SubmitError.NoRoute);
    expect(send(net, 1, 0xffff, pattern(4))).toBe(SubmitError.NoRoute);
    expect(sendBlob(net, 1, 2, 1, 1025)).toBe(SubmitError.TooLong);
    expect(sendBlob(net, 1, 2, 7, 10)).toBe(SubmitError.NoBlob);
    expect(sendBlob(net, 1, 2, 1, 101)).toBe(SubmitError.NoBlob); // the blob is shorter
    // One send buffer (the default): a second message waits for the first to finish.
    expect(sendBlob(net, 1, 2, 1, 100)).toBeGreaterThan(0);
    expect(send(net, 1, 2, pattern(4))).toBe(SubmitError.Busy);
    net.run(net.now + 1000);
    expect(send(net, 1, 2, pattern(4))).toBeGreaterThan(0);
    net.run(net.now + 1000);
    expect(delivered(net, 2).length).toBe(2);
  });

  it('drops corrupted and truncated FRAG and FRAG_ACK frames and counts them', async () => {
    const net = await line(2);
    const frags = fragmentMessage(5, MsgType.AppData, pattern(600), FRAG_ROOM);
    const frag = (payload: Uint8Array, seq: number) => encodeFrame({ type: MsgType.Frag, flags: 0, hops: 16, src: 1, dst: 2, seq, payload });
    const good = encodeFrag(frags[0]);
    const bad = [
      good.slice(0, good.length - 1), // truncated
      good.slice(0, 6), // header cut short
      Uint8Array.of(...good, 1), // one byte too many
      encodeFrag({ ...frags[0], index: 3 }), // index past count
      encodeFrag({ ...frags[0], inner: 0x10 }), // a routing type inside
      encodeFrag({ ...frags[0], msg: 0 }),
      Uint8Array.of(5, 0, 0, 3, 0x0f), // FRAG_ACK with a bit past its count (sent as FRAG_ACK below)
    ];
    const before = net.node(2).counters()['wire.drop.payload'];
    bad.slice(0, 6).forEach((p, i) => net.inject(2, 1, frag(p, 100 + i)));
    net.inject(2, 1, encodeFrame({ type: MsgType.FragAck, flags: 0, hops: 16, src: 1, dst: 2, seq: 200, payload: bad[6] }));
    net.inject(2, 1, encodeFrame({ type: MsgType.FragAck, flags: 0, hops: 16, src: 1, dst: 2, seq: 201, payload: Uint8Array.of(5, 0, 0) }));
    // A frame whose header length disagrees with its size never reaches the payload check.
    const whole = frag(good, 300);
    net.inject(2, 1, whole.slice(0, whole.length - 3));
    net.run(net.now + 500);
    const c = net.node(2).counters();
    expect(c['wire.drop.payload'] - before).toBe(8);
    expect(c['wire.drop.length']).toBeGreaterThanOrEqual(1);
    expect(c['frag.rx']).toBe(0);
    expect(delivered(net, 2)).toEqual([]);
    // A well-formed FRAG_ACK for a message nobody is sending is counted and ignored.
    net.inject(1, 2, encodeFrame({ type: MsgType.FragAck, flags: 0, hops: 16, src: 2, dst: 1, seq: 9, payload: Uint8Array.of(5, 0, 0, 1, 1) }));
    expect(net.node(1).counters()['frag.drop.ack']).toBe(1);
  });

  it('never delivers a message after a later one, even when its fragments arrive late', async () => {
    const net = await line(2, { frag_timeout_ms: 50, frag_retries: 1, send_buffers: 2 });
    const first = pattern(700, 1);
    const second = pattern(10, 2);
    const held: Uint8Array[] = [];
    let firstId = 0;
    net.dropIf = (from, _to, bytes) => {
      if (from !== 1 || bytes[1] !== MsgType.Frag) return false;
      const f = decodeFrag(frameOf(bytes).payload)!;
      if (f.msg !== firstId || f.index === 0) return false;
      held.push(bytes);
      return true;
    };
    firstId = send(net, 1, 2, first);
    const secondId = send(net, 1, 2, second);
    net.run(net.now + 3000);
    expect(done(net, 1).map((d) => [d.msg, d.status])).toEqual([
      [firstId, SendStatus.RetriesExhausted],
      [secondId, SendStatus.Delivered],
    ]);
    // The first message's missing fragments turn up after the second was delivered.
    for (const bytes of held) net.inject(2, 1, bytes);
    net.run(net.now + 500);
    expect(delivered(net, 2).map((d) => d.msg)).toEqual([secondId]);
    expect(net.node(2).counters()['frag.drop.stale']).toBeGreaterThan(0);
  });

  it('keeps per-source order by message id: repeats and stragglers are not delivered, a restart is', async () => {
    const net = await line(2);
    let seq = 7000;
    const app = (msg: number) =>
      net.inject(2, 1, encodeFrame({ type: MsgType.AppData, flags: 0, hops: 16, src: 1, dst: 2, seq: seq++, payload: encodeAppData({ msg, data: Uint8Array.of(msg & 0xff) }) }));
    for (const msg of [1000, 1000, 990, 1001, 1001 - 64, 500, 501, 0xffff, 1]) {
      app(msg);
      net.run(net.now + 20); // lets each FRAG_ACK be acknowledged before the next one
    }
    net.run(net.now + 100);
    // 1000 again: a repeat; 990 and 937: within 64 behind the newest, a sender gave them up;
    // 500: far behind, so the source restarted and numbers afresh; ids wrap past 0xFFFF to 1.
    expect(delivered(net, 2).map((d) => d.msg)).toEqual([1000, 1001, 500, 501, 0xffff, 1]);
    const c = net.node(2).counters();
    expect(c['frag.dup']).toBe(1);
    expect(c['frag.drop.stale']).toBe(2);
    // Every repeat and every delivered message was confirmed to the source.
    const acks = sentFrames(net, 2, 1).filter((f) => f.type === MsgType.FragAck).map((f) => decodeFragAck(f.payload)!.msg);
    expect(acks).toEqual([1000, 1000, 1001, 500, 501, 0xffff, 1]);
  });

  it('never moves the heap top while messages come and go', async () => {
    const blobs: Blobs = new Map([[1, pattern(8192)]]);
    const net = await line(3, { frag_buffer_bytes: 8192, send_buffers: 2, frag_buffers: 2 }, 0.2, blobs);
    const tops = [1, 2, 3].map((id) => net.node(id).heapTop());
    for (let round = 0; round < 4; round++) {
      sendBlob(net, 1, 3, 1, 8192);
      send(net, 3, 1, pattern(100 + round));
      net.run(net.now + 3000);
    }
    expect(delivered(net, 3).length).toBe(4);
    expect(delivered(net, 1).length).toBe(4);
    expect([1, 2, 3].map((id) => net.node(id).heapTop())).toEqual(tops);
  });
});
