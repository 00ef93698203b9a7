// The machinery of `npm run bench:infer` (tools/bench/infer.ts): one model's layers run three
// ways on the same inputs, outputs compared byte for byte, and timed.
//
//   v8   build/model_runner.wasm (the node's AssemblyScript kernels, release build) under V8;
//   aot  the same module translated by wasm2c and compiled with cc -O2 against the project's
//        runtime (hal/shell/aot/myco_wasm_rt.c), driven by tools/bench/c/infer_bench.c;
//   ref  plain C reference kernels (tools/bench/c/reference_kernels.c), cc -O2.
//
// Every layer's input is the output of the layer before it in the V8 run, starting from a
// real input, so the kernels see realistic activations. Each engine gets the layer with its
// weights and int32 arrays already in memory and the record already relocated: the timed calls
// run the kernel alone (`run_layer` with no blobs to page in), not the HAL's blob_read.

import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ROOT } from '../build/asc.ts';
import { stubHal } from '../build/stub-hal.ts';
import { readGrayBmp } from '../model/bmp.ts';
import { importTfliteBytes } from '../model/import.ts';
import {
  ADD_FIELDS, CONV_FIELDS, FULLY_CONNECTED_FIELDS, POOL_FIELDS, RELU_FIELDS, SOFTMAX_FIELDS,
} from '../infer/params.ts';
import { NONE, OPS, RELU6_FIELDS, tensorBytes, type MycoModel } from '../model/format.ts';
import { RUNNER_WASM, runnerModule } from '../model/run.ts';
import { BenchError, buildNative, C_DIR, runTool, type NativeBench } from './native.ts';
import { timeCalls, type Timing } from './timing.ts';

export { BenchError, type NativeBench, type Timing };

/** The model both kernel benchmarks run and its input, from the shared models folder. */
export const PERSON_DETECT = {
  dir: join(ROOT, '..', 'shared', 'models'),
  model: 'person_detect.tflite',
  image: 'person.bmp',
} as const;

/** Ops whose work count is multiply-accumulates; the rest count values touched. */
export const MAC_OPS: ReadonlySet<string> = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

/** One layer, ready to run anywhere: record, tensors and blobs as bytes. */
export interface LayerCase {
  index: number;
  op: number;
  opName: string;
  /** "[1,48,48,8] -> [1,48,48,16]" */
  shape: string;
  /** Nominal multiply-accumulates (conv, FC; padding taps included) or values, as `inspect`. */
  nominal: number;
  /** The record, address fields as offsets into `data` (relocMask marks them). */
  params: Uint8Array;
  relocMask: number;
  input: Uint8Array;
  input2: Uint8Array;
  filter: Uint8Array;
  data: Uint8Array;
  outLen: number;
  /** What the kernel reports: in-image MACs (conv, FC) or values touched; the cost unit. */
  work: number;
  /** The V8 run's output: the bytes both C engines must reproduce. */
  expected: Uint8Array;
}

const align16 = (n: number) => (n + 15) & ~15;

interface RunnerExports {
  memory: WebAssembly.Memory;
  reserve(bytes: number): number;
  run_layer(op: number, params: number, mask: number, input: number, input2: number, output: number, outLen: number,
    filterBlob: number, filterBuf: number, filterLen: number, dataBlob: number, dataBuf: number, dataLen: number): number;
}

/** The runner module under V8 with one arena laid out as the C driver lays out its own. */
export class V8Engine {
  private constructor(private readonly x: RunnerExports, private readonly at: Record<'params' | 'in' | 'in2' | 'filter' | 'data' | 'out', number>) {}

  static async create(cases: readonly Pick<LayerCase, 'params' | 'input' | 'input2' | 'filter' | 'data' | 'outLen'>[]): Promise<V8Engine> {
    let memory: WebAssembly.Memory | undefined;
    const instance = await WebAssembly.instantiate(await runnerModule(), stubHal(() => memory!));
    const x = instance.exports as unknown as RunnerExports;
    memory = x.memory;
    const max = (pick: (c: (typeof cases)[number]) => number) => align16(Math.max(1, ...cases.map(pick)));
    const sizes = {
      params: max((c) => c.params.length), in: max((c) => c.input.length), in2: max((c) => c.input2.length),
      filter: max((c) => c.filter.length), data: max((c) => c.data.length), out: max((c) => c.outLen),
    };
    const total = Object.values(sizes).reduce((a, b) => a + b, 16);
    let p = align16(x.reserve(total) >>> 0);
    const at = {} as Record<keyof typeof sizes, number>;
    for (const k of Object.keys(sizes) as (keyof typeof sizes)[]) {
      at[k] = p;
      p += sizes[k];
    }
    return new V8Engine(x, at);
  }

  /** Places a layer in memory with its record relocated (as run_layer does after paging). */
  place(c: Pick<LayerCase, 'params' | 'relocMask' | 'input' | 'input2' | 'filter' | 'data' | 'outLen'>): void {
    const mem = new Uint8Array(this.x.memory.buffer);
    mem.set(c.params, this.at.params);
    const view = new DataView(this.x.memory.buffer);
    for (let i = 0; i < 32 && i * 4 < c.params.length; i++) {
      if ((c.relocMask >>> i) & 1) view.setUint32(this.at.params + i * 4, (view.getUint32(this.at.params + i * 4, true) + this.at.data) >>> 0, true);
    }
    mem.set(c.input, this.at.in);
    mem.set(c.input2, this.at.in2);
    mem.set(c.filter, this.at.filter);
    mem.set(c.data, this.at.data);
    mem.fill(0, this.at.out, this.at.out + c.outLen);
  }

  /** Runs the placed layer once; returns the kernel's work count. */
  run(c: Pick<LayerCase, 'op' | 'input2' | 'outLen'>): number {
    const at = this.at;
    return this.x.run_layer(c.op, at.params, 0, at.in, c.input2.length ? at.in2 : 0, at.out, c.outLen, NONE, at.filter, 0, NONE, at.data, 0);
  }

  output(len: number): Uint8Array {
    return new Uint8Array(this.x.memory.buffer, this.at.out, len).slice();
  }
}

/**
 * Runs `model` on `input` layer by layer under V8 and returns every layer as a LayerCase:
 * its inputs are the V8 outputs of the layers before it.
 */
export async function prepareLayers(model: MycoModel, input: Uint8Array | Int8Array): Promise<LayerCase[]> {
  const inBytes = tensorBytes(model.tensors[model.input]);
  if (input.length !== inBytes) throw new BenchError(`input is ${input.length} bytes; the model takes ${inBytes}`);
  const blob = (id: number) => (id === NONE ? new Uint8Array(0) : model.blobs[id]);
  const shapeOf = (t: number) => `[${model.tensors[t].shape.join(',')}]`;
  const cases: LayerCase[] = model.layers.map((l, index) => ({
    index, op: l.op, opName: OPS[l.op].name,
    shape: `${l.inputs.map(shapeOf).join(' + ')} -> ${shapeOf(l.output)}`,
    nominal: l.macs,
    params: l.params, relocMask: l.relocMask,
    input: new Uint8Array(0), input2: new Uint8Array(0),
    filter: blob(l.filterBlob), data: blob(l.dataBlob),
    outLen: tensorBytes(model.tensors[l.output]),
    work: 0, expected: new Uint8Array(0),
  }));
  // Input sizes are known up front (tensor bytes), so the arena can be sized before running.
  model.layers.forEach((l, i) => {
    cases[i].input = new Uint8Array(tensorBytes(model.tensors[l.inputs[0]]));
    if (l.inputs.length > 1) cases[i].input2 = new Uint8Array(tensorBytes(model.tensors[l.inputs[1]]));
  });
  const engine = await V8Engine.create(cases);
  const tensors = new Map<number, Uint8Array>([[model.input, new Uint8Array(input.buffer, input.byteOffset, input.length).slice()]]);
  model.layers.forEach((l, i) => {
    const c = cases[i];
    c.input = tensors.get(l.inputs[0])!;
    if (l.inputs.length > 1) c.input2 = tensors.get(l.inputs[1])!;
    engine.place(c);
    const work = engine.run(c);
    if (work < 0) throw new BenchError(`layer ${i} (${c.opName}): run_layer returned ${work}`);
    c.work = work >>> 0;
    c.expected = engine.output(c.outLen);
    tensors.set(l.output, c.expected);
  });
  return cases;
}

/** person_detect's layers on person.bmp (prepareLayers). */
export async function personDetectLayers(): Promise<LayerCase[]> {
  const file = (name: string) => new Uint8Array(readFileSync(join(PERSON_DETECT.dir, name)));
  const model = importTfliteBytes(file(PERSON_DETECT.model), PERSON_DETECT.model);
  return prepareLayers(model, readGrayBmp(file(PERSON_DETECT.image), PERSON_DETECT.image).pixels);
}

// ---------------------------------------------------------------------------------------
// Timing under V8

/** Times every layer under V8 (each placed once, then called repeatedly). */
export async function timeV8(cases: readonly LayerCase[], minMs: number, runs: number): Promise<Timing[]> {
  const engine = await V8Engine.create(cases);
  return cases.map((c) => {
    engine.place(c);
    engine.run(c);
    return timeCalls(() => { engine.run(c); }, minMs, runs);
  });
}

// ---------------------------------------------------------------------------------------
// The native driver: wasm2c + cc

/** Linear memory the aot runtime backs for the benchmark (any model's arena fits). */
const AOT_MEMORY_BYTES = 16 * 1024 * 1024;

/** Operation codes and record field indices for the C driver, from the TypeScript lists. */
function recordFieldsHeader(): string {
  const lists: [string, readonly string[]][] = [
    ['CONV', CONV_FIELDS], ['FC', FULLY_CONNECTED_FIELDS], ['POOL', POOL_FIELDS], ['ADD', ADD_FIELDS],
    ['RELU', RELU_FIELDS], ['SOFTMAX', SOFTMAX_FIELDS], ['RELU6', RELU6_FIELDS],
  ];
  const lines = ['/* Generated by tools/bench/infer-harness.ts from tools/infer/params.ts and tools/model/format.ts. */'];
  lines.push(`enum { ${Object.entries(OPS).map(([code, info]) => `OP_${info.name} = ${code}`).join(', ')} };`);
  for (const [prefix, fields] of lists) lines.push(`enum { ${fields.map((f, i) => `${prefix}_${f} = ${i}`).join(', ')} };`);
  return lines.join('\n') + '\n';
}

/**
 * Translates the runner module with wasm2c and builds the driver with cc in a fresh temporary
 * directory (the caller removes it with `dispose`).
 */
export async function buildNativeBench(options: { cc?: string } = {}): Promise<NativeBench & { dispose(): void }> {
  await runnerModule(); // rebuilds build/model_runner.wasm if a firmware source changed
  return buildNative({
    wasm: RUNNER_WASM,
    name: 'myco_bench',
    label: 'bench-infer',
    sources: ['infer_bench.c', 'reference_kernels.c', 'myco_bench_timing.c'].map((f) => join(C_DIR, f)),
    headers: { 'record_fields.h': recordFieldsHeader() },
    memoryBytes: AOT_MEMORY_BYTES,
    cc: options.cc,
  });
}

export interface NativeResult {
  index: number;
  aotWork: number;
  refWork: number;
  aot: Timing;
  ref: Timing;
  aotOutput: Uint8Array;
  refOutput: Uint8Array;
}

const LAYER_MAGIC = 0x4c42594d; // "MYBL"

/** Writes the layers for the driver, runs it (minMs 0: once, untimed) and reads its outputs. */
export async function runNativeBench(bench: NativeBench, cases: readonly LayerCase[], minMs: number, runs: number): Promise<NativeResult[]> {
  const work = mkdtempSync(join(bench.dir, 'run-'));
  try {
    cases.forEach((c, i) => {
      const head = new Uint32Array([LAYER_MAGIC, c.op, c.relocMask >>> 0, c.params.length, c.input.length, c.input2.length, c.filter.length, c.data.length, c.outLen]);
      const parts = [new Uint8Array(head.buffer), c.params, c.input, c.input2, c.filter, c.data];
      writeFileSync(join(work, `layer_${String(i).padStart(3, '0')}.bin`), Buffer.concat(parts));
    });
    const out = await runTool(bench.binary, [work, String(cases.length), String(minMs), String(runs)], work);
    const lines = out.split('\n').filter((l) => l.startsWith('layer '));
    if (lines.length !== cases.length) throw new BenchError(`the native driver reported ${lines.length} of ${cases.length} layers:\n${out}`);
    return lines.map((line, i) => {
      const [, index, aotWork, refWork, aotNs, refNs, aotReps, refReps, aotBest, refBest] = line.split(' ').map(Number);
      const file = (engine: string) => new Uint8Array(readFileSync(join(work, `out_${engine}_${String(i).padStart(3, '0')}.bin`)));
      return {
        index, aotWork, refWork,
        aot: { ns: aotNs, best: aotBest, reps: aotReps }, ref: { ns: refNs, best: refBest, reps: refReps },
        aotOutput: file('aot'), refOutput: file('ref'),
      };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Where `got` first differs from `want`, or null when they are equal byte for byte. */
export function firstDifference(want: Uint8Array, got: Uint8Array): string | null {
  if (want.length !== got.length) return `${got.length} bytes instead of ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (want[i] !== got[i]) return `byte ${i} is ${(got[i] << 24) >> 24}, the Wasm module gives ${(want[i] << 24) >> 24}`;
  }
  return null;
}

/** Throws BenchError naming every layer where a C engine's output or work count is not the module's. */
export function checkNative(cases: readonly LayerCase[], results: readonly NativeResult[]): void {
  const problems: string[] = [];
  results.forEach((r, i) => {
    const c = cases[i];
    const where = `layer ${c.index} (${c.opName})`;
    const aot = firstDifference(c.expected, r.aotOutput);
    const ref = firstDifference(c.expected, r.refOutput);
    if (aot) problems.push(`${where}: aot output differs from V8: ${aot}`);
    if (ref) problems.push(`${where}: C reference output differs from the Wasm module: ${ref}`);
    if (r.aotWork !== c.work) problems.push(`${where}: aot reports ${r.aotWork} work units, V8 ${c.work}`);
    if (r.refWork !== c.work) problems.push(`${where}: C reference reports ${r.refWork} work units, the Wasm module ${c.work}`);
  });
  if (problems.length) throw new BenchError(`outputs differ:\n  ${problems.join('\n  ')}`);
}

export interface LayerMeasurement {
  results: (NativeResult & { v8: Timing })[];
  ccVersion: string;
  wasm2cVersion: string;
}

/**
 * The whole kernel benchmark on `cases`: builds the native driver, checks both C engines
 * against the V8 outputs (untimed), times every layer on all three engines and checks the
 * timed runs' outputs again. `onChecked` is told once the outputs agree, before the timing.
 */
export async function measureLayers(cases: readonly LayerCase[], minMs: number, runs: number, onChecked?: () => void): Promise<LayerMeasurement> {
  const native = await buildNativeBench();
  try {
    checkNative(cases, await runNativeBench(native, cases, 0, 1));
    onChecked?.();
    const v8 = await timeV8(cases, minMs, runs);
    const results = (await runNativeBench(native, cases, minMs, runs)).map((r, i) => ({ ...r, v8: v8[i] }));
    checkNative(cases, results);
    return { results, ccVersion: native.ccVersion, wasm2cVersion: native.wasm2cVersion };
  } finally {
    native.dispose();
  }
}
