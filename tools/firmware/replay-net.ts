// A few nodes, each under the replay host (replay.ts), exchanging real frames over explicit
// links with a fixed latency. It records what one node received, when, so that node's part
// can be replayed alone as a golden vector: its neighbours' frames are the ones they really
// sent in answer to its own, and replaying them gives the node exactly the run it had here.

import { BROADCAST, LinkEvent } from '../wire/abi.ts';
import type { NodeConfig } from '../wire/config.ts';
import { ReplayHost, toHex, type ScriptEvent } from './replay.ts';

export interface NetNode {
  id: number;
  seed: number;
  config: NodeConfig;
  blobs?: Map<number, Uint8Array>;
  /** A sensor node's channels (replay.ts ReplayOptions.sensor). */
  sensor?: (channel: number, now: number) => Uint8Array | null;
}

interface Link {
  rssi: number;
  /** The link is gone from this time on (ms). */
  cutAt: number;
}

export interface NetOptions {
  /** Frame latency in ms, at least 1 (a frame is never received in the ms it was sent). */
  latencyMs: number;
  mtu: number;
  endMs: number;
  budget: number;
}

export class ReplayNet {
  private readonly hosts = new Map<number, ReplayHost>();
  private readonly links = new Map<string, Link>();

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly opts: NetOptions,
  ) {
    if (!(opts.latencyMs >= 1)) throw new Error('latency must be at least 1 ms');
  }

  private key(a: number, b: number): string {
    return a < b ? `${a}-${b}` : `${b}-${a}`;
  }

  add(node: NetNode): ReplayHost {
    const host = new ReplayHost(
      this.module,
      { node: node.id, seed: node.seed, mtu: this.opts.mtu, end_ms: this.opts.endMs, config: node.config, blobs: node.blobs ?? new Map() },
      { budget: this.opts.budget, onSend: (dst, bytes, now) => this.transmit(node.id, dst, bytes, now), sensor: node.sensor },
    );
    if (host.state !== 'running') throw new Error(`node ${node.id} did not start:\n${host.lines.join('\n')}`);
    this.hosts.set(node.id, host);
    return host;
  }

  link(a: number, b: number, rssi = -50): void {
    this.links.set(this.key(a, b), { rssi, cutAt: Infinity });
  }

  /** From `at` on, frames between `a` and `b` are lost and unicasts between them fail. */
  cut(a: number, b: number, at: number): void {
    const l = this.links.get(this.key(a, b));
    if (!l) throw new Error(`no link ${a}-${b}`);
    l.cutAt = at;
  }

  host(id: number): ReplayHost {
    const h = this.hosts.get(id);
    if (!h) throw new Error(`no node ${id}`);
    return h;
  }

  submit(id: number, t: number, submit: number, data: Uint8Array): void {
    this.host(id).add({ t, kind: 'submit', submit, hex: toHex(data) });
  }

  report(id: number, t: number): void {
    this.host(id).add({ t, kind: 'report' });
  }

  private transmit(from: number, dst: number, bytes: Uint8Array, now: number): void {
    const at = now + this.opts.latencyMs;
    const up = (to: number) => {
      const l = this.links.get(this.key(from, to));
      return l && now < l.cutAt ? l : null;
    };
    for (const [to, host] of this.hosts) {
      if (to === from || (dst !== BROADCAST && dst !== to)) continue;
      const l = up(to);
      if (l) host.add({ t: at, kind: 'frame', peer: from, rssi: l.rssi, hex: toHex(bytes) });
    }
    // A unicast nobody acknowledged: the radio reports it, as ESP-NOW's send callback does.
    if (dst !== BROADCAST && !up(dst)) this.host(from).add({ t: at, kind: 'link', event: LinkEvent.TxFailed, peer: dst });
  }

  /** Runs every node to the end, in global time order. */
  run(): void {
    for (;;) {
      let t = Infinity;
      for (const h of this.hosts.values()) t = Math.min(t, h.nextActionTime());
      if (t === Infinity) break;
      for (const h of [...this.hosts.values()].sort((a, b) => a.setup.node - b.setup.node)) {
        while (h.nextActionTime() <= t) h.step();
      }
    }
    for (const h of this.hosts.values()) {
      if (h.state !== 'stopped') throw new Error(`node ${h.setup.node} ended ${h.state}:\n${h.lines.slice(-20).join('\n')}`);
    }
  }

  /** What node `id` was handed, in order: its golden vector's events. */
  scriptOf(id: number): ScriptEvent[] {
    return this.host(id).script.map((e) => ({ ...e }));
  }
}
