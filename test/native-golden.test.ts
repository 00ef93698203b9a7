// Golden vectors (test/vectors/golden): scripts recorded from real exchanges in the JavaScript
// replay host, played by the C firmware shell + aot engine (wasm2c) + replay shim built with
// the machine's cc. Both must print the very same lines; the checked-in vectors must be what
// the current module records (npm run firmware:golden rewrites them).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProgram } from '../host-sim/program.ts';
import { buildApps } from '../tools/build/wasm.ts';
import { buildReplay, type ReplayImage } from '../tools/firmware/cross.ts';
import { GOLDEN_BOARD, helloWorldModel, recordVectors, vectorFile, vectorJson } from '../tools/firmware/golden.ts';
import { boardBudget, ROOT } from '../tools/firmware/native.ts';
import { blobBytes, fromHex, GOLDEN_DIR, loadVectors, replayVector, splitReplayOutput, type GoldenVector } from '../tools/firmware/replay.ts';
import { decodeModel } from '../tools/model/format.ts';
import { runModel } from '../tools/model/run.ts';
import { SubmitKind } from '../tools/wire/abi.ts';
import { decodeFrame, isDropped, MsgType } from '../tools/wire/frame.ts';

const outDir = mkdtempSync(join(tmpdir(), 'myco-golden-'));
const budget = boardBudget(GOLDEN_BOARD);
let module: WebAssembly.Module;
let vectors: GoldenVector[];
let image: ReplayImage;

beforeAll(async () => {
  await buildApps('release');
  module = loadProgram(join(ROOT, 'build/node.wasm')).module;
  vectors = loadVectors(join(ROOT, GOLDEN_DIR));
  image = await buildReplay({ target: 'native', vectors, outDir });
}, 180_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const vector = (name: string) => {
  const v = vectors.find((x) => x.name === name);
  expect(v, `vector ${name}`).toBeDefined();
  return v!;
};

/** Message types of the frames a vector hands its node, with who sent them. */
function framesIn(v: GoldenVector): { type: number; from: number }[] {
  return v.events.flatMap((e) => {
    if (e.kind !== 'frame') return [];
    const f = decodeFrame(fromHex(e.hex));
    expect(isDropped(f), `a recorded frame from ${e.peer} decodes`).toBe(false);
    return isDropped(f) ? [] : [{ type: f.type, from: e.peer }];
  });
}

const has = (lines: string[], re: RegExp) => lines.some((l) => re.test(l));

describe('golden vectors', () => {
  it('are what the current module records (else: npm run firmware:golden)', () => {
    const fresh = recordVectors(module);
    expect(fresh.map((v) => v.name).sort()).toEqual(vectors.map((v) => v.name));
    for (const v of fresh) {
      const file = vectorFile(join(ROOT, GOLDEN_DIR), v);
      expect(readFileSync(file, 'utf8') === vectorJson(v), `${file} is stale: run npm run firmware:golden`).toBe(true);
    }
  });

  it('their expected lines are the JavaScript host replaying them', () => {
    for (const v of vectors) {
      expect(v.expect.budget).toBe(budget);
      expect(replayVector(module, v, { budget: v.expect.budget })).toEqual(v.expect.lines);
    }
  });

  it('routing: recorded HELLO and ROUTE_UPDATE frames from both neighbours, pings, a routed exchange and a broken link', () => {
    const v = vector('routing');
    const frames = framesIn(v);
    for (const from of [1, 3]) {
      expect(frames.some((f) => f.type === MsgType.Hello && f.from === from)).toBe(true);
      expect(frames.some((f) => f.type === MsgType.RouteUpdate && f.from === from)).toBe(true);
    }
    expect(v.events.some((e) => e.kind === 'link')).toBe(true);
    const lines = v.expect.lines;
    for (const re of [
      /^emit neighbour_up id=1$/,
      /^emit ping_rtt peer=3 /,
      /^emit routed_rtt peer=4 seq=\d+ rtt_ms=\d+ hops=2$/,
      /^emit send_done msg=\d+ dst=4 status=0$/,
      /^emit delivered src=4 msg=\d+ payload=[0-9a-f]+$/,
      /^emit neighbour_down id=1$/,
      /^route dest=4 next=3 seq=\d+ metric=32 /,
      /^route dest=1 next=1 seq=\d+ metric=65535 /,
      /^counter link.tx.fail=1$/,
      /^send dst=65535 bytes=/,
    ]) {
      expect(has(lines, re), String(re)).toBe(true);
    }
    // Two dumps: the one asked for midway and the one at the end.
    expect(lines.filter((l) => l.startsWith('inspect routes ')).length).toBe(2);
  });

  it('inference: hello_world from flash gives the reference outputs', async () => {
    const v = vector('inference');
    const model = decodeModel(blobBytes(v.blobs.find((b) => b.id === v.config.infer_model_blob)!));
    expect(blobBytes(v.blobs[0])).toEqual(helloWorldModel());
    // Every input that started a run, in order: inline ones and the one from a blob.
    const results = v.expect.lines.filter((l) => l.startsWith('submit kind=')).map((l) => Number(/result=(-?\d+)/.exec(l)![1]));
    const submits = v.events.filter((e) => e.kind === 'submit');
    const inputs = submits
      .filter((_, i) => results[i] === 0)
      .map((e) => {
        const data = fromHex(e.kind === 'submit' ? e.hex : '');
        if (e.kind === 'submit' && e.submit === SubmitKind.InferBlob) {
          const id = new DataView(data.buffer).getUint32(0, true);
          return blobBytes(v.blobs.find((b) => b.id === id)!);
        }
        return data;
      });
    expect(results).toContain(-7); // busy: a run was under way
    expect(results).toContain(-2); // not the input's size
    const outputs = v.expect.lines.filter((l) => l.startsWith('emit infer_output '));
    expect(outputs.length).toBe(inputs.length);
    for (const [i, input] of inputs.entries()) {
      const ref = await runModel(model, new Int8Array(input.buffer, input.byteOffset, input.length));
      const want = Buffer.from(ref.output.buffer, ref.output.byteOffset, ref.output.length).toString('hex');
      expect(outputs[i]).toBe(`emit infer_output first=0 last=2 run=${i + 1} status=0 output=${want}`);
    }
  });

  it('orchestration: REQUEST, ACCEPT, PACKAGE and RELEASE frames answered, results emitted', () => {
    const v = vector('orchestration');
    const types = new Set(framesIn(v).map((f) => f.type));
    for (const t of [MsgType.OrchRequest, MsgType.OrchAccept, MsgType.OrchPackage, MsgType.OrchAck, MsgType.OrchRelease]) {
      expect(types.has(t), `frame type 0x${t.toString(16)}`).toBe(true);
    }
    const lines = v.expect.lines;
    expect(lines.filter((l) => /^emit orch_result origin=\d+ counter=\d+ next=0 last=2 target=2 /.test(l)).length).toBe(2);
    expect(has(lines, /^emit orch_trace .* event=4 peer=1$/)).toBe(true); // taken from the origin
    expect(has(lines, /^emit orch_steps mask=3 by=2 cause=0$/)).toBe(true);
    expect(has(lines, /^submit kind=7 result=[1-9]\d*$/)).toBe(true);
    expect(has(lines, /^counter orch.fail=0$/)).toBe(true);
  });
});

describe('the native C image', () => {
  it('prints exactly the lines of the JavaScript host for every vector', () => {
    const run = spawnSync(image.image, [], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`replay done vectors=${vectors.length} failed=0`);
    const got = splitReplayOutput(run.stdout);
    for (const v of vectors) {
      expect(got.get(v.name), `output of vector ${v.name}`).toEqual(replayVector(module, v, { budget }));
    }
  });

  it('plays only the vectors named on its command line', () => {
    const run = spawnSync(image.image, ['inference'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect([...splitReplayOutput(run.stdout).keys()]).toEqual(['inference']);
    expect(run.stdout).toContain('replay done vectors=1 failed=0');
  });

  it('runs every vector within the esp8266 budget it was built for', () => {
    expect(image.board.budget).toBe(24576);
    for (const v of vectors) {
      const ready = /^ready id=\d+ abi=1 engine=aot heap_top=(\d+) budget=24576 /.exec(v.expect.lines.find((l) => l.startsWith('ready ')) ?? '');
      expect(ready, v.name).not.toBeNull();
      expect(Number(ready![1])).toBeLessThanOrEqual(24576);
    }
  });
});
