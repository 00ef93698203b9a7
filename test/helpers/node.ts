// A node program instance driven directly from a test, with typed helpers over its ABI.

import { encodeConfig, type NodeConfig } from '../../tools/wire/config.ts';
import { decodeCounters, decodeNeighbours } from '../../tools/wire/inspect.ts';
import { InspectWhat, SubmitKind } from '../../tools/wire/abi.ts';
import type { HalHooks } from '../../tools/build/stub-hal.ts';
import { instantiate, type Loaded } from './wasm.ts';

export class TestNode {
  private constructor(readonly id: number, readonly m: Loaded) {}

  static async create(wasm: Uint8Array, id: number, config: NodeConfig = {}, hooks: HalHooks = {}): Promise<TestNode> {
    const node = new TestNode(id, await instantiate(wasm, hooks));
    const rc = node.init(config);
    if (rc !== 0) throw new Error(`init of node ${id} returned ${rc}`);
    return node;
  }

  /** A loaded but uninitialised instance, for testing `init` itself. */
  static async raw(wasm: Uint8Array, hooks: HalHooks = {}): Promise<TestNode> {
    return new TestNode(0, await instantiate(wasm, hooks));
  }

  get ex() {
    return this.m.exports;
  }

  init(config: NodeConfig | Uint8Array, id = this.id): number {
    const blob = config instanceof Uint8Array ? config : encodeConfig(config);
    this.m.write(this.ex.inbox(), blob);
    return this.ex.init(id, blob.length);
  }

  frame(src: number, bytes: Uint8Array, rssi = -50): void {
    this.m.write(this.ex.inbox(), bytes);
    this.ex.on_frame(src, bytes.length, rssi);
  }

  /** Hands over `len` bytes without writing them: whatever the inbox holds is the frame. */
  frameLen(src: number, len: number, rssi = -50): void {
    this.ex.on_frame(src, len, rssi);
  }

  tick(now: number): number {
    return this.ex.tick(now >>> 0) >>> 0;
  }

  submitPing(dst: number): number {
    const data = new Uint8Array([dst & 0xff, dst >> 8]);
    this.m.write(this.ex.inbox(), data);
    return this.ex.submit(SubmitKind.Ping, 2);
  }

  /** Writes `data` into the inbox and submits it as `kind`; the module's result. */
  submit(kind: number, data: Uint8Array): number {
    this.m.write(this.ex.inbox(), data);
    return this.ex.submit(kind, data.length);
  }

  counters(): Record<string, number> {
    const len = this.ex.inspect(InspectWhat.Counters);
    return decodeCounters(this.m.bytes(this.ex.outbox(), len));
  }

  neighbours() {
    const len = this.ex.inspect(InspectWhat.Neighbours);
    return decodeNeighbours(this.m.bytes(this.ex.outbox(), len)).sort((a, b) => a.id - b.id);
  }

  heapTop(): number {
    return this.ex.heap_top() >>> 0;
  }
}
