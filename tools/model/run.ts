// Runs a whole Myco model in one process with the AssemblyScript kernels (the same code a
// node runs): firmware/tools/model_runner.ts, compiled to build/model_runner.wasm when a
// firmware source is newer. Activations live in the model's buffers (two, ping-pong, for a
// chain); each layer's weights and int32 arrays are paged in through the HAL's `blob_read`.

import { toolModule } from '../build/tool-module.ts';
import { stubHal } from '../build/stub-hal.ts';
import { ModelError } from './errors.ts';
import { NONE, OPS, tensorBytes, type MycoModel } from './format.ts';

const RUNNER = toolModule('model_runner');
export const RUNNER_ENTRY = RUNNER.entry;
export const RUNNER_WASM = RUNNER.wasm;

/** The runner module, rebuilt first if a firmware source changed. */
export const runnerModule = RUNNER.load;

export interface LayerRun {
  layer: number;
  op: string;
  /** The kernel's own work count (multiply-accumulates of in-image taps, or values). */
  work: number;
  output: Int8Array;
}

export interface RunResult {
  output: Int8Array;
  /** Per layer, when asked for. */
  layers?: LayerRun[];
  /** Bytes the runner reserved: activation buffers, weights and data buffers, record. */
  arenaBytes: number;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Runs `model` on `input` (the input tensor's int8 bytes). */
export async function runModel(model: MycoModel, input: Uint8Array | Int8Array, options: { keepLayers?: boolean } = {}): Promise<RunResult> {
  const inBytes = tensorBytes(model.tensors[model.input]);
  if (input.length !== inBytes) {
    throw new ModelError(`input is ${input.length} bytes; the model's input tensor [${model.tensors[model.input].shape}] takes ${inBytes}`);
  }
  let memory: WebAssembly.Memory | undefined;
  const imports = stubHal(() => memory!, {
    blobRead: (id, offset, len) => {
      const blob = model.blobs[id];
      if (!blob) return -1;
      if (offset > blob.length) return -2;
      return blob.subarray(offset, offset + len);
    },
  });
  const instance = await WebAssembly.instantiate(await runnerModule(), imports);
  memory = instance.exports.memory as WebAssembly.Memory;
  const x = instance.exports as unknown as {
    reserve(bytes: number): number;
    run_layer(op: number, params: number, mask: number, input: number, input2: number, output: number, outLen: number,
      filterBlob: number, filterBuf: number, filterLen: number, dataBlob: number, dataBuf: number, dataLen: number): number;
  };

  const maxBlob = (pick: (l: MycoModel['layers'][number]) => number) =>
    Math.max(0, ...model.layers.map((l) => (pick(l) === NONE ? 0 : model.blobs[pick(l)].length)));
  const maxParams = Math.max(0, ...model.layers.map((l) => l.params.length));
  const sizes = [...model.slots.map(align8), align8(maxBlob((l) => l.filterBlob)), align8(maxBlob((l) => l.dataBlob)), align8(maxParams)];
  const arenaBytes = sizes.reduce((a, b) => a + b, 0);
  const base = x.reserve(Math.max(arenaBytes, 8)) >>> 0;
  const starts: number[] = [];
  sizes.reduce((at, s) => { starts.push(at); return at + s; }, base);
  const slotAt = starts.slice(0, model.slots.length);
  const [filterBuf, dataBuf, paramsBuf] = starts.slice(model.slots.length);
  const mem = () => new Uint8Array(memory!.buffer);
  const tensorAt = (t: number) => slotAt[model.tensors[t].slot];

  mem().set(new Uint8Array(input.buffer, input.byteOffset, input.length), tensorAt(model.input));
  const layers: LayerRun[] = [];
  model.layers.forEach((l, i) => {
    mem().set(l.params, paramsBuf);
    const outLen = tensorBytes(model.tensors[l.output]);
    const work = x.run_layer(
      l.op, paramsBuf, l.relocMask, tensorAt(l.inputs[0]), l.inputs.length > 1 ? tensorAt(l.inputs[1]) : 0,
      tensorAt(l.output), outLen,
      l.filterBlob, filterBuf, l.filterBlob === NONE ? 0 : model.blobs[l.filterBlob].length,
      l.dataBlob, dataBuf, l.dataBlob === NONE ? 0 : model.blobs[l.dataBlob].length,
    );
    if (work < 0) throw new ModelError(`layer ${i} (${OPS[l.op].name}) failed with code ${work}`);
    if (options.keepLayers) {
      layers.push({ layer: i, op: OPS[l.op].name, work: work >>> 0, output: new Int8Array(mem().slice(tensorAt(l.output), tensorAt(l.output) + outLen).buffer) });
    }
  });
  const out = tensorAt(model.output);
  const output = new Int8Array(mem().slice(out, out + tensorBytes(model.tensors[model.output])).buffer);
  return { output, arenaBytes, ...(options.keepLayers ? { layers } : {}) };
}
