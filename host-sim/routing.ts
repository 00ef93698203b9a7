// Routing checks of the simulator (docs/simulator.md, "Routing checks"):
//
// - loop freedom, after every event: after each call into a node the host reads the node's
//   routing table (inspect 2), keeps a global next-hop map, and follows the next hops of every
//   destination whose route changed at that node; revisiting a node is a routing loop and
//   fails the run with the destination and the cycle. A loop can only close when some node
//   changes a next hop, and that node is on the loop, so checking the changed entries after
//   every call sees every loop the moment it forms.
// - convergence (a helper for tests and reports): every node has a route to every node of its
//   connected component and each next hop lies on a shortest path (by hop count).

import type { Simulation } from './simulation.ts';
import { decodeRoutes, METRIC_INFINITE, type RoutesDump } from '../tools/wire/inspect.ts';

/** Global next-hop map: node -> destination -> next hop, valid routes only. */
export class LoopChecker {
  private readonly nextHops = new Map<number, Map<number, number>>();
  private readonly lastDump = new Map<number, Uint8Array>();
  checks = 0;

  /** The node's table after a call (`null`: the module has no route dump). Returns a loop message or null. */
  update(node: number, dump: Uint8Array | null): string | null {
    if (dump === null || dump.length === 0) return null;
    const last = this.lastDump.get(node);
    if (last && last.length === dump.length && Buffer.compare(last, dump) === 0) return null;
    this.lastDump.set(node, dump);
    const routes = decodeRoutes(dump);
    const old = this.nextHops.get(node) ?? new Map<number, number>();
    const now = new Map<number, number>();
    for (const r of routes.routes) if (r.metric < METRIC_INFINITE) now.set(r.dest, r.next);
    this.nextHops.set(node, now);
    for (const [dest, next] of now) {
      if (old.get(dest) === next) continue;
      const loop = this.follow(node, dest);
      if (loop) return loop;
    }
    return null;
  }

  /** The node is off or failed: it holds no routes. */
  clear(node: number): void {
    this.nextHops.delete(node);
    this.lastDump.delete(node);
  }

  private follow(from: number, dest: number): string | null {
    this.checks++;
    const path = [from];
    const seen = new Set(path);
    let at = from;
    while (at !== dest) {
      const next = this.nextHops.get(at)?.get(dest);
      if (next === undefined) return null;
      if (seen.has(next)) {
        const cycle = [...path.slice(path.indexOf(next)), next];
        return `routing loop towards node ${dest}: ${cycle.join(' -> ')} (found after a change at node ${from})`;
      }
      seen.add(next);
      path.push(next);
      at = next;
    }
    return null;
  }
}

/** Hop distances from `source` over the links between nodes that are on. */
export function hopDistances(sim: Simulation, source: number): Map<number, number> {
  const dist = new Map<number, number>([[source, 0]]);
  const queue = [source];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i];
    for (const peer of sim.trueNeighbours(at)) {
      if (dist.has(peer)) continue;
      dist.set(peer, dist.get(at)! + 1);
      queue.push(peer);
    }
  }
  return dist;
}

export interface ConvergenceReport {
  /** Ordered pairs (node, destination) in the same component. */
  pairs: number;
  missing: string[];
  /** Next hops not on a shortest path. */
  detours: string[];
  converged: boolean;
}

/**
 * Checks every node that is on against the medium's graph: a valid route to every other node
 * of its component whose next hop is one hop closer to the destination.
 */
export function convergence(sim: Simulation): ConvergenceReport {
  const on = [...sim.nodes.values()].filter((n) => n.state === 'on').map((n) => n.id).sort((a, b) => a - b);
  const dist = new Map(on.map((id) => [id, hopDistances(sim, id)]));
  const missing: string[] = [];
  const detours: string[] = [];
  let pairs = 0;
  for (const id of on) {
    const dump = sim.node(id).routes();
    const table = new Map((dump?.routes ?? []).filter((r) => r.metric < METRIC_INFINITE).map((r) => [r.dest, r.next]));
    for (const dest of on) {
      if (dest === id || !dist.get(id)!.has(dest)) continue;
      pairs++;
      const next = table.get(dest);
      if (next === undefined) {
        missing.push(`${id}->${dest}`);
        continue;
      }
      const toDest = dist.get(dest)!;
      if (toDest.get(next) !== toDest.get(id)! - 1) detours.push(`${id}->${dest} via ${next}`);
    }
  }
  return { pairs, missing, detours, converged: missing.length === 0 && detours.length === 0 };
}

/** Routes held (valid) by a node's dump. */
export function validRoutes(dump: RoutesDump | null): number {
  return dump ? dump.routes.filter((r) => r.metric < METRIC_INFINITE).length : 0;
}
