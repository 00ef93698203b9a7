// A few node instances on explicit links with fixed latency, driven by a tiny event loop.
// Enough to test the link layer end to end; the full simulator lives in host-sim.

import { xorshift32, type HalHooks } from '../../tools/build/stub-hal.ts';
import { BROADCAST } from '../../tools/wire/abi.ts';
import type { NodeConfig } from '../../tools/wire/config.ts';
import { TestNode } from './node.ts';

export interface Emitted {
  t: number;
  node: number;
  kind: number;
  bytes: Uint8Array;
}

interface Member {
  node: TestNode;
  due: number;
  on: boolean;
}

interface InFlight {
  t: number;
  from: number;
  to: number;
  bytes: Uint8Array;
}

export class MiniNet {
  now = 0;
  readonly members = new Map<number, Member>();
  readonly emitted: Emitted[] = [];
  readonly sent: { t: number; from: number; dst: number; bytes: Uint8Array }[] = [];
  private readonly links = new Map<string, number>(); // "a-b" -> loss probability
  private queue: InFlight[] = [];
  private readonly loss = xorshift32(99);
  /** Drops a frame copy when it returns true (a test's targeted loss), on top of link loss. */
  dropIf: ((from: number, to: number, bytes: Uint8Array) => boolean) | null = null;

  constructor(private readonly wasm: Uint8Array, readonly latencyMs = 5) {}

  async add(id: number, config: NodeConfig = {}, extra: HalHooks = {}): Promise<TestNode> {
    const node = await TestNode.create(this.wasm, id, config, {
      ...extra,
      now: () => this.now,
      rand: xorshift32(id * 7919),
      send: (dst, bytes) => this.transmit(id, dst, bytes),
      emit: (kind, bytes) => this.emitted.push({ t: this.now, node: id, kind, bytes }),
    });
    this.members.set(id, { node, due: this.now + node.tick(this.now), on: true });
    return node;
  }

  link(a: number, b: number, loss = 0): void {
    this.links.set(a < b ? `${a}-${b}` : `${b}-${a}`, loss);
  }

  private lossOf(a: number, b: number): number | undefined {
    return this.links.get(a < b ? `${a}-${b}` : `${b}-${a}`);
  }

  private transmit(from: number, dst: number, bytes: Uint8Array): number {
    this.sent.push({ t: this.now, from, dst, bytes });
    for (const to of this.members.keys()) {
      if (to === from || (dst !== BROADCAST && dst !== to)) continue;
      const loss = this.lossOf(from, to);
      if (loss === undefined) continue;
      if (loss > 0 && this.loss() / 2 ** 32 < loss) continue;
      if (this.dropIf?.(from, to, bytes)) continue;
      this.queue.push({ t: this.now + this.latencyMs, from, to, bytes });
    }
    return 0;
  }

  /** A switched-off node neither receives nor ticks; switched on, it resumes where it was. */
  power(id: number, on: boolean): void {
    const m = this.members.get(id)!;
    m.on = on;
    if (on) m.due = this.now;
  }

  /** Submits local data at the current time, then asks the node for its next deadline. */
  submit(id: number, kind: number, data: Uint8Array): number {
    const m = this.members.get(id)!;
    const result = m.node.submit(kind, data);
    m.due = this.now + m.node.tick(this.now);
    return result;
  }

  /** Hands `bytes` to node `to` now as if neighbour `from` had sent them (a test's crafted frame). */
  inject(to: number, from: number, bytes: Uint8Array): void {
    const m = this.members.get(to)!;
    m.node.frame(from, bytes, -40 - from);
    m.due = this.now + m.node.tick(this.now);
  }

  node(id: number): TestNode {
    return this.members.get(id)!.node;
  }

  run(untilMs: number): void {
    for (;;) {
      let next = Infinity;
      for (const m of this.members.values()) if (m.on) next = Math.min(next, m.due);
      const frameT = this.queue.reduce((t, f) => Math.min(t, f.t), Infinity);
      const t = Math.min(next, frameT);
      if (t > untilMs) break;
      this.now = t;
      if (frameT <= next) {
        const i = this.queue.findIndex((f) => f.t === frameT);
        const [f] = this.queue.splice(i, 1);
        const m = this.members.get(f.to)!;
        if (m.on) {
          m.node.frame(f.from, f.bytes, -40 - f.from);
          // As a host does: an input may have created work with its own deadline.
          m.due = t + m.node.tick(t);
        }
      } else {
        for (const m of this.members.values()) {
          if (m.on && m.due === t) m.due = t + m.node.tick(t);
        }
      }
    }
    this.now = untilMs;
  }
}
