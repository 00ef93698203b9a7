// Neighbour discovery, link quality, timeouts and ping/echo between real node instances.

import { beforeAll, describe, expect, it } from 'vitest';
import { EmitKind, SubmitError, SubmitKind } from '../tools/wire/abi.ts';
import { decodeFrame, decodeHello, isDropped, MsgType } from '../tools/wire/frame.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { MiniNet } from './helpers/mini-net.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await nodeWasm();
});

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** A line 1 - 2 - 3. */
async function line(config = {}): Promise<MiniNet> {
  const net = new MiniNet(wasm);
  for (const id of [1, 2, 3]) await net.add(id, config);
  net.link(1, 2);
  net.link(2, 3);
  return net;
}

const ids = (net: MiniNet, id: number) => net.node(id).neighbours().map((n) => n.id);

describe('neighbour discovery', () => {
  it('finds exactly the nodes in range, both ways, at full quality', async () => {
    const net = await line();
    net.run(5000);
    expect(ids(net, 1)).toEqual([2]);
    expect(ids(net, 2)).toEqual([1, 3]);
    expect(ids(net, 3)).toEqual([2]);
    for (const n of net.node(2).neighbours()) {
      expect(n).toMatchObject({ inQuality: 255, outQuality: 255, bidirectional: true, rssi: -40 - n.id });
      expect(n.ageMs).toBeLessThan(1200);
    }
    const ups = net.emitted.filter((e) => e.kind === EmitKind.NeighbourUp).map((e) => [e.node, u16(e.bytes, 0)]);
    expect(ups.sort()).toEqual([[1, 2], [2, 1], [2, 3], [3, 2]]);
  });

  it('sends well-formed hellos at the configured interval with jitter', async () => {
    const net = await line({ hello_interval_ms: 500, neighbour_timeout_ms: 1800 });
    net.run(10_000);
    const hellos = net.sent.filter((s) => s.from === 2 && s.bytes[1] === MsgType.Hello);
    const times = hellos.map((s) => s.t);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(450);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(550);
    expect(new Set(gaps).size).toBeGreaterThan(3);
    hellos.forEach((s, i) => {
      const f = decodeFrame(s.bytes);
      if (isDropped(f)) throw new Error(f.error);
      expect(f).toMatchObject({ type: MsgType.Hello, src: 2, dst: 0xffff, hops: 1, seq: i });
      expect(decodeHello(f.payload)?.intervalMs).toBe(500);
    });
    const last = decodeFrame(hellos[hellos.length - 1].bytes);
    if (isDropped(last)) throw new Error(last.error);
    expect(decodeHello(last.payload)?.neighbours.sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, inQuality: 255 },
      { id: 3, inQuality: 255 },
    ]);
  });

  it('drops a node that goes silent within the timeout and takes it back when it returns', async () => {
    const net = await line();
    net.run(5000);
    net.power(3, false);
    net.run(5000 + 3500 + 50);
    expect(ids(net, 2)).toEqual([1]);
    const down = net.emitted.find((e) => e.kind === EmitKind.NeighbourDown);
    expect(down && [down.node, u16(down.bytes, 0)]).toEqual([2, 3]);
    expect(down!.t).toBeGreaterThanOrEqual(5000);
    expect(down!.t).toBeLessThanOrEqual(5000 + 3500);
    expect(ids(net, 1)).toEqual([2]);
    expect(net.node(2).counters()['link.neighbour.down']).toBe(1);
    net.power(3, true);
    net.run(14_000);
    expect(ids(net, 2)).toEqual([1, 3]);
    expect(ids(net, 3)).toEqual([2]);
  });

  it('estimates quality from lost hellos and reports it back', async () => {
    const net = new MiniNet(wasm);
    for (const id of [1, 2]) await net.add(id, { hello_interval_ms: 200, neighbour_timeout_ms: 5000 });
    net.link(1, 2, 0.5);
    net.run(60_000);
    const [n] = net.node(1).neighbours();
    expect(n.id).toBe(2);
    expect(n.inQuality).toBeGreaterThan(40);
    expect(n.inQuality).toBeLessThan(215);
    const [back] = net.node(2).neighbours();
    // node 1 reports its in_q of node 2; what node 2 hears of that report is a recent value
    expect(back.outQuality).toBeGreaterThan(0);
  });

  it('marks a neighbour bidirectional only once its hellos list us', async () => {
    const net = new MiniNet(wasm);
    await net.add(1);
    await net.add(2);
    net.link(1, 2);
    net.power(2, false);
    net.run(1500);
    // Node 2 hears one of node 1's hellos, sent while 1 knew nobody.
    const hello = net.sent.filter((s) => s.from === 1 && s.bytes[1] === MsgType.Hello).pop()!;
    net.node(2).frame(1, hello.bytes);
    expect(net.node(2).neighbours()).toMatchObject([{ id: 1, bidirectional: false, outQuality: 0 }]);
    net.power(2, true);
    net.run(5000);
    expect(net.node(2).neighbours()).toMatchObject([{ id: 1, bidirectional: true, outQuality: 255 }]);
  });

  it('keeps the heap top fixed while running', async () => {
    const net = await line({ ping_interval_ms: 300 });
    const before = [1, 2, 3].map((id) => net.node(id).heapTop());
    net.run(30_000);
    expect([1, 2, 3].map((id) => net.node(id).heapTop())).toEqual(before);
  });
});

describe('ping and echo', () => {
  it('pings neighbours round robin and reports the round trip', async () => {
    const net = await line({ ping_interval_ms: 250 });
    net.run(10_000);
    const rtts = net.emitted.filter((e) => e.kind === EmitKind.PingRtt && e.node === 2);
    expect(rtts.length).toBeGreaterThan(20);
    for (const e of rtts) expect(u32(e.bytes, 4)).toBe(2 * net.latencyMs);
    const peers = rtts.map((e) => u16(e.bytes, 0));
    expect(new Set(peers)).toEqual(new Set([1, 3]));
    const seqs = rtts.map((e) => u16(e.bytes, 2));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const c = net.node(2).counters();
    // the last ping may still be in flight
    expect(c['link.ping.tx'] - c['link.pong.rx']).toBeGreaterThanOrEqual(0);
    expect(c['link.ping.tx'] - c['link.pong.rx']).toBeLessThanOrEqual(1);
    expect(net.node(1).counters()['link.pong.tx']).toBeGreaterThan(0);
  });

  it('pings on submit and rejects bad requests', async () => {
    const net = await line();
    net.run(3000);
    const a = net.node(1);
    expect(a.submitPing(2)).toBe(0);
    expect(a.submitPing(3)).toBe(SubmitError.NotNeighbour);
    expect(a.ex.submit(SubmitKind.Ping, 3)).toBe(SubmitError.BadLength);
    expect(a.ex.submit(99, 0)).toBe(SubmitError.UnknownKind);
    net.run(3100);
    const rtt = net.emitted.filter((e) => e.kind === EmitKind.PingRtt);
    expect(rtt.map((e) => [e.node, u16(e.bytes, 0), u32(e.bytes, 4)])).toEqual([[1, 2, 10]]);
  });

  it('counts transmission failures the host reports', async () => {
    const net = await line();
    net.node(1).ex.on_link(3, 2);
    expect(net.node(1).counters()['link.tx.fail']).toBe(1);
  });

  it('removes a neighbour when the host reports its link down', async () => {
    const net = await line();
    net.run(3000);
    net.node(2).ex.on_link(2, 3);
    expect(ids(net, 2)).toEqual([1]);
  });
});
