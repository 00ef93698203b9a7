// `npm run firmware:golden`: records the golden vectors (test/vectors/golden/*.json) from the
// JavaScript side. Each scenario runs a few nodes under the replay host (replay-net.ts) so
// the frames are real ones, keeps what one node received, and stores it with the lines the
// replay host prints for that node alone. A C image that plays a vector must print the same
// lines (test/native-golden.test.ts, test/native-qemu.test.ts). `--check` only compares.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadProgram } from '../../host-sim/program.ts';
import { SubmitKind } from '../wire/abi.ts';
import type { NodeConfig } from '../wire/config.ts';
import { encodeModel } from '../model/format.ts';
import { importTfliteBytes } from '../model/import.ts';
import { boardBudget, DEFAULT_WASM, ROOT } from './native.ts';
import { GOLDEN_DIR, replayVector, type GoldenVector } from './replay.ts';
import { ReplayNet } from './replay-net.ts';
import { encodeReading } from '../../host-sim/sensors.ts';

/** The budget the expected lines are recorded with: the strictest board. */
export const GOLDEN_BOARD = 'esp8266';
export const MODELS_DIR = resolve(ROOT, '..', 'shared', 'models');
const HELLO_WORLD = 'hello_world_int8.tflite';
const MTU = 250;

const u16 = (...v: number[]) => Uint8Array.from(v.flatMap((x) => [x & 0xff, (x >> 8) & 0xff]));
const u32 = (v: number) => Uint8Array.from([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const text = (s: string) => new TextEncoder().encode(s);

interface Scenario {
  name: string;
  description: string;
  subject: number;
  endMs: number;
  /** Builds and runs the network; returns it with the subject's config, seed and blobs. */
  record(module: WebAssembly.Module, budget: number): { net: ReplayNet; config: NodeConfig; seed: number; blobs: { id: number; source: string; bytes: Uint8Array }[] };
}

const seedOf = (id: number) => 1000 + id;

/** The hello_world sine model in Myco's format: small enough to live in any board's flash. */
export function helloWorldModel(): Uint8Array {
  const file = join(MODELS_DIR, HELLO_WORLD);
  if (!existsSync(file)) throw new Error(`${file} not found: the golden inference vector is made from it`);
  return encodeModel(importTfliteBytes(new Uint8Array(readFileSync(file)), HELLO_WORLD));
}

const ROUTING: Scenario = {
  name: 'routing',
  description:
    'Node 2 in a line 1-2-3-4: hellos and routing updates from its neighbours 1 and 3, a one-hop ping to 3, ' +
    'a routed ping and a reliable message to 4, a message from 4, then the link to 1 breaks (a failed unicast, ' +
    'neighbour 1 times out); neighbour, route and counter dumps midway and at the end.',
  subject: 2,
  endMs: 5000,
  record(module, budget) {
    const endMs = this.endMs;
    const config: NodeConfig = { hello_interval_ms: 200, neighbour_timeout_ms: 1000, trickle_imin_ms: 100, log_level: 2 };
    const net = new ReplayNet(module, { latencyMs: 2, mtu: MTU, endMs, budget });
    for (const id of [1, 2, 3, 4]) net.add({ id, seed: seedOf(id), config });
    net.link(1, 2, -48);
    net.link(2, 3, -55);
    net.link(3, 4, -61);
    net.submit(2, 1500, SubmitKind.Ping, u16(3));
    net.submit(2, 1800, SubmitKind.Ping, u16(4));
    net.submit(2, 2100, SubmitKind.Send, cat(u16(4), Uint8Array.of(1), text('golden routing')));
    net.submit(2, 2400, SubmitKind.Ping, u16(1));
    net.submit(4, 2600, SubmitKind.Send, cat(u16(2), Uint8Array.of(1), text('reply from 4')));
    net.report(2, 2800);
    net.cut(1, 2, 3000);
    net.submit(2, 3200, SubmitKind.Ping, u16(1));
    net.run();
    return { net, config, seed: seedOf(2), blobs: [] };
  },
};

const MODEL_BLOB = 1;
const INPUT_BLOB = 2;

const INFERENCE: Scenario = {
  name: 'inference',
  description:
    'Node 1 holds the whole hello_world int8 model (3 FULLY_CONNECTED layers, weights read from flash with blob_read) ' +
    'as its step, sliced 100 MACs a tick: inputs submitted inline and from a blob, one while a run is under way ' +
    '(busy) and one of the wrong size, each run ending in INFER_OUTPUT.',
  subject: 1,
  endMs: 1500,
  record(module, budget) {
    const model = helloWorldModel();
    const input = Int8Array.of(-3);
    const blobs = new Map([
      [MODEL_BLOB, model],
      [INPUT_BLOB, new Uint8Array(input.buffer)],
    ]);
    const config: NodeConfig = {
      hello_interval_ms: 1000,
      infer_step: 1,
      infer_model_blob: MODEL_BLOB,
      infer_first_layer: 0,
      infer_last_layer: 2,
      infer_slice_macs: 100,
    };
    const net = new ReplayNet(module, { latencyMs: 2, mtu: MTU, endMs: this.endMs, budget });
    net.add({ id: 1, seed: seedOf(1), config, blobs });
    const infer = (t: number, v: number) => net.submit(1, t, SubmitKind.Infer, Uint8Array.of(v & 0xff));
    infer(100, -128);
    infer(101, 0); // the first run is still going: busy
    infer(300, 0);
    infer(500, 64);
    infer(700, 127);
    net.submit(1, 900, SubmitKind.Infer, Uint8Array.of(1, 2)); // not the input's size
    net.submit(1, 1100, SubmitKind.InferBlob, cat(u32(INPUT_BLOB), u32(1)));
    net.run();
    return {
      net,
      config,
      seed: seedOf(1),
      blobs: [
        { id: MODEL_BLOB, source: `${HELLO_WORLD} (TensorFlow Lite Micro) converted by tools/model/import.ts`, bytes: model },
        { id: INPUT_BLOB, source: 'one int8 input', bytes: blobs.get(INPUT_BLOB)! },
      ],
    };
  },
};

const ORCHESTRATION: Scenario = {
  name: 'orchestration',
  description:
    'Node 2 of three fully linked nodes holds step 1 of two (node 3 holds step 2): it answers REQUESTs from ' +
    'origin 1 with ACCEPT, takes the PACKAGE, runs step 1, auctions step 2 to node 3 and receives the result as ' +
    'its target (ORCH_RESULT); then submits packages of its own, loads both steps (ORCH_STEPS) and runs one alone.',
  subject: 2,
  endMs: 5000,
  record(module, budget) {
    const base: NodeConfig = {
      hello_interval_ms: 200,
      neighbour_timeout_ms: 1000,
      orch_enable: 1,
      orch_packages: 3,
      orch_payload_bytes: 64,
      frag_buffer_bytes: 256,
      send_buffers: 2,
      orch_step_cost: 30000,
      orch_slice_cost: 10000,
      orch_request_interval_ms: 100,
      orch_ack_timeout_ms: 200,
    };
    const configs: Record<number, NodeConfig> = {
      1: { ...base, orch_steps: 0 },
      2: { ...base, orch_steps: 0b01, orch_trace: 1 },
      3: { ...base, orch_steps: 0b10 },
    };
    const net = new ReplayNet(module, { latencyMs: 2, mtu: MTU, endMs: this.endMs, budget });
    for (const id of [1, 2, 3]) net.add({ id, seed: seedOf(id), config: configs[id] });
    net.link(1, 2, -45);
    net.link(1, 3, -52);
    net.link(2, 3, -47);
    // target:u16 backup1:u16 backup2:u16 first:u8 last:u8 payload...
    const orch = (target: number, backup: number, first: number, last: number, payload: Uint8Array) =>
      cat(u16(target, backup, 0), Uint8Array.of(first, last), payload);
    net.submit(1, 1500, SubmitKind.Orch, orch(2, 1, 1, 2, text('sixteen bytes!!!')));
    net.submit(2, 2500, SubmitKind.Orch, orch(1, 0, 1, 2, text('from two')));
    net.submit(2, 3500, SubmitKind.OrchSteps, u32(0b11));
    net.submit(2, 3600, SubmitKind.Orch, orch(2, 0, 1, 2, text('both here')));
    net.report(2, 4000);
    net.run();
    return { net, config: configs[2], seed: seedOf(2), blobs: [] };
  },
};

/** A sensor reading as a fusion channel gives it (host-sim/sensors.ts). */
const reading = (value: number, accuracy: number) => encodeReading({ value, accuracy });

const FUSION: Scenario = {
  name: 'fusion',
  description:
    'Node 1 fuses what sensors 2..6 send each 200 ms period (FTI at QoS 1 beside the average, FUSED): 2..5 measure ' +
    'one phenomenon, 6 another; sensor 3 breaks from 2.4 s to 3.6 s; every 8 steps modularity clustering around ' +
    'sensor 2 (FUSE_CLUSTER) leaves 6 out of what is fused.',
  subject: 1,
  endMs: 6000,
  record(module, budget) {
    const base: NodeConfig = { hello_interval_ms: 200, neighbour_timeout_ms: 1000, fuse_period_ms: 200 };
    const fusion: NodeConfig = {
      ...base, fuse_role: 2, fuse_qos: 1, fuse_sensors: 8, fuse_window: 16, fuse_cluster: 2, fuse_reference: 2,
      fuse_cluster_every: 8, fuse_threshold_milli: 600, frag_buffers: 0, send_buffers: 0,
    };
    const net = new ReplayNet(module, { latencyMs: 2, mtu: MTU, endMs: this.endMs, budget });
    net.add({ id: 1, seed: seedOf(1), config: fusion });
    // Deterministic readings: a phenomenon each, a per-sensor offset and error within the accuracy.
    const phenomenon = (id: number, t: number) => (id === 6 ? 50 + 4 * Math.cos(t / 170) : 20 + 3 * Math.sin(t / 300));
    for (const id of [2, 3, 4, 5, 6]) {
      const accuracy = 0.2 + 0.1 * id;
      net.add({
        id, seed: seedOf(id), config: { ...base, fuse_role: 1, fuse_sink: 1 },
        sensor: (channel, t) => {
          if (channel !== 0) return null;
          if (id === 3 && t >= 2400 && t < 3600) return reading(5 + ((t * 7) % 40), accuracy);
          return reading(phenomenon(id, t) + accuracy * Math.sin(t * id), accuracy);
        },
      });
      net.link(1, id, -40 - id);
    }
    net.report(1, 5000);
    net.run();
    return { net, config: fusion, seed: seedOf(1), blobs: [] };
  },
};

export const SCENARIOS: Scenario[] = [ROUTING, INFERENCE, ORCHESTRATION, FUSION];

export class GoldenError extends Error {}

/** Records every scenario into a vector with its expected lines. */
export function recordVectors(module: WebAssembly.Module): GoldenVector[] {
  const budget = boardBudget(GOLDEN_BOARD);
  return SCENARIOS.map((s) => {
    const { net, config, seed, blobs } = s.record(module, budget);
    const v: GoldenVector = {
      name: s.name,
      description: s.description,
      node: s.subject,
      seed,
      mtu: MTU,
      end_ms: s.endMs,
      config,
      blobs: blobs.map((b) => ({ id: b.id, source: b.source, base64: Buffer.from(b.bytes).toString('base64') })),
      events: net.scriptOf(s.subject),
      expect: { board: GOLDEN_BOARD, budget, engine: 'aot', lines: [] },
    };
    v.expect.lines = replayVector(module, v, { budget });
    // Alone, the node must do exactly what it did among its neighbours, or the recorded
    // frames would not be answers to its own.
    const inNet = net.host(s.subject).lines;
    const alone = v.expect.lines.slice(1);
    if (JSON.stringify(inNet) !== JSON.stringify(alone)) {
      throw new GoldenError(`${s.name}: node ${s.subject} replayed alone differs from its run in the network`);
    }
    if (alone.at(-1) !== 'stopped reason=end') throw new GoldenError(`${s.name}: the node did not stop cleanly:\n${alone.slice(-5).join('\n')}`);
    return v;
  });
}

export function vectorFile(dir: string, v: GoldenVector): string {
  return join(dir, `${v.name}.json`);
}

/** One event a line keeps the files readable and their diffs small. */
export function vectorJson(v: GoldenVector): string {
  const { events, expect, ...head } = v;
  const lines = [
    '{',
    ...Object.entries(head).map(([k, val]) => `  ${JSON.stringify(k)}: ${JSON.stringify(val)},`),
    '  "events": [',
    events.map((e) => `    ${JSON.stringify(e)}`).join(',\n'),
    '  ],',
    `  "expect": {"board": ${JSON.stringify(expect.board)}, "budget": ${expect.budget}, "engine": ${JSON.stringify(expect.engine)}, "lines": [`,
    expect.lines.map((l) => `    ${JSON.stringify(l)}`).join(',\n'),
    '  ]}',
    '}',
    '',
  ];
  return lines.join('\n');
}

const USAGE = `usage: npm run firmware:golden -- [--check] [--wasm FILE] [--out DIR]

Records the golden vectors from the JavaScript replay host into ${GOLDEN_DIR}/.

  --check      compare with the files instead of writing them; exit 1 if stale
  --wasm FILE  node module (default ${DEFAULT_WASM})
  --out DIR    folder of the vector files (default ${GOLDEN_DIR})`;

async function main(argv: string[]): Promise<number> {
  let check = false;
  let wasm = DEFAULT_WASM;
  let out = GOLDEN_DIR;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else if (a === '--check') check = true;
    else if (a === '--wasm' && argv[i + 1]) wasm = argv[++i];
    else if (a === '--out' && argv[i + 1]) out = argv[++i];
    else {
      console.error(`unknown argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  const vectors = recordVectors(loadProgram(resolve(ROOT, wasm)).module);
  const dir = resolve(ROOT, out);
  let stale = 0;
  mkdirSync(dir, { recursive: true });
  for (const v of vectors) {
    const file = vectorFile(dir, v);
    const json = vectorJson(v);
    const summary = `${v.name}: ${v.events.length} events, ${v.expect.lines.length} lines`;
    if (check) {
      const same = existsSync(file) && readFileSync(file, 'utf8') === json;
      if (!same) stale++;
      console.log(`${same ? 'up to date' : 'STALE'} ${summary}`);
    } else {
      writeFileSync(file, json);
      console.log(`wrote ${file.slice(ROOT.length + 1)}: ${summary}`);
    }
  }
  if (stale) console.error(`${stale} vector(s) stale: run npm run firmware:golden`);
  return stale ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
