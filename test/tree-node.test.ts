// One tree-mode node under direct control (a stand-in `wifi` import, frames and link events
// written by the test): joining, the odd-root-number safeguard when an alert is lost, job
// states, and duplicated, reordered and corrupted lifecycle frames.

import { beforeAll, describe, expect, it } from 'vitest';
import { EmitKind, InspectWhat, LifeState, LinkEvent, SubmitError, SubmitKind, WifiOp } from '../tools/wire/abi.ts';
import { decodeFrame, encodeFrame, encodeRouteUpdate, Flag, isDropped, MsgType } from '../tools/wire/frame.ts';
import { decodeJoinReq, encodeJoinAccept, encodeTreeStatus, encodeAnnounce, TreeStatusCode } from '../tools/wire/lifecycle.ts';
import { decodeTree } from '../tools/wire/inspect.ts';
import { decodeState } from '../host-sim/lifecycle.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { TestNode } from './helpers/node.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await nodeWasm();
});

const SELF = 5;
const PARENT = 2;
const ROOT = 1;

async function treeNode(config = {}) {
  const clock = { now: 0 };
  const sent: { dst: number; bytes: Uint8Array }[] = [];
  const wifi: [number, number][] = [];
  const states: number[] = [];
  const n = await TestNode.create(wasm, SELF, { route_mode: 1, holddown_ms: 1, trickle_imin_ms: 60_000, ...config }, {
    now: () => clock.now,
    send: (dst, bytes) => (sent.push({ dst, bytes }), 0),
    wifi: (op, arg) => (wifi.push([op, arg]), 0),
    emit: (kind, bytes) => {
      if (kind === EmitKind.State) states.push(decodeState(bytes)!.state);
    },
  });
  const tree = () => decodeTree(n.m.bytes(n.ex.outbox(), n.ex.inspect(InspectWhat.Tree)));
  let seq = 100;
  const lifeFrame = (type: number, src: number, payload: Uint8Array) =>
    encodeFrame({ type, flags: Flag.AckReq, hops: 1, src, dst: SELF, seq: seq++, payload });
  /** Scan finds the parent (attached, accepting, depth 1); join; associate; the node registers. */
  const join = () => {
    n.tick(clock.now);
    const records = new Uint8Array([PARENT, 0, -40 & 0xff, 1, 0, 3]);
    n.m.write(n.ex.inbox(), records);
    n.ex.on_link(LinkEvent.ScanDone, 1);
    expect(wifi.filter(([op]) => op === WifiOp.Join).at(-1)).toEqual([WifiOp.Join, PARENT]);
    clock.now += 3000;
    n.ex.on_link(LinkEvent.Up, PARENT);
    const req = sent.filter((s) => s.bytes[1] === MsgType.JoinReq).at(-1)!;
    const f = decodeFrame(req.bytes);
    if (isDropped(f)) throw new Error(f.error);
    expect(req.dst).toBe(PARENT);
    return decodeJoinReq(f.payload)!.token;
  };
  const accept = (token: number, statusSeq = 1) =>
    n.frame(PARENT, lifeFrame(MsgType.JoinAccept, PARENT, encodeJoinAccept({ token, status: 0, depth: 1, root: ROOT, statusSeq })));
  const status = (code: number, statusSeq: number, depth = 1) =>
    lifeFrame(MsgType.TreeStatus, PARENT, encodeTreeStatus({ status: code, depth: code === 0 ? depth : 0, root: code === 0 ? ROOT : 0, statusSeq }));
  const update = (rootSeq: number, rootMetric: number) =>
    encodeFrame({
      type: MsgType.RouteUpdate, flags: 0, hops: 1, src: PARENT, dst: 0xffff, seq: seq++,
      payload: encodeRouteUpdate({ flags: 1, digest: 0, entries: [{ dest: PARENT, seq: 10, metric: 0 }, { dest: ROOT, seq: rootSeq, metric: rootMetric }] }),
    });
  return { n, clock, sent, wifi, states, tree, join, accept, status, update, lifeFrame };
}

describe('joining a parent', () => {
  it('scans, joins, registers and becomes Active at the parent depth + 1, advertising itself', async () => {
    const t = await treeNode();
    expect(t.wifi.slice(0, 2)).toEqual([[WifiOp.Scan, 0], [WifiOp.Advertise, 255]]); // not attached, not accepting
    const token = t.join();
    t.accept(token);
    expect(t.tree()).toMatchObject({ state: LifeState.Active, depth: 2, parent: PARENT, root: ROOT });
    expect(t.states).toEqual([LifeState.Search, LifeState.JoinNetwork, LifeState.Active]);
    expect(t.wifi.at(-1)).toEqual([WifiOp.Advertise, 2 | (3 << 16)]); // depth 2, accepting + attached
    // The first join since boot is announced network-wide.
    expect(t.sent.some((s) => s.bytes[1] === MsgType.Announce && s.dst === 0xffff)).toBe(true);
  });

  it('bounds the registration wait and tries again', async () => {
    const t = await treeNode({ tree_register_timeout_ms: 500 });
    t.join();
    t.clock.now += 600;
    t.n.tick(t.clock.now);
    expect(t.tree().state).toBe(LifeState.Search); // the only candidate failed: back to Search
    expect(t.wifi.some(([op]) => op === WifiOp.Leave)).toBe(true);
    expect(t.n.counters()['life.join.fail']).toBe(1);
  });

  it('runs application work in Execute Job only while Active', async () => {
    const t = await treeNode();
    expect(t.n.submit(SubmitKind.Job, new Uint8Array([1]))).toBe(SubmitError.NotActive);
    t.accept(t.join());
    expect(t.n.submit(SubmitKind.Job, new Uint8Array([1]))).toBe(0);
    expect(t.tree().state).toBe(LifeState.ExecuteJob);
    expect(t.n.submit(SubmitKind.Job, new Uint8Array([1, 2]))).toBe(SubmitError.BadLength);
    expect(t.n.submit(SubmitKind.Job, new Uint8Array([0]))).toBe(0);
    expect(t.tree().state).toBe(LifeState.Active);
  });
});

describe('recovery signals from the parent', () => {
  it('enters Recovery Await on an alert and leaves it on the resume, ignoring a reordered old alert', async () => {
    const t = await treeNode();
    t.accept(t.join(), 1);
    t.n.frame(PARENT, t.status(TreeStatusCode.Recovering, 2));
    expect(t.tree()).toMatchObject({ state: LifeState.RecoveryAwait, depth: 255, parent: PARENT });
    t.n.frame(PARENT, t.status(TreeStatusCode.Attached, 3, 2));
    expect(t.tree()).toMatchObject({ state: LifeState.Active, depth: 3 });
    const stale = t.n.counters()['life.rx.stale'];
    t.n.frame(PARENT, t.status(TreeStatusCode.Recovering, 2)); // the alert again, late
    expect(t.tree().state).toBe(LifeState.Active);
    expect(t.n.counters()['life.rx.stale']).toBe(stale + 1);
  });

  it('safeguard: with the alert lost, an odd root number from the parent still means Recovery Await', async () => {
    const t = await treeNode();
    t.accept(t.join());
    t.n.frame(PARENT, t.update(20, 16));
    expect(t.tree().state).toBe(LifeState.Active);
    t.n.frame(PARENT, t.update(21, 0xffff)); // root unreachable, and no TREE_STATUS came
    expect(t.tree().state).toBe(LifeState.RecoveryAwait);
    expect(t.n.counters()['life.safeguard']).toBe(1);
    t.n.frame(PARENT, t.update(22, 16)); // and the resume notice lost too
    expect(t.tree()).toMatchObject({ state: LifeState.Active, depth: 2 });
  });

  it('a parent lost while waiting is sought by the node itself (layer by layer)', async () => {
    const t = await treeNode();
    t.accept(t.join());
    t.n.frame(PARENT, t.status(TreeStatusCode.Recovering, 2));
    t.n.ex.on_link(LinkEvent.Down, PARENT);
    expect(t.tree()).toMatchObject({ state: LifeState.ParentRecovery, parent: 0 });
    expect(t.wifi.slice(-2)).toEqual([[WifiOp.Scan, 0], [WifiOp.Advertise, 255]]);
  });
});

describe('duplicated, reordered and corrupted lifecycle frames', () => {
  it('a repeated or foreign JOIN_ACCEPT changes nothing; a corrupted one is dropped or stale; nothing traps', async () => {
    const t = await treeNode();
    const token = t.join();
    // Wrong token, wrong sender: stale.
    t.n.frame(PARENT, t.lifeFrame(MsgType.JoinAccept, PARENT, encodeJoinAccept({ token: token ^ 1, status: 0, depth: 1, root: ROOT, statusSeq: 1 })));
    t.n.frame(7, t.lifeFrame(MsgType.JoinAccept, 7, encodeJoinAccept({ token, status: 0, depth: 1, root: ROOT, statusSeq: 1 })));
    expect(t.tree().state).toBe(LifeState.JoinNetwork);
    t.accept(token);
    const after = t.tree();
    t.accept(token); // duplicate (new header seq, so past the duplicate cache)
    expect(t.tree()).toEqual(after);
    const heap = t.n.heapTop();
    const frame = t.status(TreeStatusCode.Recovering, 9);
    for (let bit = 0; bit < frame.length * 8; bit++) {
      const bad = frame.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      t.n.frame(PARENT, bad);
    }
    for (let len = 0; len < frame.length; len++) t.n.frame(PARENT, frame.subarray(0, len));
    expect(t.n.heapTop()).toBe(heap);
    expect(t.n.counters()['wire.drop.payload'] + t.n.counters()['wire.drop.length']).toBeGreaterThan(0);
    // Whatever got through is a TREE_STATUS with some sequence number; the node is in a defined state.
    expect([LifeState.Active, LifeState.RecoveryAwait]).toContain(t.tree().state);
  });

  it('a JOIN_REQ from a station not on our softAP is refused as stale; a repeated one is answered again', async () => {
    const t = await treeNode({ tree_root: 1 });
    t.n.tick(0);
    const req = (src: number, seq: number) =>
      encodeFrame({ type: MsgType.JoinReq, flags: Flag.AckReq, hops: 1, src, dst: SELF, seq, payload: new Uint8Array([0x34, 0x12, 1]) });
    t.n.frame(9, req(9, 1));
    expect(t.sent.filter((s) => s.bytes[1] === MsgType.JoinAccept)).toEqual([]);
    t.n.ex.on_link(LinkEvent.ChildUp, 9);
    t.n.frame(9, req(9, 2));
    t.n.frame(9, req(9, 3));
    const accepts = t.sent.filter((s) => s.bytes[1] === MsgType.JoinAccept && s.dst === 9);
    expect(accepts.length).toBe(2);
    expect(t.tree().children).toEqual([{ id: 9, registered: true }]);
    // An ANNOUNCE that 9 joined someone else drops it here.
    t.n.frame(3, encodeFrame({ type: MsgType.Announce, flags: 0, hops: 16, src: 9, dst: 0xffff, seq: 1, payload: encodeAnnounce({ parent: 3, depth: 2 }) }));
    expect(t.tree().children).toEqual([]);
    expect(t.wifi.at(-2)).toEqual([WifiOp.Release, 9]);
  });
});
