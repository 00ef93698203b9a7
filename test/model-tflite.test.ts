// The TFLite reader and importer on the real int8 models in ../shared/models: what they read,
// the errors for unsupported operators and types, and fuzzing (truncations, byte flips) that
// must end in a ModelError or a valid model, never another exception.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/build/asc.ts';
import { xorshift32 } from '../tools/build/stub-hal.ts';
import { ModelError } from '../tools/model/errors.ts';
import { builtinName, readTflite } from '../tools/model/tflite.ts';
import { importTflite, importTfliteBytes, SUPPORTED_LIST } from '../tools/model/import.ts';
import { OPS, recordOf } from '../tools/model/format.ts';

const MODELS = join(ROOT, '..', 'shared', 'models');
const load = (name: string) => new Uint8Array(readFileSync(join(MODELS, name)));

describe('TFLite reader', () => {
  it('reads person_detect: operators, shapes, per-channel quantisation', () => {
    const m = readTflite(load('person_detect.tflite'), 'person_detect.tflite');
    const sg = m.subgraphs[0];
    const ops = sg.operators.map((o) => builtinName(m.operatorCodes[o.opcodeIndex].builtinCode));
    expect(ops.filter((o) => o === 'CONV_2D')).toHaveLength(14);
    expect(ops.filter((o) => o === 'DEPTHWISE_CONV_2D')).toHaveLength(14);
    expect(ops.slice(-3)).toEqual(['CONV_2D', 'RESHAPE', 'SOFTMAX']);
    expect(sg.tensors[sg.inputs[0]].shape).toEqual([1, 96, 96, 1]);
    expect(sg.tensors[sg.outputs[0]].shape).toEqual([1, 2]);
    const first = sg.operators[0];
    expect(first.options).toMatchObject({ kind: 'depthwise', strideH: 2, strideW: 2, depthMultiplier: 8, activation: 3, padding: 0 });
    const filter = sg.tensors[first.inputs[1]];
    expect(filter.quantization!.scale).toHaveLength(8);
    expect(filter.quantization!.quantizedDimension).toBe(3);
    // the known quirk: 1-D int32 bias with quantized_dimension 3
    expect(sg.tensors[first.inputs[2]].quantization!.quantizedDimension).toBe(3);
    const pool = sg.operators[27];
    expect(pool.options).toMatchObject({ kind: 'pool2d', filterH: 3, filterW: 3, strideH: 2, padding: 1 });
    expect(sg.operators[30].options).toEqual({ kind: 'softmax', beta: 1 });
  });

  it('reads micro_speech and hello_world', () => {
    const ms = readTflite(load('micro_speech_quantized.tflite'));
    expect(ms.subgraphs[0].operators.map((o) => builtinName(ms.operatorCodes[o.opcodeIndex].builtinCode)))
      .toEqual(['RESHAPE', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX']);
    const hw = readTflite(load('hello_world_int8.tflite'));
    expect(hw.subgraphs[0].operators.map((o) => builtinName(hw.operatorCodes[o.opcodeIndex].builtinCode)))
      .toEqual(['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED']);
    expect(hw.subgraphs[0].operators[0].options).toMatchObject({ kind: 'fullyConnected', activation: 1, weightsFormat: 0 });
  });

  it('rejects non-TFLite input with a clear message', () => {
    expect(() => readTflite(new Uint8Array(4), 'x.tflite')).toThrow(/x\.tflite: too short/);
    expect(() => readTflite(new TextEncoder().encode('hello, this is not a model'), 'x.tflite')).toThrow(/not a TensorFlow Lite model/);
  });
});

describe('import', () => {
  it('imports the three models with TFLite Micro parameters', () => {
    const pd = importTfliteBytes(load('person_detect.tflite'));
    expect(pd.layers).toHaveLength(31);
    expect(pd.slots).toHaveLength(2); // a chain: ping-pong
    const first = recordOf(pd.layers[0]);
    expect(first).toMatchObject({ inH: 96, outH: 48, outC: 8, depthMultiplier: 8, padH: 0, inputOffset: 1, outputOffset: -128, actMin: -128, actMax: 127 });
    expect(OPS[pd.layers[27].op].name).toBe('AVERAGE_POOL_2D');
    const hw = importTfliteBytes(load('hello_world_int8.tflite'));
    expect(recordOf(hw.layers[0])).toMatchObject({ batches: 1, inDepth: 1, outDepth: 16, inputOffset: 128, filterOffset: 0, outputOffset: -128, multipliers: 0 });
    const ms = importTfliteBytes(load('micro_speech_quantized.tflite'));
    expect(recordOf(ms.layers[2])).toMatchObject({ batches: 1, inDepth: 4000, outDepth: 4 });
    expect(recordOf(ms.layers[3])).toMatchObject({ rows: 1, depth: 4 });
  });

  it('names an unsupported operator, its index and the supported list', () => {
    const m = readTflite(load('micro_speech_quantized.tflite'), 'ms.tflite');
    m.operatorCodes[m.subgraphs[0].operators[3].opcodeIndex].builtinCode = 114; // QUANTIZE
    let message = '';
    try { importTflite(m); } catch (e) { expect(e).toBeInstanceOf(ModelError); message = (e as Error).message; }
    expect(message).toBe(`ms.tflite: operator 3 is QUANTIZE, which Myco cannot import; supported operators: ${SUPPORTED_LIST}`);
    expect(SUPPORTED_LIST).toContain('CONV_2D');
  });

  it('names unsupported tensor types and shapes', () => {
    const m = readTflite(load('hello_world_int8.tflite'), 'hw.tflite');
    m.subgraphs[0].tensors[m.subgraphs[0].operators[1].outputs[0]].type = 0; // FLOAT32 activation
    expect(() => importTflite(m)).toThrow(/hw\.tflite: operator 1 \(FULLY_CONNECTED\): tensor \d+ "[^"]*" is FLOAT32; activations must be INT8/);
    const w = readTflite(load('hello_world_int8.tflite'), 'hw.tflite');
    w.subgraphs[0].tensors[w.subgraphs[0].operators[2].inputs[1]].type = 7; // INT16 weights
    expect(() => importTflite(w)).toThrow(/operator 2 \(FULLY_CONNECTED\): weights tensor \d+ "[^"]*" is INT16; INT8 is supported/);
    const s = readTflite(load('person_detect.tflite'), 'pd.tflite');
    s.subgraphs[0].tensors[s.subgraphs[0].operators[0].outputs[0]].shape = [1, 47, 48, 8];
    expect(() => importTflite(s)).toThrow(/operator 0 \(DEPTHWISE_CONV_2D\): output is 47x48, but SAME padding gives 48x48/);
  });
});

describe('fuzz: corrupt and truncated .tflite files', () => {
  const attempt = (bytes: Uint8Array, what: string) => {
    try {
      importTfliteBytes(bytes, 'fuzz.tflite');
    } catch (e) {
      if (!(e instanceof ModelError)) throw new Error(`${what}: ${(e as Error)?.stack ?? e}`);
      expect((e as Error).message.startsWith('fuzz.tflite: ')).toBe(true);
    }
  };

  for (const name of ['hello_world_int8.tflite', 'micro_speech_quantized.tflite', 'person_detect.tflite']) {
    it(`${name}: truncations`, () => {
      const bytes = load(name);
      const next = xorshift32(7);
      const cuts = new Set([0, 1, 4, 7, 8, 12, 16, 32, 64, 100, bytes.length - 1]);
      for (let i = 0; i < 150; i++) cuts.add(next() % bytes.length);
      let rejected = 0;
      for (const cut of cuts) {
        try { importTfliteBytes(bytes.subarray(0, cut), 'fuzz.tflite'); } catch (e) {
          expect(e, `cut at ${cut}`).toBeInstanceOf(ModelError);
          rejected++;
        }
      }
      expect(rejected).toBe(cuts.size); // every truncation is noticed
    });

    it(`${name}: byte flips`, () => {
      const bytes = load(name);
      const next = xorshift32(11);
      const flips = name.startsWith('person') ? 400 : 1500;
      for (let i = 0; i < flips; i++) {
        const copy = bytes.slice();
        // Mostly the FlatBuffer structure (the first and last KiB hold vtables and offsets), some anywhere.
        const region = i % 3 === 0 ? next() % copy.length : i % 3 === 1 ? next() % Math.min(1024, copy.length) : copy.length - 1 - (next() % Math.min(2048, copy.length));
        const at = region;
        copy[at] ^= 1 << (next() % 8);
        if (i % 5 === 0) copy[(at + 1) % copy.length] = next() & 0xff;
        attempt(copy, `flip at ${at}`);
      }
    });
  }
});
