// The node module (build/node.wasm) under V8 as the routing benchmark drives it: one instance
// per replay, a HAL whose clock is set by the replay, a deterministic `rand` (xorshift32, as
// the C driver's) and a radio that takes every frame. Nothing here is specific to timing: the
// tick schedule, the correctness check and the timed runs all use this class.

import { stubHal, xorshift32 } from '../build/stub-hal.ts';
import { NO_DEADLINE } from '../wire/abi.ts';
import { BenchError } from './native.ts';

interface NodeExports {
  memory: WebAssembly.Memory;
  inbox(): number;
  outbox(): number;
  init(id: number, cfgLen: number): number;
  on_frame(src: number, len: number, rssi: number): void;
  tick(now: number): number;
  inspect(what: number): number;
}

/** `inspect` codes (docs/abi.md, Inspect). */
export const INSPECT = { counters: 0, neighbours: 1, routes: 2 } as const;

/** The events of a replay in flat arrays, so the timed loop touches no objects. */
export interface ReplayEvents {
  /** Milliseconds since boot of each call. */
  times: Uint32Array;
  /** 0 for a tick, else the neighbour a frame came from. */
  srcs: Uint16Array;
  rssis: Int32Array;
  /** The frame of each frame event (empty for a tick). */
  frames: Uint8Array[];
}

export class NodeUnderTest {
  private now = 0;
  private inbox = 0;
  private mem: Uint8Array;

  private constructor(private readonly x: NodeExports) {
    this.mem = new Uint8Array(x.memory.buffer);
    this.inbox = x.inbox() >>> 0;
  }

  static create(module: WebAssembly.Module, seed: number): NodeUnderTest {
    let memory: WebAssembly.Memory | undefined;
    let node: NodeUnderTest | undefined;
    const instance = new WebAssembly.Instance(module, stubHal(() => memory!, { now: () => node!.now, rand: xorshift32(seed) }));
    const x = instance.exports as unknown as NodeExports;
    memory = x.memory;
    node = new NodeUnderTest(x);
    return node;
  }

  /** `init(self, config)` at time 0; throws unless the module accepts it. */
  init(self: number, config: Uint8Array): void {
    this.now = 0;
    this.mem.set(config, this.inbox);
    const result = this.x.init(self, config.length);
    if (result !== 0) throw new BenchError(`init(${self}) returned ${result}`);
    // Memory only grows during init (the module allocates nothing later: docs/abi.md).
    this.mem = new Uint8Array(this.x.memory.buffer);
  }

  frame(t: number, src: number, bytes: Uint8Array, rssi: number): void {
    this.now = t;
    this.mem.set(bytes, this.inbox);
    this.x.on_frame(src, bytes.length, rssi);
  }

  /** `tick(t)`; the time of the next tick the node asks for, or null for none. */
  tick(t: number): number | null {
    this.now = t;
    const wait = this.x.tick(t) >>> 0;
    return wait === NO_DEADLINE ? null : t + Math.max(wait, 1);
  }

  /** Every event in order, as a board's shell would make the calls. */
  replay(ev: ReplayEvents): void {
    const { times, srcs, rssis, frames } = ev;
    const x = this.x;
    const mem = this.mem;
    const inbox = this.inbox;
    for (let i = 0; i < times.length; i++) {
      this.now = times[i];
      const src = srcs[i];
      if (src === 0) {
        x.tick(times[i]);
      } else {
        const f = frames[i];
        mem.set(f, inbox);
        x.on_frame(src, f.length, rssis[i]);
      }
    }
  }

  /** `inspect(what)` at time `t`: a copy of the dump. */
  inspect(what: number, t: number): Uint8Array {
    this.now = t;
    const len = this.x.inspect(what) >>> 0;
    const at = this.x.outbox() >>> 0;
    return new Uint8Array(this.x.memory.buffer, at, len).slice();
  }
}
