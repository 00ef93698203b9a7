// The split planner (tools/model/split.ts, docs/steps.md): steps that fit each board's budget
// and balance compute, explicit cut points checked with clear errors, and `myco model split`.

import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../tools/build/asc.ts';
import { loadBoards } from '../host-sim/boards.ts';
import { importTfliteBytes } from '../tools/model/import.ts';
import { encodeModel, type MycoModel } from '../tools/model/format.ts';
import { cutProblem, planSplit, stepMemory, type BoardBudget } from '../tools/model/split.ts';
import { nodeHeapTop } from '../tools/model/split-cli.ts';
import { main } from '../tools/cli/main.ts';

const MODELS = join(ROOT, '..', 'shared', 'models');
const boards = loadBoards();
const ESP32 = boards.get('esp32')!;
const RP2040 = boards.get('elasticnode-v5')!;
let pd: MycoModel;
let heap: number;

beforeAll(async () => {
  pd = importTfliteBytes(new Uint8Array(readFileSync(join(MODELS, 'person_detect.tflite'))), 'person_detect.tflite');
  heap = await nodeHeapTop();
});

/** The best largest-step work over every way of cutting, by brute force (small N). */
function bruteForce(model: MycoModel, n: number, fits: (k: number, a: number, b: number) => boolean): number {
  const L = model.layers.length;
  const work = (a: number, b: number) => model.layers.slice(a, b + 1).reduce((s, l) => s + l.macs, 0);
  let best = Infinity;
  const go = (k: number, start: number, worst: number) => {
    if (k === n - 1) {
      if (fits(k, start, L - 1)) best = Math.min(best, Math.max(worst, work(start, L - 1)));
      return;
    }
    for (let end = start; end < L - (n - k - 1); end++) {
      if (cutProblem(model, end + 1) || !fits(k, start, end)) continue;
      go(k + 1, end + 1, Math.max(worst, work(start, end)));
    }
  };
  go(0, 0, 0);
  return best;
}

describe('planSplit', () => {
  it('proposes steps for 3, 4 and 6 nodes that cover the model, fit, and minimise the largest step', () => {
    for (const mix of [[ESP32, ESP32, RP2040], [ESP32, RP2040, ESP32, RP2040], [ESP32, RP2040, ESP32, RP2040, ESP32, RP2040]]) {
      const plan = planSplit(pd, mix, { nodeHeapTop: heap });
      expect(plan.steps.map((s) => s.board)).toEqual(mix.map((b) => b.name));
      expect(plan.steps[0].first).toBe(0);
      expect(plan.steps[plan.steps.length - 1].last).toBe(pd.layers.length - 1);
      plan.steps.forEach((s, k) => {
        if (k > 0) expect(s.first).toBe(plan.steps[k - 1].last + 1);
        expect(s.memory.total).toBeLessThanOrEqual(s.budget);
        expect(s.memory.node).toBe(heap);
      });
      expect(plan.totalMacs).toBe(pd.layers.reduce((a, l) => a + l.macs, 0));
      expect(plan.crossing).toEqual(plan.cuts.map((c) => plan.steps.find((s) => s.first === c)!.inputBytes));
      if (mix.length <= 4) {
        const fits = (k: number, a: number, b: number) => stepMemory(pd, a, b, heap).total <= mix[k].wasm_memory_budget;
        expect(plan.maxMacs).toBe(bruteForce(pd, mix.length, fits));
      }
    }
  });

  it('keeps every step within a tight budget by moving the cuts', () => {
    const free = planSplit(pd, [ESP32, ESP32], { nodeHeapTop: heap });
    // A second node just too small for the unconstrained second step forces another cut.
    const tight: BoardBudget = { name: 'tight', wasm_memory_budget: free.steps[1].memory.total - 1 };
    const plan = planSplit(pd, [ESP32, tight], { nodeHeapTop: heap });
    expect(plan.cuts).not.toEqual(free.cuts);
    plan.steps.forEach((s) => expect(s.memory.total).toBeLessThanOrEqual(s.budget));
  });

  it('checks explicit cut points: count, order, range, and the budget per step', () => {
    const plan = planSplit(pd, [ESP32, ESP32, RP2040], { at: [5, 20], nodeHeapTop: heap });
    expect(plan.steps.map((s) => [s.first, s.last])).toEqual([[0, 4], [5, 19], [20, 30]]);
    expect(() => planSplit(pd, [ESP32, ESP32], { at: [5, 20], nodeHeapTop: heap })).toThrow(/2 cut points for 2 nodes; give 1/);
    expect(() => planSplit(pd, [ESP32, ESP32, ESP32], { at: [20, 5], nodeHeapTop: heap })).toThrow(/must increase: 20 then 5/);
    expect(() => planSplit(pd, [ESP32, ESP32], { at: [31], nodeHeapTop: heap })).toThrow(/cut 31 is outside 1\.\.30/);
    const small: BoardBudget = { name: 'small', wasm_memory_budget: heap + 30_000 };
    expect(() => planSplit(pd, [ESP32, small], { at: [2], nodeHeapTop: heap })).toThrow(/step 1 \(layers 2\.\.30\) needs \d+ bytes on board small \(budget \d+\): \d+ bytes over/);
  });

  it('refuses a model no node can hold a layer of, naming the layer and the shortfall', () => {
    const esp8266 = boards.get('esp8266')!;
    expect(() => planSplit(pd, [esp8266, esp8266], { nodeHeapTop: heap })).toThrow(/layer 0 \(DEPTHWISE_CONV_2D\) alone needs \d+ bytes .* bytes short/);
    expect(() => planSplit(pd, Array(40).fill(ESP32), { nodeHeapTop: heap })).toThrow(/40 nodes but only 31 layers/);
  });
});

describe('myco model split', () => {
  const cli = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stderr: process.stderr });
    return { code, out, err };
  };

  it('prints the plan; bad boards, cuts and budgets are errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myco-split-'));
    const file = join(dir, 'pd.myco');
    writeFileSync(file, encodeModel(pd));
    const r = await cli('model', 'split', file, '--nodes', 'esp32,esp32,rp2040');
    expect(r.code).toBe(0);
    for (const word of ['3 steps', 'elasticnode-v5', 'working memory', 'budget', 'cuts at layers', 'crossing']) expect(r.out).toContain(word);
    const at = await cli('model', 'split', file, '--nodes', 'esp32,esp32', '--at', '27');
    expect(at.code).toBe(0);
    expect(at.out).toContain('27..30');
    expect((await cli('model', 'split', file, '--nodes', 'esp32,nosuch')).code).toBe(2);
    expect((await cli('model', 'split', file)).code).toBe(2);
    expect((await cli('model', 'split', file, '--nodes', 'esp32,esp32', '--at', 'x')).code).toBe(2);
    const tooSmall = await cli('model', 'split', file, '--nodes', 'esp8266');
    expect(tooSmall.code).toBe(1);
    expect(tooSmall.err).toMatch(/^myco: layer \d+ .* alone needs/);
  });
});
