// A real TensorFlow Lite runtime in Node, for comparing Myco's runner with it: LiteRT.js
// (@litertjs/core, a devDependency), the LiteRT C++ runtime compiled to WebAssembly, run on
// its CPU ("wasm") path, whose int8 kernels are XNNPACK's.
//
// Nothing of the package is modified. Two things differ from how a browser uses it:
//
// 1. Loading. The package's loadLiteRt() injects the Emscripten glue with a <script> tag or
//    importScripts(), neither of which Node has. The glue itself supports Node (it reads its
//    .wasm beside it with node:fs), but it is a CommonJS/UMD script inside a package marked
//    "type": "module", so require() would refuse it. We compile the file unchanged inside the
//    ordinary CommonJS wrapper (vm.compileFunction with exports, require, module, __filename,
//    __dirname), call its ModuleFactory and give the module to the package's exported LiteRt
//    class. The .wasm file is picked as the package's own loader does: the relaxed-SIMD build
//    where supportsFeature('relaxedSimd') says so, the "compat" build otherwise (Node 20).
//    No globals are set.
//
// 2. int8 tensors. The package's JS Tensor / CompiledModel classes only map float32, int32 and
//    uint8 (its DATATYPES table), and a CompiledModel whose inputs or outputs are int8 cannot
//    even be constructed. So this harness drives the Wasm module's bindings directly
//    (liteRt.liteRtWasm: loadModel, compileModel, LiteRtTensorBuffer.createManaged, run), the
//    same calls the package's loadAndCompile() and CompiledModel.run() make, with the model's
//    own int8 tensor types.
//
// Model files: the full runtime is stricter than TFLite Micro about two things real models
// carry, so `forLiteRt` rewrites a copy of the bytes in place (same size, same layout):
// - a -1 in a `shape_signature` (hello_world declares a dynamic batch) gets the size the
//   tensor's `shape` has there (1); otherwise the runtime reports that dimension as -1 and
//   no input buffer can be made;
// - a 1-D bias tensor whose `quantized_dimension` is not 0 (person_detect's fourteen int32
//   biases carry 3, see the models README) gets 0; the runtime rejects the file otherwise.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { ByteBuffer } from 'flatbuffers';
import { LiteRt, supportsFeature } from '@litertjs/core';

type LiteRtWasm = LiteRt['liteRtWasm'];

const require = createRequire(import.meta.url);
const WASM_DIR = join(dirname(require.resolve('@litertjs/core/package.json')), 'wasm');

/** LiteRT's ElementType.INT8 (litert_model_types.h; the package's ElementType enum). */
const INT8 = 9;

let loaded: Promise<LiteRt> | undefined;
let environment: ReturnType<LiteRtWasm['LiteRtEnvironment']['create']> | undefined;

/** The runtime's own log lines (INFO/WARNING/ERROR), kept for error messages instead of printed. */
const log: string[] = [];
const keep = (line: string) => { log.push(line); if (log.length > 40) log.shift(); };

/** Loads LiteRT.js's Wasm runtime once per process (offline, from node_modules). */
export function loadLiteRtNode(): Promise<LiteRt> {
  loaded ??= (async () => {
    const file = join(WASM_DIR, (await supportsFeature('relaxedSimd'))
      ? 'litert_wasm_internal.js' : 'litert_wasm_compat_internal.js');
    const wrapper = vm.compileFunction(readFileSync(file, 'utf8'),
      ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
    const module = { exports: {} as unknown };
    wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
    const factory = module.exports as (arg?: object) => Promise<LiteRtWasm>;
    if (typeof factory !== 'function') throw new Error(`${file}: no ModuleFactory exported`);
    // Emscripten's Module.print / printErr: where the runtime's stdout / stderr lines go.
    return new LiteRt(await factory({ print: keep, printErr: keep }));
  })();
  return loaded;
}

/** Which LiteRT build loadLiteRtNode picked. */
export async function liteRtBuild(): Promise<string> {
  return (await supportsFeature('relaxedSimd')) ? 'litert_wasm_internal (relaxed SIMD)' : 'litert_wasm_compat_internal';
}

/** The runtime's recent log lines (for instance whether the XNNPACK delegate was created). */
export function liteRtLog(): string[] { return [...log]; }

export interface LiteRtInt8Model {
  inputShapes: number[][];
  outputShapes: number[][];
  /** Runs the model's first signature on int8 inputs; returns its int8 outputs. */
  run(inputs: Int8Array[]): Promise<Int8Array[]>;
  dispose(): void;
}

function dims(type: { layout(): { dimensions(): { size(): number; get(i: number): number; delete(): void }; delete(): void } }): number[] {
  const layout = type.layout();
  const v = layout.dimensions();
  const out = Array.from({ length: v.size() }, (_, i) => v.get(i));
  v.delete();
  layout.delete();
  return out;
}

/** Loads and compiles a .tflite whose inputs and outputs are all int8, on LiteRT's CPU path. */
export async function compileInt8(bytes: Uint8Array): Promise<LiteRtInt8Model> {
  const liteRt = await loadLiteRtNode();
  const w = liteRt.liteRtWasm;
  const env = (environment ??= w.LiteRtEnvironment.create(null));
  const ptr = w._malloc(bytes.byteLength);
  w.HEAPU8.set(bytes, ptr);
  log.length = 0;
  let model: ReturnType<LiteRtWasm['loadModel']>;
  let compiled: Awaited<ReturnType<LiteRtWasm['compileModel']>>;
  try {
    model = w.loadModel(env, ptr, bytes.byteLength);
    // As the package's fillCompileOptions() with accelerator 'wasm', on one thread.
    compiled = await w.compileModel(env, model,
      { accelerator: 'wasm', cpuOptions: { numThreads: 1 }, gpuOptions: {}, webNNOptions: {} } as Parameters<LiteRtWasm['compileModel']>[2]);
  } catch (e) {
    w._free(ptr);
    throw new Error(`LiteRT could not compile the model: ${String(e)}\n${log.join('\n')}`);
  }
  const sig = model.getSignature(0);
  const nIn = sig.inputNames().size();
  const nOut = sig.outputNames().size();
  sig.delete();
  const types = (n: number, get: (i: number) => ReturnType<typeof model.getInputTensorType>) =>
    Array.from({ length: n }, (_, i) => {
      const t = get(i);
      const e = t.elementType().value;
      const shape = dims(t);
      t.delete();
      if (e !== INT8) throw new Error(`tensor ${i} has element type ${e}, not int8`);
      if (shape.some((d) => d < 0)) throw new Error(`tensor ${i} has a dynamic shape [${shape}] (see forLiteRt)`);
      return shape;
    });
  const inputShapes = types(nIn, (i) => model.getInputTensorType(0, i));
  const outputShapes = types(nOut, (i) => model.getOutputTensorType(0, i));

  async function run(inputs: Int8Array[]): Promise<Int8Array[]> {
    if (inputs.length !== nIn) throw new Error(`expected ${nIn} inputs, got ${inputs.length}`);
    const buffers = inputs.map((data, i) => {
      const type = model.getInputTensorType(0, i);
      if (type.bytes() !== data.byteLength) {
        type.delete();
        throw new Error(`input ${i}: ${data.byteLength} bytes, the model wants ${type.bytes()}`);
      }
      const buf = w.LiteRtTensorBuffer.createManaged(env, w.LiteRtTensorBufferType.HOST_MEMORY, type, data.byteLength);
      const req = compiled.getInputBufferRequirements(0, i);
      w.checkTensorBufferCompatible(buf, type, req);
      req.delete();
      type.delete();
      const at = buf.lock(w.LiteRtTensorBufferLockMode.WRITE);
      try { w.HEAPU8.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at); } finally { buf.unlock(); }
      return buf;
    });
    try {
      const outs = await compiled.run(0, buffers);
      return outs.map((buf) => {
        try {
          const type = buf.tensorType();
          const e = type.elementType().value;
          type.delete();
          if (e !== INT8) throw new Error(`output has element type ${e}, not int8`);
          if (buf.size() !== buf.packedSize() || buf.offset() !== 0) throw new Error('strided output');
          const at = buf.lock(w.LiteRtTensorBufferLockMode.READ);
          try { return new Int8Array(w.HEAPU8.slice(at, at + buf.packedSize()).buffer); } finally { buf.unlock(); }
        } finally { buf.delete(); }
      });
    } finally {
      for (const b of buffers) b.delete();
    }
  }

  return {
    inputShapes, outputShapes, run,
    dispose() { compiled.delete(); model.delete(); w._free(ptr); },
  };
}

/**
 * A copy of a .tflite with the two rewrites the full runtime needs (see the top of this
 * file): shape_signature -1 -> the size `shape` has there, and 1-D bias quantized_dimension -> 0. Only existing
 * scalar fields are overwritten, so the buffer keeps its size and layout.
 */
export function forLiteRt(tflite: Uint8Array): { bytes: Uint8Array; signatures: number; biasDims: number } {
  const bytes = new Uint8Array(tflite);
  const bb = new ByteBuffer(bytes);
  // Flatbuffers table access by slot (schema.fbs field order).
  const field = (table: number, slot: number) => { const o = bb.__offset(table, 4 + 2 * slot); return o ? table + o : 0; };
  const deref = (at: number) => at + bb.readUint32(at);
  const vector = (table: number, slot: number) => {
    const f = field(table, slot);
    if (!f) return { n: 0, at: 0 };
    const v = deref(f);
    return { n: bb.readUint32(v), at: v + 4 };
  };
  // Model: subgraphs = slot 2. SubGraph: tensors = slot 0. Tensor: shape 0, type 1,
  // quantization 4, shape_signature 7. QuantizationParameters: quantized_dimension 6.
  const TENSOR_TYPE_INT32 = 2;
  let signatures = 0, biasDims = 0;
  const root = deref(0);
  const subgraphs = vector(root, 2);
  for (let s = 0; s < subgraphs.n; s++) {
    const tensors = vector(deref(subgraphs.at + 4 * s), 0);
    for (let t = 0; t < tensors.n; t++) {
      const tensor = deref(tensors.at + 4 * t);
      const shape = vector(tensor, 0);
      const sig = vector(tensor, 7);
      for (let k = 0; k < sig.n && k < shape.n; k++) {
        if (bb.readInt32(sig.at + 4 * k) === -1) { bb.writeInt32(sig.at + 4 * k, bb.readInt32(shape.at + 4 * k)); signatures++; }
      }
      const typeField = field(tensor, 1);
      const type = typeField ? bb.readInt8(typeField) : 0;
      const q = field(tensor, 4);
      if (shape.n === 1 && type === TENSOR_TYPE_INT32 && q) {
        const qd = field(deref(q), 6);
        if (qd && bb.readInt32(qd) !== 0) { bb.writeInt32(qd, 0); biasDims++; }
      }
    }
  }
  return { bytes, signatures, biasDims };
}
