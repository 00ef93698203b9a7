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

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../build/asc.ts';
import { stubHal } from '../build/stub-hal.ts';
import {
  ADD_FIELDS, CONV_FIELDS, FULLY_CONNECTED_FIELDS, POOL_FIELDS, RELU_FIELDS, SOFTMAX_FIELDS,
} from '../infer/params.ts';
import { NONE, OPS, RELU6_FIELDS, tensorBytes, type MycoModel } from '../model/format.ts';
import { RUNNER_WASM, runnerModule } from '../model/run.ts';

export class BenchError extends Error {}

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

// ---------------------------------------------------------------------------------------
// Timing under V8

export interface Timing {
  /** Median nanoseconds per call. */
  ns: number;
  /** The fastest measurement's nanoseconds per call (least disturbed by other load). */
  best: number;
  /** Calls per measurement. */
  reps: number;
}

/** Median ns per call of `fn` over `runs` measurements of at least `minMs` each. */
export function timeCalls(fn: () => void, minMs: number, runs: number): Timing {
  let reps = 1;
  let t = 0;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    t = performance.now() - t0;
    if (t >= minMs / 10 || reps > 2 ** 40) break;
    reps *= 2;
  }
  reps = Math.floor((reps * minMs) / Math.max(t, 1e-3)) + 1;
  const per: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    per.push(((performance.now() - t0) * 1e6) / reps);
  }
  per.sort((a, b) => a - b);
  const mid = per.length >> 1;
  return { ns: per.length % 2 ? per[mid] : (per[mid - 1] + per[mid]) / 2, best: per[0], reps };
}

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

const C_DIR = join(ROOT, 'tools', 'bench', 'c');
const STRICT = ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror'];
// wasm2c's output and the stubs generated here are machine-written.
const GENERATED = ['-std=c99', '-O2', '-w'];
/** Linear memory the aot runtime backs for the benchmark (any model's arena fits). */
const AOT_MEMORY_BYTES = 16 * 1024 * 1024;

export interface NativeBench {
  binary: string;
  dir: string;
  cc: string;
  ccVersion: string;
  wasm2cVersion: string;
}

function requireTool(tool: string, what: string): string {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new BenchError(`${tool} not found: ${what}`);
  return (probe.stdout || probe.stderr).split('\n')[0].trim();
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => fail(new BenchError(`${cmd}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) done(out);
      else fail(new BenchError(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${(err || out).trim()}`));
    });
  });
}

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

/** Do-nothing definitions of the module's `hal` imports, from wasm2c's header. */
function halStubs(header: string): string {
  const out = ['/* Generated by tools/bench/infer-harness.ts: the module\'s hal imports, unused by run_layer without blobs. */',
    '#include "myco_bench.h"', '', 'struct Z_hal_instance_t { int unused; };', ''];
  const decl = /^(\w+) Z_halZ_(\w+)\(struct Z_hal_instance_t\*((?:, \w+)*)\);$/gm;
  let m: RegExpExecArray | null;
  while ((m = decl.exec(header))) {
    const [, ret, name, rest] = m;
    const types = rest ? rest.slice(2).split(', ') : [];
    const params = types.map((t, i) => `${t} a${i}`);
    const voids = ['(void)h;', ...types.map((_, i) => `(void)a${i};`)].join(' ');
    const body = name === 'panic' ? 'wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);' : ret === 'void' ? '' : `return (${ret})-1;`;
    out.push(`${ret} Z_halZ_${name}(struct Z_hal_instance_t* h${params.map((p) => `, ${p}`).join('')}) { ${voids} ${body} }`);
  }
  return out.join('\n') + '\n';
}

/**
 * Translates the runner module with wasm2c and builds the driver with cc in a fresh temporary
 * directory (the caller removes it with `dispose`).
 */
export async function buildNativeBench(options: { cc?: string } = {}): Promise<NativeBench & { dispose(): void }> {
  const cc = options.cc ?? process.env.CC ?? 'cc';
  const wasm2cVersion = requireTool('wasm2c', 'install Debian package wabt');
  const ccVersion = requireTool(cc, 'install Debian package gcc (or set CC to a C compiler)');
  await runnerModule(); // rebuilds build/model_runner.wasm if a firmware source changed
  const dir = mkdtempSync(join(tmpdir(), 'myco-bench-infer-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const gen = join(dir, 'gen');
    mkdirSync(gen);
    await run('wasm2c', [RUNNER_WASM, '-n', 'myco_bench', '-o', join(gen, 'myco_bench.c')], dir);
    writeFileSync(join(gen, 'record_fields.h'), recordFieldsHeader());
    writeFileSync(join(gen, 'hal_stubs.c'), halStubs(readFileSync(join(gen, 'myco_bench.h'), 'utf8')));
    const defines = ['-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0', `-DMYCO_MEMORY_BUDGET=${AOT_MEMORY_BYTES}`];
    const includes = ['hal/include', 'hal/shell/aot'].map((d) => `-I${join(ROOT, d)}`).concat(`-I${gen}`, `-I${C_DIR}`);
    const sources: [string, string[]][] = [
      [join(gen, 'myco_bench.c'), GENERATED],
      [join(gen, 'hal_stubs.c'), GENERATED],
      [join(ROOT, 'hal/shell/aot/myco_wasm_rt.c'), STRICT],
      [join(C_DIR, 'infer_bench.c'), STRICT],
      [join(C_DIR, 'reference_kernels.c'), STRICT],
    ];
    const objects = sources.map(([src], i) => join(gen, `${i}.o`));
    await Promise.all(sources.map(([src, flags], i) => run(cc, [...flags, ...defines, ...includes, '-c', src, '-o', objects[i]], dir)));
    const binary = join(dir, 'infer_bench');
    await run(cc, ['-o', binary, ...objects, '-lm'], dir);
    return { binary, dir, cc, ccVersion, wasm2cVersion, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
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
    const out = await run(bench.binary, [work, String(cases.length), String(minMs), String(runs)], work);
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
