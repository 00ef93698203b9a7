// The correctness part of `npm run bench:infer` on a few small person_detect layers: the plain
// C reference kernels and the aot build of the runner module (wasm2c + cc against the project's
// runtime) give the Wasm module's bytes under V8, and the same work counts. No timing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/build/asc.ts';
import { importTfliteBytes } from '../tools/model/import.ts';
import { readGrayBmp } from '../tools/model/bmp.ts';
import {
  buildNativeBench, checkNative, firstDifference, prepareLayers, runNativeBench,
  type LayerCase, type NativeBench,
} from '../tools/bench/infer-harness.ts';

const MODELS = join(ROOT, '..', 'shared', 'models');
const file = (name: string) => new Uint8Array(readFileSync(join(MODELS, name)));

describe('bench:infer correctness (C reference and aot vs the Wasm module)', () => {
  let cases: LayerCase[];
  let native: NativeBench & { dispose(): void };

  beforeAll(async () => {
    const model = importTfliteBytes(file('person_detect.tflite'), 'person_detect.tflite');
    const all = await prepareLayers(model, readGrayBmp(file('person.bmp'), 'person.bmp').pixels);
    // A depthwise conv, a 1x1 conv, the average pool, the reshape and the softmax at the tail.
    cases = all.filter((c) => c.index >= 25);
    native = await buildNativeBench();
  }, 120_000);
  afterAll(() => native?.dispose());

  it('picks the small tail layers', () => {
    expect(cases.map((c) => c.opName)).toEqual(['DEPTHWISE_CONV_2D', 'CONV_2D', 'AVERAGE_POOL_2D', 'CONV_2D', 'RESHAPE', 'SOFTMAX']);
    expect(Array.from(cases.at(-1)!.expected, (b) => (b << 24) >> 24)).toEqual([-113, 113]);
  });

  it('C reference == Wasm output and aot == Wasm output, byte for byte', async () => {
    const results = await runNativeBench(native, cases, 0, 1);
    results.forEach((r, i) => {
      const c = cases[i];
      expect(firstDifference(c.expected, r.refOutput), `layer ${c.index} ref`).toBeNull();
      expect(firstDifference(c.expected, r.aotOutput), `layer ${c.index} aot`).toBeNull();
      expect([r.refWork, r.aotWork], `layer ${c.index} work`).toEqual([c.work, c.work]);
    });
    expect(() => checkNative(cases, results)).not.toThrow();
  });

  it('a changed byte is reported loudly', async () => {
    const results = await runNativeBench(native, cases.slice(0, 1), 0, 1);
    const wrong = { ...cases[0], expected: cases[0].expected.slice() };
    wrong.expected[7] ^= 1;
    expect(() => checkNative([wrong], results)).toThrow(/layer 25 \(DEPTHWISE_CONV_2D\): aot output differs from V8: byte 7/);
  });
});
