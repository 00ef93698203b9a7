// Orchestration running real model steps (docs/orchestration.md, "Real model steps"):
// person_detect split by the planner into 4 steps over ESP32 nodes, work packages carrying the
// 96x96 int8 image and then the activations through the paper's five-node cluster, each result
// at node 1 compared bit for bit with whole-model inference.
//
// Layout (test/orchestration.test.ts `scenario()`): links 1-2, 2-3, 3-4, 1-5, 1-3, 2-5; node 1
// is the sensor and the target and holds no step. The paper places step 1 on nodes 2 and 5,
// steps 2-3 also on node 5, step 3 also on node 3 and step 4 on node 4. A node holds one layer
// range, so adjacent steps on one node are one range computed in one run, and a node takes a
// package only for the first step of its range (its input is that step's input):
//
//   node 2: step 1           (planner step 1's layers)
//   node 5: steps 1..3       (one range: planner steps 1, 2 and 3)
//   node 3: steps 2..3       (one range: step 3 alone would take an input nobody produces alone)
//   node 4: step 4
//
// so a package goes 1 -> 2 -> 3 -> 4 -> 1 or 1 -> 5 -> 4 -> 1, whichever node wins step 1.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/build/asc.ts';
import { loadBoards } from '../host-sim/boards.ts';
import { MemoryIO } from '../host-sim/io.ts';
import { loadProgram, type Program } from '../host-sim/program.ts';
import { parseScenario } from '../host-sim/scenario/validate.ts';
import { resolveScenario } from '../host-sim/scenario/resolve.ts';
import { Simulation } from '../host-sim/simulation.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';
import { EmitKind, InitError, SubmitError, SubmitKind } from '../tools/wire/abi.ts';
import { decodeOrchFailed, decodePackageBody, PKG_HEAD } from '../tools/wire/orch.ts';
import { importTfliteBytes } from '../tools/model/import.ts';
import { decodeModel, encodeModel, tensorBytes, type MycoModel } from '../tools/model/format.ts';
import { runModel, runnerModule } from '../tools/model/run.ts';
import { readGrayBmp } from '../tools/model/bmp.ts';
import { planSplit, stepConfig, stepMemory, type PlannedStep, type SplitPlan } from '../tools/model/split.ts';

const MODELS = join(ROOT, '..', 'shared', 'models');
const file = (name: string) => new Uint8Array(readFileSync(join(MODELS, name)));
const boards = loadBoards();
const ESP32 = boards.get('esp32')!;
const S = 1_000_000;
const MODEL_BLOB = 1;
const IMAGES = ['person.bmp', 'no_person.bmp'];
/** Node 1 holds image k in blob 10 + k. */
const IMAGE_BLOB = 10;
const LINKS = '[{a: 1, b: 2}, {a: 2, b: 3}, {a: 3, b: 4}, {a: 1, b: 5}, {a: 1, b: 3}, {a: 2, b: 5}]';

let model: MycoModel;
let bytes: Uint8Array;
let program: Program;
const images: Uint8Array[] = [];
/** Whole-model inference of each image: every layer's output. */
const whole: Int8Array[][] = [];

beforeAll(async () => {
  model = decodeModel(encodeModel(importTfliteBytes(file('person_detect.tflite'), 'person_detect.tflite')));
  bytes = encodeModel(model);
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
  await runnerModule();
  for (const name of IMAGES) {
    const img = new Int8Array(readGrayBmp(file(name), name).pixels.buffer);
    images.push(new Uint8Array(img.buffer.slice(0)));
    whole.push((await runModel(model, img, { keepLayers: true })).layers!.map((l) => l.output));
  }
}, 120_000);

/** The largest payload a package carries: the image (larger than every activation crossing the cuts below). */
const payloadBytes = () => tensorBytes(model.tensors[model.input]);

/** Orchestration and delivery buffers sized for that payload: a package is one delivery message. */
function buffers(payload: number): Record<string, number> {
  return {
    hello_interval_ms: 500, neighbour_timeout_ms: 2000,
    orch_enable: 1, orch_packages: 3, orch_payload_bytes: payload,
    frag_buffer_bytes: PKG_HEAD + payload, frag_buffers: 2, send_buffers: 2,
  };
}

const yamlMap = (m: Record<string, number>) => `{${Object.entries(m).map(([k, v]) => `${k}: ${v}`).join(', ')}}`;

/** The heap top of a node with these buffers and no model step: the planner's node heap top. */
function orchHeapTop(defaults: Record<string, number>): number {
  const sc = parseScenario('probe.yaml', `
name: probe
seed: 1
duration: 1s
defaults: {board: esp32, config: ${yamlMap(defaults)}}
medium: {kind: links, links: [{a: 1, b: 2}]}
nodes: [{id: 1}, {id: 2}]
`, { boards });
  const sim = new Simulation({ ...resolveScenario(sc, { boards, program }), io: () => new MemoryIO() });
  sim.runUntil(S / 10);
  expect(sim.failure).toBeNull();
  return sim.node(1).heapTop;
}

/** Step k of the plan merged with the steps up to `toK` into one layer range. */
const range = (plan: SplitPlan, k: number, toK = k): PlannedStep => ({ ...plan.steps[k], last: plan.steps[toK].last });

interface Cluster {
  plan: SplitPlan;
  /** Per node: orch steps (mask) and the layer range it holds (none for node 1). */
  placement: Map<number, { mask: number; step: PlannedStep | null }>;
  defaults: Record<string, number>;
}

function cluster(): Cluster {
  const defaults = buffers(payloadBytes());
  const nodeHeapTop = orchHeapTop(defaults);
  const plan = planSplit(model, [ESP32, ESP32, ESP32, ESP32], { nodeHeapTop });
  const placement = new Map<number, { mask: number; step: PlannedStep | null }>([
    [1, { mask: 0, step: null }],
    [2, { mask: 0b0001, step: range(plan, 0) }],
    [5, { mask: 0b0111, step: range(plan, 0, 2) }],
    [3, { mask: 0b0110, step: range(plan, 1, 2) }],
    [4, { mask: 0b1000, step: range(plan, 3) }],
  ]);
  return { plan, placement, defaults };
}

function simulate(c: Cluster, loss: number, seed: number) {
  const nodes = [...c.placement.entries()].map(([id, { mask, step }]) =>
    `{id: ${id}, config: ${yamlMap({ orch_steps: mask, ...(step ? stepConfig(step, MODEL_BLOB) : {}) })}}`);
  const sc = parseScenario('orch-pd.yaml', `
name: orch-person-detect
seed: ${seed}
duration: 90s
defaults: {board: esp32, config: ${yamlMap(c.defaults)}}
medium: {kind: links, loss: ${loss}, links: ${LINKS}}
nodes: [${nodes.join(', ')}]
`, { boards });
  const ios = new Map<number, MemoryIO>();
  for (const [id, { step }] of c.placement) ios.set(id, step ? new MemoryIO().putBlob(MODEL_BLOB, bytes) : new MemoryIO());
  images.forEach((img, k) => ios.get(1)!.putBlob(IMAGE_BLOB + k, img));
  const sim = new Simulation({ ...resolveScenario(sc, { boards, program, seed }), io: (id) => ios.get(id)! });
  const counter = (id: number, name: string) => sim.node(id).counters()[name] ?? 0;
  const failed = () => [...ios.values()].flatMap((io) => io.recordsOf(EmitKind.OrchFailed).map((r) => decodeOrchFailed(r.bytes)!));
  return { sim, ios, counter, failed };
}

/** ORCH_BLOB record: target, no backups, steps first..last, the payload in blob `blob` (`len` bytes). */
function blobRecord(target: number, first: number, last: number, blob: number, len: number): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint16(0, target, true);
  out[6] = first;
  out[7] = last;
  v.setUint32(8, blob, true);
  v.setUint32(12, len, true);
  return out;
}

interface Sent {
  counter: number;
  image: number;
  atUs: number;
}

/** Node 1 submits `n` packages (images alternating) `gapUs` apart, keeping a sample while its pool is full. */
function submitImages(sim: Simulation, n: number, gapUs: number, last = 4): Sent[] {
  const sent: Sent[] = [];
  for (let k = 0; k < n; k++) {
    const image = k % images.length;
    const rec = blobRecord(1, 1, last, IMAGE_BLOB + image, images[image].length);
    let r = sim.node(1).submit(SubmitKind.OrchBlob, rec) as number;
    while (r === SubmitError.Busy) {
      sim.runUntil(sim.now + S / 10);
      r = sim.node(1).submit(SubmitKind.OrchBlob, rec) as number;
    }
    expect(r).toBeGreaterThan(0);
    sent.push({ counter: r, image, atUs: sim.now });
    sim.runUntil(sim.now + gapUs);
  }
  return sent;
}

/** Results at node 1 by package counter, and each one's latency from its submit. */
function results(io: MemoryIO, sent: Sent[]) {
  return io.recordsOf(EmitKind.OrchResult).map((r) => {
    const body = decodePackageBody(r.bytes)!;
    const s = sent.find((x) => x.counter === body.head.counter);
    return { head: body.head, payload: body.payload, sent: s, latencyUs: s ? r.atUs - s.atUs : NaN };
  });
}

const i8 = (b: Uint8Array) => Array.from(new Int8Array(b.buffer, b.byteOffset, b.length));

describe('person_detect through the orchestrated cluster', () => {
  it('the planned steps and the merged ranges fit the ESP32 budget with the orchestration buffers', () => {
    const c = cluster();
    const nodeHeapTop = orchHeapTop(c.defaults);
    expect(c.plan.cuts.length).toBe(3);
    // Every activation crossing a cut fits the payload (the image is the largest).
    for (const x of c.plan.crossing) expect(x).toBeLessThanOrEqual(payloadBytes());
    for (const { step } of c.placement.values()) {
      if (!step) continue;
      const m = stepMemory(model, step.first, step.last, nodeHeapTop);
      expect(m.total).toBeLessThanOrEqual(ESP32.wasm_memory_budget);
    }
    const { sim } = simulate(c, 0, 1);
    sim.runUntil(2 * S);
    expect(sim.failure).toBeNull();
    for (const [id, { step }] of c.placement) {
      const node = sim.node(id);
      expect(node.state).toBe('on');
      expect(node.heapTop).toBeLessThanOrEqual(ESP32.wasm_memory_budget);
      if (step) expect(node.heapTop).toBeLessThanOrEqual(stepMemory(model, step.first, step.last, nodeHeapTop).total);
    }
  });

  const cases: [string, number, number[]][] = [
    ['without loss', 0, [1]],
    ['with 5 % frame loss', 0.05, [1, 2, 3]],
  ];
  for (const [name, loss, seeds] of cases) {
    it(`${name}: every result equals whole-model inference bit for bit, each delivered once`, () => {
      const c = cluster();
      const stepOne = { 2: 0, 5: 0 };
      for (const seed of seeds) {
        const { sim, ios, counter, failed } = simulate(c, loss, seed);
        sim.runUntil(8 * S);
        const sent = submitImages(sim, 4, 1 * S);
        sim.run();
        expect(sim.failure).toBeNull();
        expect(failed()).toEqual([]);
        const got = results(ios.get(1)!, sent);
        expect(got.map((r) => r.head.counter).sort()).toEqual(sent.map((s) => s.counter).sort());
        for (const r of got) {
          expect(r.head.origin).toBe(1);
          expect(r.head.next).toBe(0);
          expect(i8(r.payload), `seed ${seed} image ${IMAGES[r.sent!.image]}`).toEqual(Array.from(whole[r.sent!.image][model.layers.length - 1]));
          // At least the work of the four steps at the ESP32's modelled speed.
          expect(r.latencyUs).toBeGreaterThan((c.plan.totalMacs * ESP32.compute.ns_per_unit) / 1000);
        }
        // One model run per package and node range; node 4 runs step 4 for every package.
        expect(counter(4, 'orch.step.run')).toBe(sent.length);
        expect(counter(1, 'orch.step.run')).toBe(0);
        const runs = [2, 3, 5].map((id) => counter(id, 'orch.step.run'));
        // Through node 2 a package also runs node 3's range; through node 5 it does not.
        expect(runs[0]).toBe(runs[1]);
        expect(runs[0] + runs[2]).toBe(sent.length);
        stepOne[2] += runs[0];
        stepOne[5] += runs[2];
        for (const node of sim.nodes.values()) expect(node.currentHeapTop()).toBe(node.heapTop);
        // Frames were lost and repaired hop by hop.
        if (loss > 0) expect([1, 2, 3, 4, 5].reduce((a, id) => a + counter(id, 'link.retx'), 0)).toBeGreaterThan(0);
        const lat = got.map((r) => (r.latencyUs / S).toFixed(2));
        console.info(`orch person_detect ${name} seed ${seed}: latencies ${lat.join(', ')} s; step 1 on node 2 x${runs[0]}, node 5 x${runs[2]}`);
      }
      // Both ways through the cluster were taken.
      if (seeds.length > 1) expect(stepOne[2] > 0 && stepOne[5] > 0).toBe(true);
    }, 60_000);
  }

  it('steps 1..3 only: the result is the activation after planner step 3, bit for bit', () => {
    const c = cluster();
    const { sim, ios, failed } = simulate(c, 0, 4);
    sim.runUntil(8 * S);
    const sent = submitImages(sim, 2, 1 * S, 3);
    sim.run();
    expect(sim.failure).toBeNull();
    expect(failed()).toEqual([]);
    const got = results(ios.get(1)!, sent);
    expect(got.length).toBe(2);
    const layer = c.plan.steps[2].last;
    for (const r of got) {
      expect(r.payload.length).toBe(c.plan.steps[2].outputBytes);
      expect(i8(r.payload)).toEqual(Array.from(whole[r.sent!.image][layer]));
    }
  });
});

describe('packages a model step cannot take', () => {
  it('a payload that is not the step input fails at the step-1 node with reason 4 (BadInput)', () => {
    const c = cluster();
    const { sim, ios, counter, failed } = simulate(c, 0, 1);
    sim.runUntil(8 * S);
    const rec = new Uint8Array(8 + 100);
    new DataView(rec.buffer).setUint16(0, 1, true);
    rec[6] = 1;
    rec[7] = 4;
    const n = sim.node(1).submit(SubmitKind.Orch, rec) as number;
    expect(n).toBeGreaterThan(0);
    sim.run();
    expect(sim.failure).toBeNull();
    const f = failed();
    expect(f.map(({ origin, counter, step, reason }) => ({ origin, counter, step, reason }))).toEqual([{ origin: 1, counter: n, step: 1, reason: 4 }]);
    expect(ios.get(1)!.recordsOf(EmitKind.OrchResult)).toEqual([]);
    // Taken by a step-1 node, never computed.
    expect(counter(2, 'orch.pkg.rx') + counter(5, 'orch.pkg.rx')).toBe(1);
    expect([2, 3, 4, 5].reduce((a, id) => a + counter(id, 'orch.step.run'), 0)).toBe(0);
    // The model was never started, so no INFER_OUTPUT either.
    for (const io of ios.values()) expect(io.recordsOf(EmitKind.InferOutput)).toEqual([]);
  });

  it('a model step that fails mid-run fails the package with reason 5 (StepError) at that node', () => {
    const c = cluster();
    const { sim, ios, failed } = simulate(c, 0, 1);
    sim.runUntil(8 * S);
    // Node 4's weights become unreadable after init: its run ends with status 1.
    ios.get(4)!.blobs.delete(MODEL_BLOB);
    const [sent] = submitImages(sim, 1, 0);
    sim.run();
    expect(sim.failure).toBeNull();
    expect(failed()).toEqual([{ origin: 1, counter: sent.counter, step: 4, reason: 5 }]);
    expect(ios.get(1)!.recordsOf(EmitKind.OrchResult)).toEqual([]);
    expect(ios.get(4)!.recordsOf(EmitKind.InferOutput)).toEqual([]);
  });

  it('ORCH_BLOB refuses a missing blob, a malformed record and an oversized payload', () => {
    const c = cluster();
    const { sim, counter } = simulate(c, 0, 1);
    sim.runUntil(2 * S);
    const len = images[0].length;
    expect(sim.node(1).submit(SubmitKind.OrchBlob, blobRecord(1, 1, 4, 99, len))).toBe(SubmitError.NoBlob);
    expect(sim.node(1).submit(SubmitKind.OrchBlob, blobRecord(1, 1, 4, IMAGE_BLOB, len + 1))).toBe(SubmitError.TooLong);
    expect(sim.node(1).submit(SubmitKind.OrchBlob, blobRecord(1, 1, 4, IMAGE_BLOB, len).subarray(0, 15))).toBe(SubmitError.BadLength);
    expect(sim.node(1).submit(SubmitKind.OrchBlob, blobRecord(1, 4, 1, IMAGE_BLOB, len))).toBe(SubmitError.BadLength);
    expect(counter(1, 'orch.submit')).toBe(0);
    sim.runUntil(4 * S);
    expect(sim.failure).toBeNull();
  });

  it('init refuses a payload capacity below the step input or output (OUT_OF_RANGE)', () => {
    // 4000 bytes hold neither the image (steps 1, 1..3) nor a 4608-byte activation (2..3, 4).
    const c = cluster();
    const { sim } = simulate({ ...c, defaults: { ...c.defaults, orch_payload_bytes: 4000 } }, 0, 1);
    sim.runUntil(S);
    for (const id of [2, 3, 4, 5]) {
      expect(sim.node(id).state).toBe('failed');
      expect(sim.node(id).failure).toContain(`init returned ${InitError.OutOfRange}`);
    }
    expect(sim.node(1).state).toBe('on');
  });
});

describe('beside the model steps', () => {
  it('a node without a model still simulates its step: the payload passes through it unchanged', () => {
    // Node 4 loses its model: step 4 is a simulated one, so the result is step 3's output.
    const c = cluster();
    const placement = new Map(c.placement);
    placement.set(4, { mask: 0b1000, step: null });
    const { sim, ios, counter, failed } = simulate({ ...c, placement, defaults: { ...c.defaults, orch_step_cost: 100_000 } }, 0, 1);
    sim.runUntil(8 * S);
    const sent = submitImages(sim, 2, 1 * S);
    sim.run();
    expect(sim.failure).toBeNull();
    expect(failed()).toEqual([]);
    const got = results(ios.get(1)!, sent);
    expect(got.length).toBe(2);
    for (const r of got) expect(i8(r.payload)).toEqual(Array.from(whole[r.sent!.image][c.plan.steps[2].last]));
    expect(counter(4, 'orch.step.run')).toBe(2);
  });

  it('the host can still run the model step of an orchestration node with INFER_BLOB, but not while a package runs on it', () => {
    const c = cluster();
    const { sim, ios, counter } = simulate(c, 0, 1);
    const step4 = c.placement.get(4)!.step!;
    const io4 = ios.get(4)!;
    const input = whole[0][step4.first - 1];
    io4.putBlob(50, new Uint8Array(input.buffer, input.byteOffset, input.length));
    const arg = new Uint8Array(8);
    new DataView(arg.buffer).setUint32(0, 50, true);
    new DataView(arg.buffer).setUint32(4, input.length, true);
    sim.runUntil(8 * S);
    expect(sim.node(4).submit(SubmitKind.InferBlob, arg)).toBe(0);
    sim.runUntil(9 * S);
    const outs = io4.recordsOf(EmitKind.InferOutput);
    expect(outs.length).toBe(1);
    expect(i8(outs[0].bytes.subarray(8))).toEqual(Array.from(whole[0][step4.last]));
    // A package reaches node 4: while its step runs the host's submit is refused.
    submitImages(sim, 1, 0);
    while (counter(4, 'orch.pkg.rx') === 0 && sim.now < 60 * S) sim.runUntil(sim.now + S / 1000);
    // The simulator hands a submit made while the node computes a slice over after that slice
    // (its answer is not returned then); either way it finds the package's run under way.
    const r = sim.node(4).submit(SubmitKind.InferBlob, arg);
    if (r !== null) expect(r).toBe(SubmitError.Busy);
    sim.run();
    expect(ios.get(1)!.recordsOf(EmitKind.OrchResult).length).toBe(1);
    // The package's run emitted no INFER_OUTPUT.
    expect(io4.recordsOf(EmitKind.InferOutput).length).toBe(1);
  });
});
