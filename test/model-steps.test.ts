// Steps of a split model, each run by a different simulated node (docs/steps.md): person_detect
// split into 3, 4 and 6 planner-proposed steps over ESP32 and RP2040 (elasticnode-v5) nodes
// gives exactly the whole-model bytes; the work is sliced (declared compute, pings answered
// between slices), the heap top never moves, and a corrupt model makes init fail cleanly.

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
import { importTfliteBytes } from '../tools/model/import.ts';
import { crc32, decodeModel, encodeModel, type MycoModel } from '../tools/model/format.ts';
import { runModel, runnerModule } from '../tools/model/run.ts';
import { referenceRun } from '../tools/model/reference-run.ts';
import { readGrayBmp } from '../tools/model/bmp.ts';
import { planSplit, stepConfig, type SplitPlan } from '../tools/model/split.ts';
import { nodeHeapTop } from '../tools/model/split-cli.ts';

const MODELS = join(ROOT, '..', 'shared', 'models');
const file = (name: string) => new Uint8Array(readFileSync(join(MODELS, name)));
const boards = loadBoards();
const ESP32 = boards.get('esp32')!;
const RP2040 = boards.get('elasticnode-v5')!;
const MS = 1000;
const MODEL_BLOB = 1;
const INPUT_BLOB = 2;
const PINGER = 99;

let model: MycoModel;
let bytes: Uint8Array;
let program: Program;
let heapTop: number;
const image = (name: string) => new Int8Array(readGrayBmp(file(name), name).pixels.buffer);

beforeAll(async () => {
  model = decodeModel(encodeModel(importTfliteBytes(file('person_detect.tflite'), 'person_detect.tflite')));
  bytes = encodeModel(model);
  program = loadProgram(join(BUILD_DIR, 'node.wasm'));
  heapTop = await nodeHeapTop();
  await runnerModule();
}, 120_000);

interface StepRun {
  output: Uint8Array;
  startUs: number;
  endUs: number;
  pingsAnswered: number;
  record: Uint8Array;
}

/** A swarm: node k+1 runs step k of `plan`; node 99 pings whichever node is computing. */
function swarm(plan: SplitPlan, modelBytes = bytes, extra: Record<string, number> = {}) {
  const nodes = plan.steps.map((s, k) => {
    const cfg = { ...stepConfig(s, MODEL_BLOB), ...extra };
    return `{id: ${k + 1}, board: ${s.board}, config: {${Object.entries(cfg).map(([n, v]) => `${n}: ${v}`).join(', ')}}}`;
  });
  const yaml = `
name: steps
seed: 1
duration: 600s
defaults: {board: esp32, config: {hello_interval_ms: 200, neighbour_timeout_ms: 5000}}
medium: {kind: links, links: [${plan.steps.map((_, k) => `{a: ${PINGER}, b: ${k + 1}}`).join(', ')}]}
nodes: [${nodes.join(', ')}, {id: ${PINGER}}]
`;
  const scenario = parseScenario('steps.yaml', yaml, { boards });
  const ios = new Map<number, MemoryIO>();
  for (let k = 1; k <= plan.steps.length; k++) ios.set(k, new MemoryIO().putBlob(MODEL_BLOB, modelBytes));
  ios.set(PINGER, new MemoryIO());
  const sim = new Simulation({ ...resolveScenario(scenario, { boards, program }), io: (id) => ios.get(id)! });
  return { sim, ios };
}

/** Hands `input` to node `id` as a blob, runs until its INFER_OUTPUT, pinging it meanwhile. */
function runStep(sim: Simulation, ios: Map<number, MemoryIO>, id: number, input: Uint8Array): StepRun {
  const io = ios.get(id)!;
  io.putBlob(INPUT_BLOB, input);
  const before = io.recordsOf(EmitKind.InferOutput).length;
  const pingsBefore = ios.get(PINGER)!.recordsOf(EmitKind.PingRtt).length;
  const blobArg = new Uint8Array(8);
  new DataView(blobArg.buffer).setUint32(0, INPUT_BLOB, true);
  new DataView(blobArg.buffer).setUint32(4, input.length, true);
  const startUs = sim.now;
  expect(sim.node(id).submit(SubmitKind.InferBlob, blobArg)).toBe(0);
  const dst = Uint8Array.of(id & 0xff, id >> 8);
  for (let guard = 0; io.recordsOf(EmitKind.InferOutput).length === before; guard++) {
    expect(guard).toBeLessThan(5000);
    sim.node(PINGER).submit(SubmitKind.Ping, dst);
    sim.runUntil(sim.now + 5 * MS);
    expect(sim.failure).toBeNull();
  }
  const rec = io.recordsOf(EmitKind.InferOutput)[before];
  const pings = ios.get(PINGER)!.recordsOf(EmitKind.PingRtt).slice(pingsBefore).filter((r) => r.atUs < rec.atUs);
  return { output: rec.bytes.subarray(8), startUs, endUs: rec.atUs, pingsAnswered: pings.length, record: rec.bytes };
}

const mixes: [string, typeof ESP32[]][] = [
  ['3 steps', [ESP32, ESP32, RP2040]],
  ['4 steps', [ESP32, RP2040, ESP32, RP2040]],
  ['6 steps', [ESP32, RP2040, ESP32, RP2040, ESP32, RP2040]],
];

describe('person_detect split over simulated nodes', () => {
  for (const [name, mix] of mixes) {
    it(`${name}: the same bytes as the whole model, for person.bmp and no_person.bmp`, async () => {
      const plan = planSplit(model, mix, { nodeHeapTop: heapTop });
      expect(plan.steps.length).toBe(mix.length);
      const { sim, ios } = swarm(plan);
      sim.runUntil(2000 * MS);
      expect(sim.failure).toBeNull();
      for (const [k, s] of plan.steps.entries()) {
        const node = sim.node(k + 1);
        expect(node.failure).toBeNull();
        expect(node.state).toBe('on');
        // The node's heap top is what the planner budgeted for the step, and within the board's budget.
        expect(node.heapTop).toBeLessThanOrEqual(s.memory.total);
        expect(node.heapTop).toBeGreaterThan(s.memory.total - 1024);
        expect(node.heapTop).toBeLessThanOrEqual(s.budget);
      }
      for (const img of ['person.bmp', 'no_person.bmp']) {
        const input = image(img);
        const whole = await runModel(model, input);
        let x = new Uint8Array(input.buffer.slice(0));
        for (const [k, s] of plan.steps.entries()) {
          const r = runStep(sim, ios, k + 1, x);
          const head = new DataView(r.record.buffer, r.record.byteOffset);
          expect([head.getUint16(0, true), head.getUint16(2, true), head.getUint8(6)]).toEqual([s.first, s.last, 0]);
          expect(r.output.length).toBe(s.outputBytes);
          // Sliced: the step took at least its declared work at the board's speed, and the
          // node answered pings while it ran.
          const nsPerUnit = boards.get(s.board)!.compute.ns_per_unit;
          expect(r.endUs - r.startUs).toBeGreaterThan((s.macs * nsPerUnit) / 1000 * 0.5);
          expect(r.pingsAnswered).toBeGreaterThan(2);
          x = new Uint8Array(r.output);
        }
        expect(Array.from(new Int8Array(x.buffer, x.byteOffset, x.length)), img).toEqual(Array.from(whole.output));
      }
      for (const node of sim.nodes.values()) expect(node.currentHeapTop()).toBe(node.heapTop);
    }, 120_000);
  }
});

describe('a step node', () => {
  const single = () => planSplit(model, [ESP32, ESP32], { nodeHeapTop: heapTop });

  it('computes several slices of at most infer_slice_macs each, declaring the work', () => {
    const plan = single();
    // Slices of ~0.8 ms of the ESP32's modelled compute time.
    const nsPerUnit = ESP32.compute.ns_per_unit;
    const sliceMacs = Math.round(800_000 / nsPerUnit);
    const { sim, ios } = swarm(plan, bytes, { infer_slice_macs: sliceMacs });
    sim.runUntil(2000 * MS);
    const r = runStep(sim, ios, 1, new Uint8Array(image('person.bmp').buffer.slice(0)));
    // ~0.6 M MACs of declared compute: at least half of that time passes, in many slices.
    expect(r.endUs - r.startUs).toBeGreaterThan((0.5 * 600_000 * nsPerUnit) / 1000);
    expect(r.pingsAnswered).toBeGreaterThan(10);
    const rtts = ios.get(PINGER)!.recordsOf(EmitKind.PingRtt).map((p) => new DataView(p.bytes.buffer, p.bytes.byteOffset).getUint32(4, true));
    rtts.sort((a, b) => a - b);
    expect(rtts[rtts.length >> 1]).toBeLessThan(10);
    expect(rtts[rtts.length - 1]).toBeLessThan(60);
    expect(sim.failure).toBeNull();
  });

  it('refuses bad submits: wrong length, missing blob, no step', () => {
    const plan = single();
    const { sim } = swarm(plan);
    sim.runUntil(500 * MS);
    const arg = (blob: number, len: number) => {
      const a = new Uint8Array(8);
      new DataView(a.buffer).setUint32(0, blob, true);
      new DataView(a.buffer).setUint32(4, len, true);
      return a;
    };
    expect(sim.node(1).submit(SubmitKind.InferBlob, arg(INPUT_BLOB, 5))).toBe(SubmitError.BadLength);
    expect(sim.node(1).submit(SubmitKind.InferBlob, arg(77, 9216))).toBe(SubmitError.NoBlob);
    expect(sim.node(1).submit(SubmitKind.Infer, new Uint8Array(10))).toBe(SubmitError.BadLength);
    expect(sim.node(1).submit(SubmitKind.InferBlob, arg(MODEL_BLOB, 9216))).toBe(0);
    expect(sim.node(PINGER).submit(SubmitKind.Infer, new Uint8Array(4))).toBe(SubmitError.NoStep);
    sim.runUntil(2000 * MS);
    expect(sim.failure).toBeNull();
  });

  it('INFER takes a small input from the inbox: the last steps of person_detect', async () => {
    const plan = planSplit(model, [ESP32, ESP32], { at: [27], nodeHeapTop: heapTop });
    const whole = await runModel(model, image('person.bmp'), { keepLayers: true });
    const { sim, ios } = swarm(plan);
    sim.runUntil(500 * MS);
    const x = whole.layers![26].output;
    expect(x.length).toBe(2304);
    // 2304 bytes do not fit the 1024-byte inbox; the pooled tensor (layer 27's output) does.
    expect(sim.node(2).submit(SubmitKind.Infer, new Uint8Array(x.buffer, x.byteOffset, x.length))).toBe(SubmitError.BadLength);
    const plan2 = planSplit(model, [ESP32, ESP32], { at: [28], nodeHeapTop: heapTop });
    const s2 = swarm(plan2);
    s2.sim.runUntil(500 * MS);
    const pooled = whole.layers![27].output;
    expect(s2.sim.node(2).submit(SubmitKind.Infer, new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.length))).toBe(0);
    s2.sim.runUntil(1000 * MS);
    const rec = s2.ios.get(2)!.recordsOf(EmitKind.InferOutput)[0];
    expect(Array.from(new Int8Array(rec.bytes.buffer, rec.bytes.byteOffset + 8, 2))).toEqual([-113, 113]);
    expect(ios.get(2)!.recordsOf(EmitKind.InferOutput)).toEqual([]);
  });

  it('a corrupt, truncated or mismatched model makes init fail with BAD_MODEL, never a trap', () => {
    const plan = single();
    const withCrc = (b: Uint8Array) => {
      const c = b.slice();
      new DataView(c.buffer).setUint32(12, 0, true);
      new DataView(c.buffer).setUint32(12, crc32(c), true);
      return c;
    };
    const flipped = bytes.slice();
    flipped[5000] ^= 0x10;
    // A valid checksum over a broken table: layer 0's output tensor index out of range.
    const headerBytes = new DataView(bytes.buffer, bytes.byteOffset).getUint16(6, true);
    const layer0 = headerBytes + model.tensors.length * 32 + model.slots.length * 4 + model.blobs.length * 8;
    const badRef = bytes.slice();
    new DataView(badRef.buffer).setUint16(layer0 + 8, 999, true);
    // A record whose dimensions disagree with its tensors.
    const badDims = bytes.slice();
    new DataView(badDims.buffer).setInt32(layer0 + 24, 97, true);
    const cases: [string, Uint8Array][] = [
      ['a flipped byte', flipped],
      ['truncated', bytes.subarray(0, 40_000)],
      ['an out-of-range tensor', withCrc(badRef)],
      ['wrong dimensions', withCrc(badDims)],
      ['not a model', new Uint8Array(100)],
    ];
    for (const [what, blob] of cases) {
      const { sim } = swarm(plan, blob);
      sim.runUntil(500 * MS);
      expect(sim.failure, what).toBeNull();
      // A checksum failure stops every step; a bad table entry stops the step that holds the layer.
      for (const id of blob === flipped || blob.length < bytes.length ? [1, 2] : [1]) {
        expect(sim.node(id).state, what).toBe('failed');
        expect(sim.node(id).failure, what).toContain(`init returned ${InitError.BadModel}`);
      }
      expect(sim.node(PINGER).state).toBe('on');
    }
    // A step beyond the model's layers, or no model blob at all.
    const beyond = { ...plan, steps: [{ ...plan.steps[0], first: 40, last: 41 }, plan.steps[1]] };
    const b = swarm(beyond);
    b.sim.runUntil(500 * MS);
    expect(b.sim.node(1).failure).toContain(`init returned ${InitError.BadModel}`);
    const none = swarm(plan, bytes, { infer_model_blob: 55 });
    none.sim.runUntil(500 * MS);
    expect(none.sim.node(1).failure).toContain(`init returned ${InitError.BadModel}`);
  });
});

/** A board with a native kernel for every conv, depthwise and FC layer: it answers with the layer's true output. */
class AcceleratedIO extends MemoryIO {
  readonly calls: { op: number; layer: number }[] = [];
  constructor(private readonly layerOutputs: Int8Array[], private readonly broken = false) {
    super();
  }

  override accel(op: number, input: Uint8Array, outLen: number): Uint8Array | null {
    const layer = new DataView(input.buffer, input.byteOffset).getUint16(4, true);
    this.calls.push({ op, layer });
    const out = new Uint8Array(this.layerOutputs[layer].buffer.slice(0));
    expect(out.length).toBe(outLen);
    return this.broken ? out.subarray(0, outLen - 1) : out;
  }
}

describe('accel', () => {
  it('uses the board kernel for every conv, depthwise and FC layer it offers, and skips the Wasm kernel', async () => {
    const plan = planSplit(model, [ESP32, ESP32], { nodeHeapTop: heapTop });
    const step = plan.steps[0];
    const input = image('person.bmp');
    const outputs = referenceRun(model, input);
    // The same swarm, but node 1's board has the accelerator.
    const s = swarm(plan);
    const accelIO = new AcceleratedIO(outputs).putBlob(MODEL_BLOB, bytes);
    const sim = new Simulation({ ...s.sim.setup, io: (id) => (id === 1 ? accelIO : s.ios.get(id)!) });
    const ios = new Map<number, MemoryIO>([...s.ios, [1, accelIO]]);
    sim.runUntil(2000 * MS);
    const r = runStep(sim, ios, 1, new Uint8Array(input.buffer.slice(0)));
    expect(Array.from(new Int8Array(r.output.buffer, r.output.byteOffset, r.output.length))).toEqual(Array.from(outputs[step.last]));
    const accelerated = model.layers.slice(step.first, step.last + 1)
      .map((l, i) => ({ op: l.op, layer: step.first + i }))
      .filter((l) => l.op === 1 || l.op === 2 || l.op === 3);
    expect(accelIO.calls.map((c) => c.layer)).toEqual(accelerated.map((l) => l.layer));
    // The offloaded layers cost no modelled compute: far quicker than the step's work at board speed.
    expect(r.endUs - r.startUs).toBeLessThan((step.macs * ESP32.compute.ns_per_unit) / 1000 / 10);
  });

  it('reports an accelerator that answers with the wrong length, instead of using its bytes', async () => {
    const plan = planSplit(model, [ESP32, ESP32], { nodeHeapTop: heapTop });
    const input = image('person.bmp');
    const s = swarm(plan);
    const io = new AcceleratedIO(referenceRun(model, input), true).putBlob(MODEL_BLOB, bytes);
    const sim = new Simulation({ ...s.sim.setup, io: (id) => (id === 1 ? io : s.ios.get(id)!) });
    sim.runUntil(2000 * MS);
    const r = runStep(sim, new Map([...s.ios, [1, io as MemoryIO]]), 1, new Uint8Array(input.buffer.slice(0)));
    expect(new DataView(r.record.buffer, r.record.byteOffset).getUint8(6)).toBe(2); // accel failed
    expect(io.calls.length).toBe(1);
  });
});
