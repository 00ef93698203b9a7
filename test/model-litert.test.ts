// Myco's runner against a real TensorFlow Lite runtime: LiteRT.js (LiteRT compiled to
// WebAssembly, CPU path with XNNPACK; test/helpers/litert.ts) runs the unchanged .tflite files
// (with the two header rewrites of forLiteRt) and Myco runs the same files imported with
// `--arithmetic tflite`; the int8 outputs must agree bit for bit. How far `--arithmetic tflm`
// (TFLite Micro's arithmetic) is from LiteRT on the same inputs is printed, not asserted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/build/asc.ts';
import { xorshift32 } from '../tools/build/stub-hal.ts';
import { importTfliteBytes } from '../tools/model/import.ts';
import { decodeModel, encodeModel, type Arithmetic, type MycoModel } from '../tools/model/format.ts';
import { runModel, runnerModule } from '../tools/model/run.ts';
import { readGrayBmp } from '../tools/model/bmp.ts';
import { compileInt8, forLiteRt, liteRtBuild, liteRtLog, loadLiteRtNode, type LiteRtInt8Model } from './helpers/litert.ts';

const MODELS = join(ROOT, '..', 'shared', 'models');
const file = (name: string) => new Uint8Array(readFileSync(join(MODELS, name)));
const load = (name: string, arithmetic: Arithmetic): MycoModel =>
  decodeModel(encodeModel(importTfliteBytes(file(name), name, { arithmetic })), name);
const image = (name: string) => new Int8Array(readGrayBmp(file(name), name).pixels.buffer);

const compiled: LiteRtInt8Model[] = [];
async function liteRt(name: string): Promise<LiteRtInt8Model> {
  const m = await compileInt8(forLiteRt(file(name)).bytes);
  compiled.push(m);
  return m;
}

beforeAll(async () => { await Promise.all([runnerModule(), loadLiteRtNode()]); }, 120_000);
afterAll(() => { for (const m of compiled) m.dispose(); });

/**
 * Runs every input through LiteRT and through Myco in both arithmetics; expects `tflite`
 * to equal LiteRT exactly and reports how many outputs `tflm` differs in (and by how much).
 */
async function compare(name: string, inputs: Int8Array[]): Promise<void> {
  const rt = await liteRt(name);
  const viaTflite = load(name, 'tflite');
  const viaTflm = load(name, 'tflm');
  let tflmInputs = 0, tflmValues = 0, tflmMax = 0, values = 0;
  const distinct = new Set<string>();
  for (const [i, input] of inputs.entries()) {
    const [want] = await rt.run([input]);
    distinct.add(want.join());
    const got = (await runModel(viaTflite, input)).output;
    expect(Array.from(got), `${name}, input ${i}: --arithmetic tflite vs LiteRT`).toEqual(Array.from(want));
    const micro = (await runModel(viaTflm, input)).output;
    let differs = false;
    micro.forEach((v, k) => {
      values++;
      if (v !== want[k]) { differs = true; tflmValues++; tflmMax = Math.max(tflmMax, Math.abs(v - want[k])); }
    });
    if (differs) tflmInputs++;
  }
  // The inputs must exercise the model, not all land on one saturated output.
  expect(distinct.size, `${name}: distinct LiteRT outputs`).toBeGreaterThan(Math.min(inputs.length, 4) - 1);
  console.log(`${name}: --arithmetic tflite = LiteRT (${await liteRtBuild()}) on all ${inputs.length} inputs ` +
    `(${distinct.size} distinct outputs); ` +
    `--arithmetic tflm differs on ${tflmInputs} inputs (${tflmValues} of ${values} output values, by at most ${tflmMax})`);
}

describe('LiteRT.js runs the models (int8 in, int8 out, XNNPACK on CPU)', () => {
  it('loads offline and takes the models as Myco reads them', async () => {
    const hello = await liteRt('hello_world_int8.tflite');
    expect(hello.inputShapes).toEqual([[1, 1]]);
    expect(hello.outputShapes).toEqual([[1, 1]]);
    expect(liteRtLog().join('\n')).toContain('XNNPACK delegate');
    const speech = await liteRt('micro_speech_quantized.tflite');
    expect(speech.inputShapes).toEqual([[1, 1960]]);
    expect(speech.outputShapes).toEqual([[1, 4]]);
  });

  it('needs the header rewrites: hello_world declares a dynamic batch, person_detect 1-D biases quantized_dimension 3', async () => {
    const hello = forLiteRt(file('hello_world_int8.tflite'));
    expect(hello.signatures).toBeGreaterThan(0);
    expect(hello.biasDims).toBe(0);
    expect(hello.bytes.length).toBe(file('hello_world_int8.tflite').length);
    const pd = forLiteRt(file('person_detect.tflite'));
    expect(pd.biasDims).toBe(14);
    await expect(compileInt8(file('person_detect.tflite'))).rejects.toThrow(/quantized_dimension/);
    // The rewrites touch nothing Myco reads differently: the imports are equal.
    for (const name of ['hello_world_int8.tflite', 'person_detect.tflite']) {
      const a = encodeModel(importTfliteBytes(file(name), name, { arithmetic: 'tflite' }));
      const b = encodeModel(importTfliteBytes(forLiteRt(file(name)).bytes, name, { arithmetic: 'tflite' }));
      expect(Buffer.from(b).equals(Buffer.from(a)), name).toBe(true);
    }
  });
});

describe('Myco --arithmetic tflite equals LiteRT bit for bit', () => {
  it('hello_world_int8 on all 256 inputs', async () => {
    await compare('hello_world_int8.tflite', Array.from({ length: 256 }, (_, v) => Int8Array.of(v - 128)));
  });

  it('micro_speech_quantized on 20 seeded random inputs and 3 constant ones', async () => {
    const next = xorshift32(2024);
    const inputs = [new Int8Array(1960).fill(-128), new Int8Array(1960).fill(127), new Int8Array(1960)];
    for (let i = 0; i < 20; i++) inputs.push(Int8Array.from({ length: 1960 }, () => (next() & 0xff) - 128));
    await compare('micro_speech_quantized.tflite', inputs);
  });

  it('person_detect on person.bmp and no_person.bmp: [-113, 113] and [60, -60]', async () => {
    const rt = await liteRt('person_detect.tflite');
    expect(Array.from((await rt.run([image('person.bmp')]))[0])).toEqual([-113, 113]);
    expect(Array.from((await rt.run([image('no_person.bmp')]))[0])).toEqual([60, -60]);
    await compare('person_detect.tflite', [image('person.bmp'), image('no_person.bmp')]);
  });
});
