// Auction orchestration (docs/orchestration.md): the pure decisions of the work package
// manager, and work packages finding their way through steps spread over a simulated mesh.

import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadBoards } from '../host-sim/boards.ts';
import { MemoryIO } from '../host-sim/io.ts';
import { orchSubmitRecord } from '../host-sim/packages.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';
import { EmitKind, SubmitKind } from '../tools/wire/abi.ts';
import { decodeOrchFailed, decodeOrchStepsRecord, decodeOrchTrace, decodePackageBody } from '../tools/wire/orch.ts';
import { compileTestEntry, instantiate, nodeWasm, type Loaded } from './helpers/wasm.ts';

const boards = loadBoards();
const S = 1_000_000;

let pure: Loaded;
let program: Program;
beforeAll(async () => {
  pure = await instantiate(await compileTestEntry('pure'));
  await nodeWasm();
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
});

describe('pure decisions', () => {
  it('runs every consecutive loaded step, then names the next', () => {
    const mask = 0b0111; // steps 1..3
    expect(pure.exports.orch_step_loaded(mask, 3)).toBe(1);
    expect(pure.exports.orch_step_loaded(mask, 4)).toBe(0);
    expect(pure.exports.orch_step_loaded(mask, 0)).toBe(0);
    expect(pure.exports.orch_steps_here(mask, 1, 4)).toBe(3);
    expect(pure.exports.orch_steps_here(mask, 2, 2)).toBe(1);
    expect(pure.exports.orch_steps_here(mask, 4, 4)).toBe(0);
    expect(pure.exports.orch_steps_here(mask, 0, 4)).toBe(0);
    expect(pure.exports.orch_step_after(3, 4)).toBe(4);
    expect(pure.exports.orch_step_after(4, 4)).toBe(0);
  });

  it('falls back through the backup targets, skipping absent ones', () => {
    expect([0, 1, 2, 3].map((f) => pure.exports.orch_target_at(f, 1, 7, 9))).toEqual([1, 7, 9, 0]);
    expect([0, 1, 2].map((f) => pure.exports.orch_target_at(f, 1, 0, 9))).toEqual([1, 9, 0]);
    expect([0, 1].map((f) => pure.exports.orch_target_at(f, 1, 0, 0))).toEqual([1, 0]);
  });

  it('counts packages 1..0xFFFF, never 0', () => {
    expect(pure.exports.orch_next_counter(0xfffe)).toBe(0xffff);
    expect(pure.exports.orch_next_counter(0xffff)).toBe(1);
  });

  it('first-accept: offers only with the step, under the limit and with a free unreserved slot', () => {
    const accept = (load: number, reserved: number, limit: number, free: number, step = 2) =>
      pure.exports.orch_should_accept(0, 0b10, step, load, reserved, limit, free);
    expect(accept(0, 0, 1, 2)).toBe(1);
    expect(accept(0, 0, 1, 2, 1)).toBe(0); // step not loaded
    expect(accept(1, 0, 1, 1)).toBe(0); // busy and only idle accepted
    expect(accept(0, 1, 1, 2)).toBe(0); // seat already promised
    expect(accept(1, 0, 2, 1)).toBe(1); // utilisation bound 2
    expect(accept(0, 1, 3, 1)).toBe(0); // the only free slot is reserved
    expect(pure.exports.orch_should_accept(9, 0b10, 2, 0, 0, 1, 2)).toBe(0); // unknown strategy
    expect(pure.exports.orch_take_offer(0, 1)).toBe(1);
    expect(pure.exports.orch_take_offer(0, 0)).toBe(0);
  });

  it('weighted: scores capability, queue, hops and a known battery; ties go to the lower node id', () => {
    const score = (c: number, q: number, h: number, b = 255) => pure.exports.orch_score(c, q, h, b);
    expect(score(200, 0, 1)).toBe(4 * 200 - 16);
    expect(score(0, 0, 1)).toBe(score(128, 0, 1)); // unknown capability counts as the middle
    expect(score(100, 1, 1)).toBe(score(100, 0, 1) - 64); // a queued package
    expect(score(100, 0, 3)).toBe(score(100, 0, 1) - 32); // two hops more
    expect(score(100, 0, 1, 254)).toBe(score(100, 0, 1)); // full battery: no penalty
    expect(score(100, 0, 1, 0)).toBe(score(100, 0, 1) - 508); // empty battery
    expect(score(0, 255, 255, 0)).toBeLessThan(0); // signed
    // A much more capable node two hops away beats a near one; a busy one loses to an idle one.
    expect(score(250, 0, 2)).toBeGreaterThan(score(50, 0, 1));
    expect(score(100, 2, 1)).toBeLessThan(score(100, 0, 2));
    const better = (sa: number, ia: number, sb: number, ib: number) => pure.exports.orch_better(sa, ia, sb, ib);
    expect(better(10, 5, 9, 2)).toBe(1);
    expect(better(9, 2, 10, 5)).toBe(0);
    expect(better(10, 2, 10, 5)).toBe(1); // tie: lower id
    expect(better(10, 5, 10, 2)).toBe(0);
    expect(better(-5, 9, -6, 1)).toBe(1);
    // Hops from the route metric (16 per lossless hop); unknown = 16 hops.
    expect([0, 16, 23, 24, 48, 0xfffe, 0xffff].map((m) => pure.exports.orch_hops_of(m))).toEqual([1, 1, 1, 2, 3, 255, 16]);
    expect(pure.exports.orch_collect_window(200)).toBe(100);
    // Offers like first-accept; never takes an offer on arrival (it collects them).
    expect(pure.exports.orch_should_accept(1, 0b10, 2, 0, 0, 1, 2)).toBe(1);
    expect(pure.exports.orch_should_accept(1, 0b10, 2, 1, 0, 1, 2)).toBe(0);
    expect(pure.exports.orch_take_offer(1, 1)).toBe(0);
  });

  it('remembers the last (package, step) pairs', () => {
    pure.exports.orch_seen_reset(2);
    pure.exports.orch_seen_add(0x10001, 1);
    pure.exports.orch_seen_add(0x10001, 2);
    expect(pure.exports.orch_seen_has(0x10001, 1)).toBe(1);
    expect(pure.exports.orch_seen_has(0x10001, 3)).toBe(0);
    pure.exports.orch_seen_add(0x10002, 1);
    expect(pure.exports.orch_seen_has(0x10001, 1)).toBe(0);
    expect(pure.exports.orch_seen_has(0x10002, 1)).toBe(1);
  });
});

// The paper's cluster: node 1 has the sensor and the gateway and no step; step 1 on nodes 2
// and 5, node 5 also runs steps 2 and 3, step 3 also on node 3, step 4 only on node 4.
const STEPS: Record<number, number> = { 1: 0, 2: 0b0001, 3: 0b0100, 4: 0b1000, 5: 0b0111 };

function scenario(loss: number, seed: number, extra = '', perNode: Record<number, string> = {}): string {
  const nodes = Object.entries(STEPS)
    .map(([id, mask]) => `{id: ${id}, config: {orch_steps: ${mask}${perNode[Number(id)] ?? ''}}}`)
    .join(', ');
  return `
name: orch-cluster
seed: ${seed}
duration: 120s
defaults:
  board: esp32
  config: {hello_interval_ms: 500, neighbour_timeout_ms: 2000, orch_enable: 1, orch_packages: 4, orch_payload_bytes: 512, orch_step_cost: 200000, send_buffers: 2${extra}}
medium:
  kind: links
  loss: ${loss}
  links: [{a: 1, b: 2}, {a: 2, b: 3}, {a: 3, b: 4}, {a: 1, b: 5}, {a: 1, b: 3}, {a: 2, b: 5}]
nodes: [${nodes}]
`;
}

/** ORCH submit: target, backups, first and last step, payload. */
function submitRecord(target: number, first: number, last: number, payload: Uint8Array, b1 = 0, b2 = 0): Uint8Array {
  return orchSubmitRecord(target, [b1, b2], first, last, payload);
}

function run(loss: number, seed: number, packages: number, gapUs: number, extra = '', perNode: Record<number, string> = {}) {
  const sc = parseScenario('orch.yaml', scenario(loss, seed, extra, perNode), { boards });
  const ios = new Map<number, MemoryIO>();
  for (const id of Object.keys(STEPS)) ios.set(Number(id), new MemoryIO());
  const sim = new Simulation({ ...resolveScenario(sc, { boards, program, seed }), io: (id) => ios.get(id)! });
  sim.runUntil(8 * S);
  const counters: number[] = [];
  const payloads: Uint8Array[] = [];
  for (let k = 0; k < packages; k++) {
    const payload = new Uint8Array(40 + k * 60).map((_, i) => (i * 7 + k * 31) & 0xff);
    payloads.push(payload);
    // The sensor keeps a sample until the node has room for it.
    let n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, payload)) as number;
    while (n === -7) {
      sim.runUntil(sim.now + S / 10);
      n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, payload)) as number;
    }
    counters.push(n);
    sim.runUntil(sim.now + gapUs);
  }
  sim.run();
  const results = ios.get(1)!.recordsOf(EmitKind.OrchResult).map((r) => decodePackageBody(r.bytes)!);
  const failed = [...ios.values()].flatMap((io) => io.recordsOf(EmitKind.OrchFailed).map((r) => decodeOrchFailed(r.bytes)!));
  const c = (id: number, name: string) => sim.node(id).counters()[name] ?? 0;
  return { sim, counters, payloads, results, failed, c };
}

describe('packages through the steps of a five-node mesh', () => {
  it('every package runs steps 1..4 through auctions and reaches its target exactly once', () => {
    const { sim, counters, payloads, results, failed, c } = run(0, 1, 6, 1 * S);
    expect(sim.failure).toBeNull();
    expect(counters.every((n) => n > 0)).toBe(true);
    expect(failed).toEqual([]);
    expect(results.map((r) => r.head.counter).sort()).toEqual([...counters].sort());
    for (const r of results) {
      const k = counters.indexOf(r.head.counter);
      expect(r.head.origin).toBe(1);
      expect(r.head.next).toBe(0);
      expect(Buffer.from(r.payload).equals(Buffer.from(payloads[k]))).toBe(true);
    }
    // Four steps per package, run only where loaded; node 1 runs none and auctions step 1.
    const runs = [1, 2, 3, 4, 5].map((id) => c(id, 'orch.step.run'));
    expect(runs.reduce((a, b) => a + b, 0)).toBe(4 * counters.length);
    expect(runs[0]).toBe(0);
    expect(c(4, 'orch.step.run')).toBe(counters.length);
    expect(c(1, 'orch.req.tx')).toBeGreaterThanOrEqual(counters.length);
    expect(c(1, 'orch.result')).toBe(counters.length);
  });

  it('an accept that comes after the package went elsewhere is cancelled and frees its seat', () => {
    const { sim, counters, results, c } = run(0, 2, 6, 1 * S);
    expect(sim.failure).toBeNull();
    expect(results.length).toBe(counters.length);
    // Step 1 is on nodes 2 and 5, both neighbours of node 1: one of them loses each auction.
    const cancels = c(1, 'orch.cancel.tx');
    expect(cancels).toBeGreaterThan(0);
    expect(c(2, 'orch.cancel.rx') + c(5, 'orch.cancel.rx')).toBe(cancels);
    // Cancelled seats are released at once, not by expiry.
    expect(c(2, 'orch.reserve.expired') + c(5, 'orch.reserve.expired')).toBe(0);
  });

  it('under loss, retransmitted packages and lost ACKs never run a step twice or deliver twice', () => {
    let dups = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { sim, counters, results, failed, c } = run(0.15, seed, 6, 2 * S, ', orch_ack_timeout_ms: 400, link_retries: 1');
      expect(sim.failure).toBeNull();
      const got = results.map((r) => r.head.counter);
      expect(new Set(got).size).toBe(got.length); // exactly once
      // Every package ends delivered or reported failed with a reason.
      const ended = new Set([...got, ...failed.filter((f) => f.origin === 1).map((f) => f.counter)]);
      for (const n of counters) expect(ended.has(n)).toBe(true);
      expect(results.length).toBe(counters.length);
      dups += [1, 2, 3, 4, 5].reduce((a, id) => a + c(id, 'orch.pkg.dup'), 0);
    }
    expect(dups).toBeGreaterThan(0);
  });

  it('a step no node has ends the package as failed with a reason', () => {
    const sc = parseScenario('orch.yaml', scenario(0, 1, ', orch_request_retries: 3'), { boards });
    const io = new MemoryIO();
    const sim = new Simulation({ ...resolveScenario(sc, { boards, program, seed: 1 }), io: (id) => (id === 1 ? io : new MemoryIO()) });
    sim.runUntil(8 * S);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 5, 5, new Uint8Array(10))) as number;
    sim.run();
    expect(io.recordsOf(EmitKind.OrchFailed).map((r) => decodeOrchFailed(r.bytes))).toEqual([{ origin: 1, counter: n, step: 5, reason: 1 }]);
    expect(io.recordsOf(EmitKind.OrchResult)).toEqual([]);
  });

  it('refuses the submit kind when orchestration is off, and a malformed record', () => {
    const sc = parseScenario('orch.yaml', scenario(0, 1), { boards });
    const sim = new Simulation({ ...resolveScenario(sc, { boards, program, seed: 1 }), io: () => new MemoryIO() });
    sim.runUntil(1 * S);
    expect(sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 2, 1, new Uint8Array(4)))).toBe(-2);
    expect(sim.node(1).submit(SubmitKind.Orch, submitRecord(0, 1, 1, new Uint8Array(4)))).toBe(-2);
    expect(sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 1, new Uint8Array(513)))).toBe(-6);
  });
});

// Chosen frames dropped deterministically (sim.medium.dropIf): header `type` at byte 1, `src`
// at 4, `dst` at 6, `seq` at 8; orchestration control payloads start at 12 with
// `origin:u16 counter:u16 step:u8`.
const T_ACCEPT = 0x41;
const T_ACK = 0x43;
const T_PACKAGE = 0x44;
const T_FRAG = 0x1e;
const T_RELEASE = 0x45;
const T_PROBE = 0x46;
const T_TAKEN = 0x48;
const u16 = (f: Uint8Array, at: number) => f[at] | (f[at + 1] << 8);
const typeOf = (f: Uint8Array) => f[1];
const srcOf = (f: Uint8Array) => u16(f, 4);
const dstOf = (f: Uint8Array) => u16(f, 6);
const seqOf = (f: Uint8Array) => u16(f, 8);
const ctlStep = (f: Uint8Array) => f[12 + 4];

function cluster(seed: number, extra = '', replace = '') {
  let text = scenario(0, seed, extra);
  if (replace) text = text.replace(', orch_step_cost: 200000', replace);
  const sc = parseScenario('orch.yaml', text, { boards });
  const ios = new Map<number, MemoryIO>();
  for (const id of Object.keys(STEPS)) ios.set(Number(id), new MemoryIO());
  const sim = new Simulation({ ...resolveScenario(sc, { boards, program, seed }), io: (id) => ios.get(id)! });
  sim.runUntil(8 * S);
  const results = (id: number) => ios.get(id)!.recordsOf(EmitKind.OrchResult).map((r) => decodePackageBody(r.bytes)!);
  const failed = () => [...ios.values()].flatMap((io) => io.recordsOf(EmitKind.OrchFailed).map((r) => decodeOrchFailed(r.bytes)!));
  const c = (id: number, name: string) => sim.node(id).counters()[name] ?? 0;
  const steps = () => [1, 2, 3, 4, 5].reduce((a, id) => a + c(id, 'orch.step.run'), 0);
  return { sim, ios, results, failed, c, steps };
}

/** Switches `id` off when the first frame of the result (from node 4 to target 1) leaves. */
function targetOffDuringResult(sim: Simulation, id: number, forUs: number | null): { offAt: number } {
  const at = { offAt: -1 };
  sim.medium.dropIf((f) => {
    if (at.offAt < 0 && (typeOf(f) === T_PACKAGE || typeOf(f) === T_FRAG) && srcOf(f) === 4 && dstOf(f) === 1) {
      at.offAt = sim.now;
      sim.engine.after(0, () => sim.node(id).powerOff());
      if (forUs !== null) sim.engine.after(forUs, () => sim.node(id).powerOn());
    }
    return false;
  });
  return at;
}

describe('weighted bidding', () => {
  // Step 1 is on nodes 2 and 5, both neighbours of node 1; node 2 answers first. Node 5
  // reports a much higher capability. Node 2 runs only step 1, node 5 steps 1..3.
  const capable = { 2: ', orch_capability: 40', 5: ', orch_capability: 250' };

  it('first-accept gives step 1 to node 2; weighted to the better-scored node 5; each package delivered once', () => {
    for (const seed of [1, 2]) {
      const first = run(0, seed, 6, 1 * S, '', capable);
      const weighted = run(0, seed, 6, 1 * S, ', orch_bidding: 1', capable);
      for (const r of [first, weighted]) {
        expect(r.sim.failure).toBeNull();
        expect(r.failed).toEqual([]);
        expect(r.results.map((x) => x.head.counter).sort()).toEqual([...r.counters].sort());
        expect(r.c(1, 'orch.result')).toBe(r.counters.length);
        // The losing offer is cancelled and its seat freed.
        expect(r.c(2, 'orch.reserve.expired') + r.c(5, 'orch.reserve.expired')).toBe(0);
      }
      const n = first.counters.length;
      expect(first.c(2, 'orch.step.run')).toBe(n);
      expect(first.c(5, 'orch.step.run')).toBe(2 * n);
      expect(weighted.c(2, 'orch.step.run')).toBe(0);
      expect(weighted.c(5, 'orch.step.run')).toBe(3 * n);
      expect(weighted.c(2, 'orch.cancel.rx')).toBe(n);
    }
  });

  it('with no capability reported the scores tie and the lower node id wins', () => {
    const { results, counters, c } = run(0, 1, 4, 1 * S, ', orch_bidding: 1');
    expect(results.length).toBe(counters.length);
    expect(c(2, 'orch.step.run')).toBe(counters.length);
  });
});

describe('failures chosen frame by frame', () => {
  it('an accept that arrives after the package went to the other bidder is cancelled', () => {
    const { sim, results, failed, c } = cluster(1);
    // Hold node 2's offers back until node 5's has reached node 1: two accepts race, 5 wins.
    let fiveOffered = false;
    sim.medium.dropIf((f, from, to) => {
      if (typeOf(f) !== T_ACCEPT || to !== 1) return false;
      if (from === 5) fiveOffered = true;
      return from === 2 && !fiveOffered;
    });
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    expect(n).toBeGreaterThan(0);
    sim.run();
    expect(sim.failure).toBeNull();
    expect(sim.medium.stats.dropped.filter).toBeGreaterThan(0);
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    // Node 5 ran step 1 (and 2, 3); node 2's late offer was cancelled, its seat freed at once.
    expect(c(2, 'orch.accept.tx')).toBeGreaterThan(0);
    expect(c(2, 'orch.step.run')).toBe(0);
    expect(c(5, 'orch.step.run')).toBe(3);
    expect(c(1, 'orch.cancel.tx')).toBe(1);
    expect(c(2, 'orch.cancel.rx')).toBe(1);
    expect(c(2, 'orch.reserve.expired')).toBe(0);
  });

  it('a lost ACK: the package is sent again, acknowledged again, not run twice, delivered once', () => {
    const { sim, results, failed, c, steps } = cluster(1);
    // Drop every copy (hop retries included) of the first ACK for a step, not for a result.
    let lost: { src: number; seq: number } | null = null;
    sim.medium.dropIf((f) => {
      if (typeOf(f) !== T_ACK || ctlStep(f) === 0) return false;
      lost ??= { src: srcOf(f), seq: seqOf(f) };
      return srcOf(f) === lost.src && seqOf(f) === lost.seq;
    });
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(lost).not.toBeNull();
    expect(sim.medium.stats.dropped.filter).toBeGreaterThan(0);
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    expect(steps()).toBe(4);
    expect(c(lost!.src, 'orch.pkg.dup')).toBeGreaterThanOrEqual(1);
    expect([1, 2, 3, 4, 5].reduce((a, id) => a + c(id, 'orch.dispatch.retx'), 0)).toBeGreaterThanOrEqual(1);
  });


  it('target down then back: without a backup the result arrives once it is back, within the retry budget', () => {
    // Budget: 1 + 3 sends, 2 s apart; the target is off 3 s (and needs a moment to find routes).
    const { sim, ios, results, failed, c } = cluster(1, ', orch_ack_timeout_ms: 2000');
    const off = targetOffDuringResult(sim, 1, 3 * S);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(off.offAt).toBeGreaterThan(0);
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    expect(c(4, 'orch.dispatch.retx')).toBeGreaterThanOrEqual(1);
    // Emitted after the target came back.
    expect(ios.get(1)!.recordsOf(EmitKind.OrchResult)[0].atUs).toBeGreaterThanOrEqual(off.offAt + 3 * S);
  });

  it('target down for good: the result goes to its backup target', () => {
    const { sim, results, failed } = cluster(1);
    targetOffDuringResult(sim, 1, null);
    sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40), 3));
    sim.run();
    expect(sim.failure).toBeNull();
    expect(results(1)).toEqual([]);
    const got = results(3);
    expect(got.length).toBe(1);
    expect(got[0].head.origin).toBe(1);
    expect(failed()).toEqual([]);
  });

  it('target down for good and no backup: the holder reports the result failed (reason 2)', () => {
    const { sim, results, failed } = cluster(1);
    targetOffDuringResult(sim, 1, null);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(results(1)).toEqual([]);
    expect(failed()).toEqual([{ origin: 1, counter: n, step: 0, reason: 2 }]);
  });

  it('a node that dies before its ACK gets out: the package is auctioned again and delivered by the other path', () => {
    const { sim, results, failed, c } = cluster(1);
    // The first step-1 ACK is lost and its sender dies at once: node 1 still holds the package.
    let dead = 0;
    sim.medium.dropIf((f, from) => {
      if (dead === 0 && typeOf(f) === T_ACK && ctlStep(f) === 1) {
        dead = from;
        sim.engine.after(0, () => sim.node(dead).powerOff());
      }
      return dead !== 0 && from === dead;
    });
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect([2, 5]).toContain(dead);
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    expect(c(1, 'orch.dispatch.retx')).toBeGreaterThanOrEqual(1);
  });

  it('a node that dies right after ACKing a package: its sender keeps custody, probes, and auctions the step again', () => {
    const { sim, results, failed, c, steps } = cluster(1, ', orch_custody_ms: 1500');
    let dead = 0;
    sim.medium.dropIf((f, from) => {
      if (dead === 0 && typeOf(f) === T_ACK && ctlStep(f) === 1) {
        dead = from;
        sim.engine.after(1, () => sim.node(dead).powerOff());
      }
      return false;
    });
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect([2, 5]).toContain(dead);
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    // Node 1 kept its copy; its probes (sent while a route to the dead node lasted) went
    // unanswered, and the other step-1 node took over.
    expect(c(1, 'orch.probe.tx')).toBeLessThanOrEqual(4);
    expect(c(1, 'orch.custody.lost')).toBe(1);
    expect(c(dead, 'orch.step.run')).toBe(0);
    expect(steps()).toBe(4);
  });
});

describe('custody', () => {
  it('each handoff releases the previous holder: no probes, no copies lost, one RELEASE per handoff after the first', () => {
    const { sim, counters, results, failed, c } = run(0, 3, 6, 1 * S);
    expect(sim.failure).toBeNull();
    expect(failed).toEqual([]);
    expect(results.length).toBe(counters.length);
    const all = (name: string) => [1, 2, 3, 4, 5].reduce((a, id) => a + c(id, name), 0);
    expect(all('orch.probe.tx')).toBe(0);
    expect(all('orch.custody.lost')).toBe(0);
    // Node 1 is every package's first sender: every package released it once.
    expect(c(1, 'orch.release.rx')).toBe(counters.length);
    expect(all('orch.release.rx')).toBe(all('orch.release.tx'));
  });

  it('a lost RELEASE: the probe is answered with RELEASE again, and nothing runs twice', () => {
    const { sim, results, failed, c, steps } = cluster(1, ', orch_custody_ms: 800');
    let lost = false;
    sim.medium.dropIf((f) => {
      if (typeOf(f) !== T_RELEASE || dstOf(f) !== 1) return false;
      if (!lost) lost = true;
      return c(1, 'orch.probe.tx') === 0; // every copy until node 1 probes
    });
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(lost).toBe(true);
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    expect(c(1, 'orch.probe.tx')).toBeGreaterThanOrEqual(1);
    expect(c(1, 'orch.custody.lost')).toBe(0);
    expect(steps()).toBe(4);
  });

  it('a holder busy with a long step answers probes with ACK and keeps the package', () => {
    // Steps take 2 s on an ESP32 (3.45 M units x 580 ns); custody probes after 300 ms.
    const { sim, results, failed, c, steps } = cluster(1, ', orch_custody_ms: 300', ', orch_step_cost: 3450000');
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    const all = (name: string) => [1, 2, 3, 4, 5].reduce((a, id) => a + c(id, name), 0);
    expect(all('orch.probe.tx')).toBeGreaterThan(3);
    expect(all('orch.custody.lost')).toBe(0);
    expect(steps()).toBe(4);
  });

  it('a custodian that gives up on a live holder: the repeat hears TAKEN where the original went, and is dropped', () => {
    // Steps of 2 s; custody probes after 300 ms, 200 ms apart, and every PROBE lost: node 1
    // takes the package back (after 1.1 s) while node 2 or 5 still works on it, and auctions
    // step 1 again. Both copies run on; the second to ask for a step the first already got is
    // told TAKEN and dropped.
    const { sim, results, failed, c } = cluster(1, ', orch_custody_ms: 300, orch_ack_timeout_ms: 200, orch_request_retries: 0', ', orch_step_cost: 3450000');
    sim.medium.dropIf((f) => typeOf(f) === T_PROBE);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    const all = (name: string) => [1, 2, 3, 4, 5].reduce((a, id) => a + c(id, name), 0);
    expect(c(1, 'orch.custody.lost')).toBeGreaterThanOrEqual(1);
    expect(all('orch.taken.tx')).toBeGreaterThanOrEqual(1);
    expect(all('orch.taken.rx')).toBeGreaterThanOrEqual(1);
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    // Nothing is left asking: the run ends with no auction under way.
    expect(all('orch.req.tx')).toBeLessThan(200);
  });

  it('with custody off (orch_custody_ms 0) the ACK ends the sender\'s part: no RELEASE, no probe', () => {
    const { sim, counters, results, c } = run(0, 1, 3, 1 * S, ', orch_custody_ms: 0');
    expect(sim.failure).toBeNull();
    expect(results.length).toBe(counters.length);
    expect([1, 2, 3, 4, 5].reduce((a, id) => a + c(id, 'orch.release.tx') + c(id, 'orch.probe.tx'), 0)).toBe(0);
  });
});

describe('repairs found in review', () => {
  it('TAKEN counts as the ACK: the asker keeps custody, so the holder dying afterwards loses nothing', () => {
    // Every step-1 ACK from the first taker is lost: node 1 gives up on its tries, auctions
    // again, and hears TAKEN from that taker, which then dies.
    const { sim, results, failed, c } = cluster(1, ', orch_ack_timeout_ms: 200, orch_custody_ms: 500', ', orch_step_cost: 3450000');
    let taker = 0;
    let takerOff = false;
    sim.medium.dropIf((f, from) => {
      if (typeOf(f) === T_ACK && ctlStep(f) === 1 && (taker === 0 || from === taker)) {
        taker = from;
        return true;
      }
      // The other step-1 node's offers are lost too, so the asker hears only the taker.
      if (typeOf(f) === T_ACCEPT && taker !== 0 && from !== taker && !takerOff) return true;
      if (typeOf(f) === T_TAKEN && from === taker && !takerOff) {
        takerOff = true;
        sim.engine.after(1, () => sim.node(taker).powerOff());
      }
      return false;
    });
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(c(1, 'orch.taken.rx')).toBeGreaterThanOrEqual(1);
    expect(c(1, 'orch.custody.lost')).toBeGreaterThanOrEqual(1);
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
  });

  it('an offer is matched to the package being auctioned, not to a kept copy of it (lost RELEASE)', () => {
    // Node 2 runs steps 1 and 3, node 3 step 2, node 4 step 4: node 2 keeps a copy of the
    // package it sent for step 2 while it auctions the same package's step 4.
    const text = `
name: kept-copy
seed: 1
duration: 60s
defaults:
  board: esp32
  config: {hello_interval_ms: 500, neighbour_timeout_ms: 2000, orch_enable: 1, orch_packages: 4, orch_step_cost: 200000, orch_request_retries: 5}
medium: {kind: links, links: [{a: 1, b: 2}, {a: 2, b: 3}, {a: 3, b: 4}, {a: 1, b: 3}]}
nodes: [{id: 1, config: {orch_steps: 0}}, {id: 2, config: {orch_steps: 5}}, {id: 3, config: {orch_steps: 2}}, {id: 4, config: {orch_steps: 8}}]
`;
    const sc = parseScenario('kept.yaml', text, { boards });
    const ios = new Map([1, 2, 3, 4].map((id) => [id, new MemoryIO()]));
    const sim = new Simulation({ ...resolveScenario(sc, { boards, program, seed: 1 }), io: (id) => ios.get(id)! });
    sim.runUntil(8 * S);
    // Every copy of node 3's first RELEASE to node 2 is lost (node 2's probe repairs it 5 s later).
    let lost = -1;
    sim.medium.dropIf((f, from, to) => {
      if (typeOf(f) !== T_RELEASE || from !== 3 || to !== 2) return false;
      if (lost < 0) lost = seqOf(f);
      return seqOf(f) === lost;
    });
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(sim.medium.stats.dropped.filter).toBeGreaterThan(0);
    expect(ios.get(1)!.recordsOf(EmitKind.OrchResult).map((r) => decodePackageBody(r.bytes)!.head.counter)).toEqual([n]);
    expect([...ios.values()].flatMap((io) => io.recordsOf(EmitKind.OrchFailed).map((r) => decodeOrchFailed(r.bytes)))).toEqual([]);
    expect(sim.node(2).counters()['orch.cancel.tx'] ?? 0).toBe(0);
  });

  it('a backup target that is the node holding the result takes it there', () => {
    const { sim, results, failed } = cluster(1);
    targetOffDuringResult(sim, 1, null);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40), 4)) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(results(4).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
  });

  it('a deadline passing while an ACK is outstanding ends the package once, not as both result and failure', () => {
    const { sim, results, failed } = cluster(1, ', orch_deadline_ms: 1500, orch_ack_timeout_ms: 300');
    sim.medium.dropIf((f) => typeOf(f) === T_ACK && ctlStep(f) === 1);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    const ended = [...results(1).map((r) => r.head.counter), ...failed().map((f) => f.counter)];
    expect(ended).toEqual([n]);
  });
});

describe('deadlines', () => {
  it('a package whose step nobody answers fails as expired at its deadline, before the request rounds run out', () => {
    const { sim, ios, failed } = cluster(1, ', orch_deadline_ms: 1500');
    sim.node(4).powerOff(); // step 4 is nowhere now
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(failed()).toEqual([{ origin: 1, counter: n, step: 4, reason: 3 }]);
    expect(ios.get(1)!.recordsOf(EmitKind.OrchResult)).toEqual([]);
  });

  it('results carry the age they were held, and the deadline travels with the package', () => {
    const { sim, results } = cluster(1, ', orch_deadline_ms: 60000');
    sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40)));
    sim.run();
    const [r] = results(1);
    expect(r.head.deadlineMs).toBe(60000);
    // Four steps of 200,000 units at 580 ns are 464 ms of holding at least.
    expect(r.head.ageMs).toBeGreaterThanOrEqual(464);
    expect(r.head.ageMs).toBeLessThan(5000);
  });

  it('with a deadline an unreachable target is tried again until the deadline, then reported (reason 2)', () => {
    const { sim, failed, c } = cluster(1, ', orch_deadline_ms: 20000, orch_ack_timeout_ms: 500, orch_dispatch_retries: 1, frag_deadline_ms: 2000');
    // Target 1 goes away for good while the result leaves node 4; backup 3 also goes away.
    const at = { off: false };
    sim.medium.dropIf((f) => {
      if (!at.off && (typeOf(f) === T_PACKAGE || typeOf(f) === T_FRAG) && srcOf(f) === 4 && dstOf(f) === 1) {
        at.off = true;
        sim.engine.after(0, () => sim.node(1).powerOff());
      }
      return false;
    });
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(at.off).toBe(true);
    // A send ends when the delivery layer gives up (frag_deadline_ms, 2 s here) or finds no
    // route; without a deadline node 4 would stop after two sends, here it keeps going until
    // 20 s of age.
    expect(c(4, 'orch.dispatch.retx')).toBeGreaterThanOrEqual(4);
    expect(failed()).toEqual([{ origin: 1, counter: n, step: 0, reason: 2 }]);
  });
});

describe('steps changed at runtime', () => {
  const mask = (m: number) => new Uint8Array(new Uint32Array([m]).buffer);

  it('a step reassigned with ORCH_STEPS is then served by its new holder', () => {
    const { sim, results, failed, c } = cluster(1);
    // Step 4 leaves node 4 and goes to node 3 (which keeps step 3).
    expect(sim.node(4).submit(SubmitKind.OrchSteps, mask(0))).toBe(0);
    expect(sim.node(3).submit(SubmitKind.OrchSteps, mask(0b1100))).toBe(0);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(sim.failure).toBeNull();
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    expect(c(4, 'orch.step.run')).toBe(0);
    expect(c(4, 'orch.accept.tx')).toBe(0);
    expect(c(3, 'orch.step.run')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a malformed mask, and the kind when orchestration is off', () => {
    const { sim } = cluster(1);
    expect(sim.node(2).submit(SubmitKind.OrchSteps, new Uint8Array(3))).toBe(-2);
    expect(sim.node(2).submit(SubmitKind.OrchSteps, mask(0x80000000))).toBe(-2);
    const sc = parseScenario('orch.yaml', scenario(0, 1).replace('orch_enable: 1', 'orch_enable: 0'), { boards });
    const off = new Simulation({ ...resolveScenario(sc, { boards, program, seed: 1 }), io: () => new MemoryIO() });
    off.runUntil(1 * S);
    expect(off.node(2).submit(SubmitKind.OrchSteps, mask(1))).toBe(-12);
  });

  it('a STEPS trigger message from node 1 moves step 4 from node 4 to node 3', () => {
    const { sim, ios, results, failed, c } = cluster(1);
    const trigger = (node: number, m: number) => {
      const r = new Uint8Array(6);
      new DataView(r.buffer).setUint16(0, node, true);
      new DataView(r.buffer).setUint32(2, m, true);
      return r;
    };
    expect(sim.node(1).submit(SubmitKind.OrchTrigger, trigger(4, 0))).toBe(0);
    expect(sim.node(1).submit(SubmitKind.OrchTrigger, trigger(3, 0b1100))).toBe(0);
    expect(sim.node(1).submit(SubmitKind.OrchTrigger, trigger(0, 1))).toBe(-2);
    expect(sim.node(1).submit(SubmitKind.OrchTrigger, trigger(3, 0x80000000))).toBe(-2);
    sim.runUntil(sim.now + S);
    const stepsOf = (id: number) => ios.get(id)!.recordsOf(EmitKind.OrchSteps).map((r) => decodeOrchStepsRecord(r.bytes));
    expect(stepsOf(4)).toEqual([{ mask: 0, by: 1, cause: 1 }]);
    expect(stepsOf(3)).toEqual([{ mask: 0b1100, by: 1, cause: 1 }]);
    expect(c(1, 'orch.trigger.tx')).toBe(2);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    expect(results(1).map((r) => r.head.counter)).toEqual([n]);
    expect(failed()).toEqual([]);
    expect(c(4, 'orch.step.run')).toBe(0);
    expect(c(3, 'orch.step.run')).toBeGreaterThanOrEqual(1);
  });
});

describe('assuming a step after unanswered requests (orch_assume)', () => {
  // Step 4 is nowhere (node 4 has none); node 3 could load it.
  function assumeRun(assume: number) {
    const perNode = { 3: ', orch_can_steps: 8, orch_assume_rounds: 3', 4: '' };
    const steps = { ...STEPS, 4: 0 };
    const text = scenario(0, 1, `, orch_request_retries: 8, orch_assume: ${assume}`, perNode).replace('{id: 4, config: {orch_steps: 8', '{id: 4, config: {orch_steps: 0');
    const sc = parseScenario('orch.yaml', text, { boards });
    const ios = new Map<number, MemoryIO>();
    for (const id of Object.keys(steps)) ios.set(Number(id), new MemoryIO());
    const sim = new Simulation({ ...resolveScenario(sc, { boards, program, seed: 1 }), io: (id) => ios.get(id)! });
    sim.runUntil(8 * S);
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    const failed = [...ios.values()].flatMap((io) => io.recordsOf(EmitKind.OrchFailed).map((r) => decodeOrchFailed(r.bytes)!));
    const results = ios.get(1)!.recordsOf(EmitKind.OrchResult).map((r) => decodePackageBody(r.bytes)!.head.counter);
    const assumed = ios.get(3)!.recordsOf(EmitKind.OrchSteps).map((r) => decodeOrchStepsRecord(r.bytes));
    return { sim, n, failed, results, assumed, c: (id: number, k: string) => sim.node(id).counters()[k] ?? 0 };
  }

  it('off: the package fails for want of step 4', () => {
    const r = assumeRun(0);
    expect(r.failed).toEqual([{ origin: 1, counter: r.n, step: 4, reason: 1 }]);
    expect(r.assumed).toEqual([]);
  });

  it('on: node 3 takes step 4 on after three unanswered rounds and the package is delivered', () => {
    const r = assumeRun(1);
    expect(r.sim.failure).toBeNull();
    expect(r.results).toEqual([r.n]);
    expect(r.failed).toEqual([]);
    expect(r.assumed).toEqual([{ mask: 0b1100, by: 3, cause: 2 }]);
    expect(r.c(3, 'orch.assumed')).toBe(1);
    expect(r.c(3, 'orch.step.run')).toBeGreaterThanOrEqual(1);
  });
});

describe('trace records (orch_trace)', () => {
  it('trace each step and handoff; a package sent from a tick leaves in that tick', () => {
    const { sim, ios } = cluster(1, ', orch_trace: 1');
    const n = sim.node(1).submit(SubmitKind.Orch, submitRecord(1, 1, 4, new Uint8Array(40))) as number;
    sim.run();
    const events = [...ios.entries()].flatMap(([id, io]) =>
      io.recordsOf(EmitKind.OrchTrace).map((r) => ({ id, at: r.atUs, ...decodeOrchTrace(r.bytes)! })),
    );
    expect(events.every((e) => e.origin === 1 && e.counter === n)).toBe(true);
    // Each of the four steps starts and ends once; one handoff per node on the path.
    for (const step of [1, 2, 3, 4]) {
      expect(events.filter((e) => e.step === step && e.event === 1).length).toBe(1);
      expect(events.filter((e) => e.step === step && e.event === 2).length).toBe(1);
    }
    const sent = events.filter((e) => e.event === 3);
    const taken = events.filter((e) => e.event === 4);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(taken.length).toBe(sent.length);
    for (const s of sent) {
      const t = taken.find((x) => x.step === s.step && x.id === s.peer)!;
      expect(t.peer).toBe(s.id);
      // A 60-byte package over at most two lossless hops: milliseconds, not the next wake-up.
      expect(t.at - s.at).toBeLessThan(30_000);
    }
  });
});
