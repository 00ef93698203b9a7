// The golden vectors on a Cortex-M0+ image (arm-none-eabi-gcc, newlib) under QEMU's mps2-an385
// with semihosting: the firmware shell, the aot engine, the module translated by wasm2c and
// the replay shim as they would run on the RP2040 of an Elastic Node v5, with its memory
// budget. Every line must be the JavaScript host's.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProgram } from '../host-sim/program.ts';
import { buildApps } from '../tools/build/wasm.ts';
import { buildReplay, type ReplayImage } from '../tools/firmware/cross.ts';
import { ROOT } from '../tools/firmware/native.ts';
import { runQemu, type QemuRun } from '../tools/firmware/qemu.ts';
import { GOLDEN_DIR, loadVectors, replayVector, splitReplayOutput, type GoldenVector } from '../tools/firmware/replay.ts';

const outDir = mkdtempSync(join(tmpdir(), 'myco-qemu-'));
let module: WebAssembly.Module;
let vectors: GoldenVector[];
let image: ReplayImage;
let run: QemuRun;

beforeAll(async () => {
  await buildApps('release');
  module = loadProgram(join(ROOT, 'build/node.wasm')).module;
  vectors = loadVectors(join(ROOT, GOLDEN_DIR));
  image = await buildReplay({ target: 'cortex-m0plus', vectors, outDir });
  run = await runQemu(image.image, 50_000);
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('golden vectors on QEMU (Cortex-M0+ image, elasticnode-v5)', () => {
  it('the image is built for the RP2040 board and its budget', () => {
    expect(image.board.name).toBe('elasticnode-v5');
    expect(image.board.budget).toBe(163840);
  });

  it('runs every vector and exits cleanly through semihosting', () => {
    expect(run.timedOut, run.stderr).toBe(false);
    expect(run.status, `${run.stdout.slice(-2000)}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain(`replay done vectors=${vectors.length} failed=0`);
  });

  it('prints exactly the lines of the JavaScript host', () => {
    const got = splitReplayOutput(run.stdout);
    for (const v of vectors) {
      expect(got.get(v.name), `output of vector ${v.name}`).toEqual(replayVector(module, v, { budget: image.board.budget }));
    }
  });

  it('stays within its stack reserve', () => {
    const m = /^stack_used=(\d+) of (\d+)$/m.exec(run.stdout);
    expect(m, run.stdout.slice(-500)).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(Number(m![2]));
  });
});
