// Who hears whom, and with what link figures. Built once per run from positions and a range
// or from an explicit link list; links are symmetric.

import type { Board } from './boards.ts';
import { distance, rssiAt, DEFAULT_RSSI, type Point } from './link.ts';

export interface MediumSpec {
  /** `wifi`: the softAP/STA tree of docs/simulator.md, "Wi-Fi tree medium" (wifi.ts). */
  kind: 'range' | 'links' | 'wifi';
  /** Overrides every board's radio range (range and wifi media). */
  range_m?: number;
  /** Wi-Fi media only: override every board's `wifi.hop_latency_ms` / `wifi.jitter_ms`. */
  hop_latency_ms?: number;
  jitter_ms?: number;
  base_latency_ms?: number;
  bandwidth_bps?: number;
  /** Probability that one delivery of one frame is lost. */
  loss: number;
  links: LinkOverride[];
}

export interface LinkOverride {
  a: number;
  b: number;
  loss?: number;
  latency_ms?: number;
  bandwidth_bps?: number;
}

export interface TopologyNode {
  id: number;
  board: Board;
  pos?: Point;
}

export interface Link {
  peer: number;
  loss: number;
  baseLatencyMs: number;
  bandwidthBps: number;
  rssi: number;
}

/** Neighbour lists in ascending peer order, so broadcast fan-out order is stable. */
export type Topology = Map<number, Link[]>;

/** The radio range between two boards: the weaker radio decides. */
export function pairRange(spec: Pick<MediumSpec, 'range_m'>, a: Board, b: Board): number {
  return spec.range_m ?? Math.min(a.radio.range_m, b.radio.range_m);
}

export function inRange(spec: Pick<MediumSpec, 'range_m'>, a: TopologyNode, b: TopologyNode): boolean {
  if (!a.pos || !b.pos) return false;
  return distance(a.pos, b.pos) <= pairRange(spec, a.board, b.board);
}

function pairKey(a: number, b: number): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

export function buildTopology(spec: MediumSpec, nodes: TopologyNode[]): Topology {
  const overrides = new Map<string, LinkOverride>();
  for (const o of spec.links) overrides.set(pairKey(o.a, o.b), o);
  const topo: Topology = new Map(nodes.map((n) => [n.id, [] as Link[]]));
  const sorted = [...nodes].sort((p, q) => p.id - q.id);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i];
      const b = sorted[j];
      const o = overrides.get(pairKey(a.id, b.id));
      const linked = spec.kind === 'links' ? o !== undefined : inRange(spec, a, b);
      if (!linked) continue;
      const base = {
        loss: o?.loss ?? spec.loss,
        baseLatencyMs: o?.latency_ms ?? spec.base_latency_ms ?? Math.max(a.board.radio.base_latency_ms, b.board.radio.base_latency_ms),
        bandwidthBps: o?.bandwidth_bps ?? spec.bandwidth_bps ?? Math.min(a.board.radio.bandwidth_bps, b.board.radio.bandwidth_bps),
        rssi: a.pos && b.pos ? rssiAt(distance(a.pos, b.pos)) : DEFAULT_RSSI,
      };
      topo.get(a.id)!.push({ peer: b.id, ...base });
      topo.get(b.id)!.push({ peer: a.id, ...base });
    }
  }
  return topo;
}

/** Breadth-first search from the lowest id; true when every node is reached. */
export function isConnected(topo: Topology): boolean {
  const ids = [...topo.keys()];
  if (ids.length <= 1) return true;
  const seen = new Set<number>([Math.min(...ids)]);
  const todo = [Math.min(...ids)];
  while (todo.length) {
    const id = todo.pop()!;
    for (const l of topo.get(id)!) {
      if (!seen.has(l.peer)) {
        seen.add(l.peer);
        todo.push(l.peer);
      }
    }
  }
  return seen.size === ids.length;
}

export function findLink(topo: Topology, from: number, to: number): Link | undefined {
  return topo.get(from)?.find((l) => l.peer === to);
}
