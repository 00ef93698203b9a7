// Golden vectors and the JavaScript replay host.
//
// A golden vector (test/vectors/golden/*.json) is a script for one node: its id, config,
// random seed and blobs, and what happens to it when (frames from neighbours, link events,
// submits, state dumps), plus the lines a host prints for it. The replay host below runs a
// node module through such a script with exactly the semantics of the C firmware shell
// (hal/shell/myco_shell.c) over the replay shim (hal/replay/myco_replay_shim.c): the same
// virtual clock, the same order of calls, the same text lines (lines.ts). So a C image
// (native, QEMU, a board) that plays the vector must print the very lines it prints here.

import type { NodeExports as SimNodeExports } from '../../host-sim/node.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ABI_VERSION, InitError, InspectWhat, LogLevel, NO_DEADLINE, SendError, WifiError } from '../wire/abi.ts';
import { encodeConfig, type NodeConfig } from '../wire/config.ts';
import { formatEmit, formatLog, formatNote, formatReport, formatSend } from './lines.ts';

export type ScriptEvent =
  | { t: number; kind: 'frame'; peer: number; rssi: number; hex: string }
  | { t: number; kind: 'link'; event: number; peer: number; hex?: string }
  | { t: number; kind: 'submit'; submit: number; hex: string }
  | { t: number; kind: 'report' };

export interface VectorBlob {
  id: number;
  /** Where the bytes came from, for readers. */
  source: string;
  base64: string;
}

export interface GoldenVector {
  name: string;
  description: string;
  node: number;
  /** Seed of the xorshift32 behind `hal.rand` (0 counts as 1). */
  seed: number;
  /** Longest frame the radio takes; longer sends get SEND_TOO_LONG. */
  mtu: number;
  /** The node stops (and dumps its state) at this time. */
  end_ms: number;
  config: NodeConfig;
  blobs: VectorBlob[];
  events: ScriptEvent[];
  /** What the JavaScript host printed for it, with the memory budget of `board`. */
  expect: { board: string; budget: number; engine: string; lines: string[] };
}

export const GOLDEN_DIR = 'test/vectors/golden';

export function loadVectors(dir: string): GoldenVector[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as GoldenVector);
}

export const fromHex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const blobBytes = (b: VectorBlob): Uint8Array => new Uint8Array(Buffer.from(b.base64, 'base64'));

/** Bytes an event hands the node (a frame, submit data, link data). */
export function eventBytes(e: ScriptEvent): Uint8Array {
  return e.kind === 'report' ? new Uint8Array(0) : fromHex(e.hex ?? '');
}

// The shell's constants (myco_shell.c).
const MAX_DELAY_MS = 0x40000000;

/** The simulator's view of the exports, and the ABI global the shell reads first. */
interface NodeExports extends SimNodeExports {
  ABI_VERSION: WebAssembly.Global;
}

/** hal.panic unwinds the module; the shell turns it into a failure. */
class Panic extends Error {}
/** A (pointer, length) outside the backed memory: the C imports trap on it. */
class BufferFault extends Error {}

export interface ReplayOptions {
  /** Bytes of linear memory the C image backs (the board's wasm_memory_budget). */
  budget: number;
  /** The engine name the C image reports in its ready line. */
  engine?: string;
  /** Told of every frame the radio took (the recording network forwards it). */
  onSend?: (dst: number, bytes: Uint8Array, now: number) => void;
  /**
   * A sensor channel's bytes at `now` (ms), for the recording network's sensor nodes; without it
   * every channel answers -1, as the C replay shim does, so a vector's subject has no sensor.
   */
  sensor?: (channel: number, now: number) => Uint8Array | null;
}

export interface ReplaySetup {
  node: number;
  seed: number;
  mtu: number;
  end_ms: number;
  config: NodeConfig;
  blobs: Map<number, Uint8Array>;
}

type State = 'running' | 'stopped' | 'refused' | 'failed';

/**
 * One node under the shell's event loop, driven by a script that may still grow while it
 * runs (replay-net.ts appends the frames its neighbours send), as long as nothing is added
 * before the node's current time.
 */
export class ReplayHost {
  readonly lines: string[] = [];
  /** The script so far, in time order; events at one time keep the order they were added in. */
  readonly script: ScriptEvent[] = [];
  now = 0;
  state: State = 'running';
  private next = 0;
  private deadline = 0;
  private hasDeadline = false;
  private exp!: NodeExports;
  private inbox = 0;
  private inboxSize = 0;
  private outbox = 0;
  private heapTop = 0;
  private failure: string | null = null;
  private rand: number;
  private readonly engine: string;

  constructor(
    module: WebAssembly.Module,
    readonly setup: ReplaySetup,
    private readonly opts: ReplayOptions,
  ) {
    this.rand = setup.seed >>> 0 || 1;
    this.engine = opts.engine ?? 'aot';
    this.start(module);
  }

  /** Adds a script event; it must not lie before the node's present. */
  add(e: ScriptEvent): void {
    if (e.t < this.now && this.state === 'running') throw new Error(`node ${this.setup.node}: event at ${e.t} ms added at ${this.now} ms`);
    let at = this.script.length;
    while (at > this.next && this.script[at - 1].t > e.t) at--;
    this.script.splice(at, 0, e);
  }

  private print(line: string): void {
    this.lines.push(line);
  }

  // ---- the shell (myco_shell.c) ---------------------------------------------------------

  private fail(why: string): void {
    if (this.failure === null) this.failure = why;
  }

  private call<T>(name: string, fn: () => T): T | 0 {
    if (this.failure !== null) return 0;
    try {
      return fn();
    } catch (e) {
      if (e instanceof Panic || e instanceof BufferFault || e instanceof WebAssembly.RuntimeError) {
        this.fail(`${name}: ${(e as Error).message}`);
        return 0;
      }
      throw e;
    }
  }

  private refuse(why: string): void {
    this.print(formatNote(LogLevel.Error, why));
    this.state = 'refused';
    this.print('refused');
  }

  private start(module: WebAssembly.Module): void {
    const instance = new WebAssembly.Instance(module, { hal: this.hal() });
    this.exp = instance.exports as unknown as NodeExports;
    const version = Number(this.exp.ABI_VERSION.value);
    if (version !== ABI_VERSION) return this.refuse(`module ABI version ${version}, this host speaks ABI version ${ABI_VERSION}`);
    this.inbox = this.call('inbox', () => this.exp.inbox() >>> 0);
    this.inboxSize = this.call('inbox_size', () => this.exp.inbox_size() >>> 0);
    if (this.failure !== null) return this.panic();
    if (this.inboxSize < 256 || this.inbox + this.inboxSize > this.backed()) {
      return this.refuse(
        `inbox of ${this.inboxSize} bytes at ${this.inbox} does not fit the memory budget of ${this.opts.budget} bytes (or is under 256 bytes)`,
      );
    }
    const cfg = encodeConfig(this.setup.config);
    if (cfg.length > this.inboxSize) return this.refuse('config blob does not fit the inbox');
    this.memory().set(cfg, this.inbox);
    const rc = this.call('init', () => this.exp.init(this.setup.node, cfg.length));
    if (this.failure !== null) return this.panic();
    if (rc !== 0) {
      const what =
        rc === InitError.MalformedConfig ? 'malformed'
        : rc === InitError.OutOfRange ? 'a value out of range'
        : rc === InitError.AlreadyInitialised ? 'already initialised'
        : 'unknown error';
      return this.refuse(`init refused the config: ${what} (${rc})`);
    }
    this.outbox = this.call('outbox', () => this.exp.outbox() >>> 0);
    this.heapTop = this.call('heap_top', () => this.exp.heap_top() >>> 0);
    if (this.failure !== null) return this.panic();
    if (this.heapTop > this.opts.budget) {
      return this.refuse(`heap top ${this.heapTop} after init exceeds the Wasm memory budget of ${this.opts.budget} bytes`);
    }
    this.print(`ready id=${this.setup.node} abi=${ABI_VERSION} engine=${this.engine} heap_top=${this.heapTop} budget=${this.opts.budget} restarts=0`);
    this.tick(this.now);
  }

  /** The shell gives up at the first failure here (no restarts), through the shim's panic. */
  private panic(): void {
    this.print(`panic ${this.failure!.slice(0, 200)}`);
    this.state = 'failed';
  }

  private checkHeap(after: string): void {
    const top = this.call('heap_top', () => this.exp.heap_top() >>> 0);
    if (this.failure === null && top !== this.heapTop) {
      this.fail(`heap top moved from ${this.heapTop} to ${top} in ${after} (nothing may allocate after init)`);
    }
  }

  private tick(now: number): void {
    let delay = this.call('tick', () => this.exp.tick(now >>> 0) >>> 0);
    this.checkHeap('tick');
    this.hasDeadline = delay !== NO_DEADLINE;
    if (delay > MAX_DELAY_MS) delay = MAX_DELAY_MS;
    // "As soon as possible" is the next millisecond, as in the shell.
    if (delay === 0) delay = 1;
    this.deadline = (now + delay) >>> 0;
  }

  private reportModule(what: number): void {
    const len = this.call('inspect', () => this.exp.inspect(what) >>> 0);
    if (len === 0) return;
    if (this.outbox + len > this.backed()) {
      this.print(formatNote(LogLevel.Warn, `inspect(${what}) returned ${len} bytes past the end of memory`));
      return;
    }
    for (const line of formatReport(what, this.memory().slice(this.outbox, this.outbox + len))) this.print(line);
  }

  private report(): void {
    this.reportModule(InspectWhat.Neighbours);
    this.reportModule(InspectWhat.Routes);
    this.reportModule(InspectWhat.Counters);
    // The shell's own counters come after the module's.
    this.print('counter shell.restart=0');
  }

  /** When the node acts next: now if a tick is due, else its next wake-up (Infinity once stopped). */
  nextActionTime(): number {
    if (this.state !== 'running') return Infinity;
    if (this.failure !== null) return this.now;
    if (this.hasDeadline && ((this.now - this.deadline) | 0) >= 0) return this.now;
    const timeout = this.hasDeadline ? (this.deadline - this.now) >>> 0 : Infinity;
    const e = this.script[this.next];
    const wake = this.now + timeout;
    if (e && e.t <= wake && e.t <= this.setup.end_ms) return Math.max(this.now, e.t);
    return Math.min(wake, this.setup.end_ms);
  }

  /** One turn of the shell's event loop. */
  step(): void {
    if (this.state !== 'running') return;
    if (this.failure !== null) return this.panic();
    if (this.hasDeadline && ((this.now - this.deadline) | 0) >= 0) {
      this.tick(this.now);
      return;
    }
    this.wait(this.hasDeadline ? (this.deadline - this.now) >>> 0 : NO_DEADLINE);
  }

  /** Runs the script to its end. */
  run(): string[] {
    while (this.state === 'running') this.step();
    return this.lines;
  }

  /** myco_shim_wait and the shell's handling of what it returns. */
  private wait(timeout: number): void {
    const e = this.script[this.next];
    const wake = timeout === NO_DEADLINE ? Infinity : this.now + timeout;
    if (e && e.t <= wake && e.t <= this.setup.end_ms) {
      this.next++;
      if (e.t > this.now) this.now = e.t;
      const bytes = eventBytes(e);
      if (bytes.length > this.inboxSize) return; // the radio driver drops it
      this.memory().set(bytes, this.inbox);
      if (e.kind === 'frame') {
        this.call('on_frame', () => this.exp.on_frame(e.peer, bytes.length, e.rssi));
        this.checkHeap('on_frame');
        this.tick(this.now);
      } else if (e.kind === 'link') {
        this.call('on_link', () => this.exp.on_link(e.event, e.peer));
        this.checkHeap('on_link');
        this.tick(this.now);
      } else if (e.kind === 'submit') {
        const result = this.call('submit', () => this.exp.submit(e.submit, bytes.length));
        this.checkHeap('submit');
        if (this.failure === null) this.print(`submit kind=${e.submit} result=${result}`);
        this.tick(this.now);
      } else {
        this.report();
      }
      return;
    }
    if (wake > this.setup.end_ms) {
      this.now = this.setup.end_ms;
      this.report();
      if (this.failure !== null) this.print(formatNote(LogLevel.Warn, `while stopping: ${this.failure}`));
      this.state = 'stopped';
      this.print('stopped reason=end');
      return;
    }
    this.now = wake;
  }

  // ---- the replay shim's HAL (myco_imports.c over myco_replay_shim.c) -------------------

  private memory(): Uint8Array {
    return new Uint8Array(this.exp.memory.buffer);
  }

  /** Bytes the C runtime backs: the module's pages, at most the budget (myco_wasm_rt.c). */
  private backed(): number {
    return Math.min(this.exp.memory.buffer.byteLength, this.opts.budget);
  }

  /** The C imports check every (pointer, length) against the backed memory. */
  private span(ptr: number, len: number): Uint8Array {
    if (ptr + len > this.backed()) {
      throw new BufferFault(`trap: a hal import was given a buffer outside the ${this.backed()} bytes of linear memory`);
    }
    return this.memory().subarray(ptr, ptr + len);
  }

  private nextRand(): number {
    let x = this.rand;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.rand = x;
    return x;
  }

  private hal(): Record<string, (...args: number[]) => number | void> {
    return {
      now_ms: () => this.now >>> 0,
      send: (dst, ptr, len) => {
        const frame = this.span(ptr >>> 0, len >>> 0).slice();
        dst >>>= 0;
        if (dst === 0 || dst > 0xffff) return SendError.BadDestination;
        if (frame.length > this.setup.mtu) return SendError.TooLong;
        this.print(formatSend(dst, frame));
        this.opts.onSend?.(dst, frame, this.now);
        return 0;
      },
      rand: () => this.nextRand(),
      log: (level, ptr, len) => this.print(formatLog(level >>> 0, this.span(ptr >>> 0, len >>> 0))),
      emit: (kind, ptr, len) => this.print(formatEmit(kind >>> 0, this.span(ptr >>> 0, len >>> 0))),
      sensor: (channel, ptr, max) => {
        const out = this.span(ptr >>> 0, max >>> 0);
        const data = this.opts.sensor?.(channel >>> 0, this.now);
        if (!data) return -1;
        const n = Math.min(data.length, out.length);
        out.set(data.subarray(0, n));
        return n;
      },
      blob_read: (id, offset, ptr, len) => {
        const out = this.span(ptr >>> 0, len >>> 0);
        const blob = this.setup.blobs.get(id >>> 0);
        if (!blob) return -1;
        if (offset >>> 0 > blob.length) return -2;
        const part = blob.subarray(offset >>> 0, (offset >>> 0) + (len >>> 0));
        out.set(part);
        return part.length;
      },
      accel: (_op, inPtr, inLen, outPtr, outLen) => {
        this.span(inPtr >>> 0, inLen >>> 0);
        this.span(outPtr >>> 0, outLen >>> 0);
        return -1;
      },
      compute: () => {},
      wifi: () => WifiError.NotAvailable,
      panic: (code, ptr, len) => {
        const text = Array.from(this.memory().subarray(ptr >>> 0, (ptr >>> 0) + Math.min(len >>> 0, 120)), (c) =>
          c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?',
        ).join('');
        throw new Panic(`module panic (code ${code >>> 0}): ${text}`);
      },
    };
  }
}

export function setupOf(v: GoldenVector): ReplaySetup {
  return {
    node: v.node,
    seed: v.seed,
    mtu: v.mtu,
    end_ms: v.end_ms,
    config: v.config,
    blobs: new Map(v.blobs.map((b) => [b.id, blobBytes(b)])),
  };
}

/** The lines a C image prints for `v`, as myco_replay_main.c frames them. */
export function replayVector(module: WebAssembly.Module, v: GoldenVector, opts: ReplayOptions): string[] {
  const host = new ReplayHost(module, setupOf(v), opts);
  for (const e of v.events) host.add(e);
  return [`vector ${v.name}`, ...host.run()];
}

/** A replay image's output split by vector (each from its "vector <name>" line on). */
export function splitReplayOutput(text: string): Map<string, string[]> {
  const byVector = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    const head = /^vector (.+)$/.exec(line);
    if (head) byVector.set(head[1], (current = [line]));
    else if (line.startsWith('replay done ')) current = null;
    else if (current) current.push(line);
  }
  return byVector;
}
