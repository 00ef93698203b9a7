// metrics.json: the run's results as data. It must be byte-identical for the same scenario
// and seed, so it holds only virtual-time quantities, every object is built in a fixed key
// order, maps are sorted, and nothing about the machine (paths, wall time, dates) goes in.

import { basename } from 'node:path';
import type { Simulation } from './simulation.ts';
import type { SimNode } from './node.ts';
import type { Counters } from '../tools/wire/inspect.ts';
import { convergence, validRoutes } from './routing.ts';
import { mean, stateName } from './lifecycle.ts';
import { decodeTree, type TreeDump } from '../tools/wire/inspect.ts';
import { buildHermes } from './hermes.ts';

export const METRICS_FORMAT = 1;

function sortedCounters(c: Counters): Counters {
  const out: Counters = {};
  for (const k of Object.keys(c).sort()) out[k] = c[k];
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function rttSummary(stats: Map<number, { count: number; sumMs: number; minMs: number; maxMs: number }>) {
  return [...stats.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([hops, r]) => ({ hops, count: r.count, min_ms: r.minMs, avg_ms: round3(r.sumMs / r.count), max_ms: r.maxMs }));
}

function nodeRouting(node: SimNode, counters: Counters) {
  const dump = node.routes();
  return {
    routes: validRoutes(dump),
    entries: dump ? dump.routes.length : 0,
    own_seq: dump ? dump.ownSeq : null,
    holding: dump ? dump.holding : false,
    update_frames: counters['route.adv.tx'] ?? 0,
    update_bytes: counters['route.adv.bytes'] ?? 0,
    control_bytes: counters['cat.routing.tx.bytes'] ?? 0,
    rtt_by_hops: rttSummary(node.routedRtt),
  };
}

function treeNeighbourIds(t: TreeDump): number[] {
  const ids = t.children.filter((c) => c.registered).map((c) => c.id);
  if (t.parent) ids.push(t.parent);
  return ids.sort((a, b) => a - b);
}

/** Tree mode: the node's lifecycle (lifecycle.ts), or nothing for a node that sent no STATE record. */
function nodeLifecycle(sim: Simulation, node: SimNode) {
  const l = node.life;
  if (l.records === 0) return {};
  return {
    lifecycle: {
      state: l.state === null ? null : stateName(l.state),
      parent: l.parent,
      depth: l.depth,
      integrations: l.integrations.map((i) => ({ at_ms: i.bootUs / 1000, ms: i.ms, search_ms: i.search_ms, join_ms: i.join_ms, root: i.root })),
      recoveries: l.recoveries.map((r) => ({ at_ms: r.startUs / 1000, ms: r.ms, restarted: r.restarted })),
      state_ms: l.durations(sim.now),
    },
  };
}

/** Run-wide lifecycle: integration and recovery means per board type. */
function runLifecycle(sim: Simulation) {
  const nodes = [...sim.nodes.values()].filter((n) => n.life.records > 0).sort((a, b) => a.id - b.id);
  if (nodes.length === 0) return {};
  const boards = [...new Set(nodes.map((n) => n.board.name))].sort();
  return {
    lifecycle: {
      nodes: nodes.length,
      active: nodes.filter((n) => n.state === 'on' && n.life.state === 3).length,
      by_board: boards.map((board) => {
        const of = nodes.filter((n) => n.board.name === board);
        const joins = of.flatMap((n) => n.life.integrations.filter((i) => !i.root));
        const recoveries = of.flatMap((n) => n.life.recoveries);
        return {
          board,
          nodes: of.map((n) => n.id),
          integrations: joins.length,
          integration_ms_mean: mean(joins.map((i) => i.ms)),
          search_ms_mean: mean(joins.map((i) => i.search_ms)),
          join_ms_mean: mean(joins.map((i) => i.join_ms)),
          recoveries: recoveries.length,
          recovery_ms_mean: mean(recoveries.map((r) => r.ms)),
        };
      }),
    },
  };
}

function nodeMetrics(sim: Simulation, node: SimNode) {
  const neighbours = [...node.neighbours()].sort((a, b) => a.id - b.id);
  const truth = [...sim.trueNeighbours(node.id)].sort((a, b) => a - b);
  // Tree mode sends no hellos: its neighbours are the parent and the registered children.
  const tree = node.treeDump();
  const ids = tree ? treeNeighbourIds(decodeTree(tree)) : neighbours.map((n) => n.id);
  const r = node.rtt;
  const counters = sortedCounters(node.counters());
  return {
    id: node.id,
    board: node.board.name,
    pos: node.setup.pos ? { x: node.setup.pos.x, y: node.setup.pos.y } : null,
    state: node.state,
    boots: node.boots,
    failure: node.failure,
    heap_top: node.heapTop,
    neighbours: neighbours.map((n) => ({
      id: n.id,
      in_q: n.inQuality,
      out_q: n.outQuality,
      rssi: n.rssi,
      bidirectional: n.bidirectional,
      age_ms: n.ageMs,
    })),
    true_neighbours: truth,
    neighbours_match: node.state === 'on' && ids.length === truth.length && ids.every((id, i) => id === truth[i]),
    counters,
    routing: nodeRouting(node, counters),
    host: {
      frames_in: node.stats.framesIn,
      frames_out: node.stats.framesOut,
      rx_queue_overflow: node.stats.rxOverflow,
      tx_queue_full: node.stats.txQueueFull,
      mtu_refused: node.stats.mtuDrops,
      bad_destination: node.stats.badDestination,
      tx_failed: node.stats.txFailed,
      logs: node.stats.logs,
    },
    ping: {
      rtt_count: r.count,
      rtt_min_ms: r.count ? r.minMs : null,
      rtt_avg_ms: r.count ? round3(r.sumMs / r.count) : null,
      rtt_max_ms: r.count ? r.maxMs : null,
    },
    ...nodeLifecycle(sim, node),
  };
}

export type NodeMetrics = ReturnType<typeof nodeMetrics>;

export function buildMetrics(sim: Simulation) {
  const setup = sim.setup;
  const nodes = [...sim.nodes.values()].sort((a, b) => a.id - b.id).map((n) => nodeMetrics(sim, n));
  const counters: Counters = {};
  for (const n of nodes) for (const [k, v] of Object.entries(n.counters)) counters[k] = (counters[k] ?? 0) + v;
  const host: Record<string, number> = {};
  for (const n of nodes) for (const [k, v] of Object.entries(n.host)) host[k] = (host[k] ?? 0) + v;
  let rttCount = 0;
  let rttSum = 0;
  for (const n of sim.nodes.values()) {
    rttCount += n.rtt.count;
    rttSum += n.rtt.sumMs;
  }
  let links = 0;
  for (const l of sim.topology.values()) links += l.length;
  const routed = new Map<number, { count: number; sumMs: number; minMs: number; maxMs: number }>();
  for (const n of sim.nodes.values()) {
    for (const [hops, r] of n.routedRtt) {
      const t = routed.get(hops) ?? { count: 0, sumMs: 0, minMs: Infinity, maxMs: 0 };
      t.count += r.count;
      t.sumMs += r.sumMs;
      t.minMs = Math.min(t.minMs, r.minMs);
      t.maxMs = Math.max(t.maxMs, r.maxMs);
      routed.set(hops, t);
    }
  }
  const on = nodes.filter((n) => n.state === 'on');
  const conv = convergence(sim);
  const failure = sim.failure;
  return {
    format: METRICS_FORMAT,
    scenario: setup.name,
    seed: setup.seed,
    duration_ms: setup.duration / 1000,
    ended_ms: sim.now / 1000,
    program: basename(setup.program.path),
    abi_version: setup.program.abiVersion,
    status: failure ? 'failed' : 'ok',
    error: failure ? failure.message : null,
    medium: {
      kind: setup.medium.kind,
      range_m: setup.medium.range_m ?? null,
      loss: setup.medium.loss,
      links: links / 2,
      frames: {
        sent: sim.medium.stats.sent,
        delivered: sim.medium.stats.delivered,
        lost: { ...sim.medium.stats.lost },
        dropped: { ...sim.medium.stats.dropped },
      },
    },
    totals: {
      nodes: nodes.length,
      on: nodes.filter((n) => n.state === 'on').length,
      off: nodes.filter((n) => n.state === 'off').length,
      failed: nodes.filter((n) => n.state === 'failed').length,
      neighbour_tables_matching: nodes.filter((n) => n.neighbours_match).length,
      events: sim.events.rows.length,
      rtt_count: rttCount,
      rtt_avg_ms: rttCount ? round3(rttSum / rttCount) : null,
      counters: sortedCounters(counters),
      host,
    },
    routing: {
      loop_check: sim.loops !== null,
      loop_checks: sim.loops ? sim.loops.checks : null,
      converged: conv.converged,
      pairs: conv.pairs,
      missing_routes: conv.missing.length,
      detours: conv.detours.length,
      routes_per_node: on.length ? round3(on.reduce((a, n) => a + n.routing.routes, 0) / on.length) : 0,
      update_bytes_per_node: nodes.length ? round3(nodes.reduce((a, n) => a + n.routing.update_bytes, 0) / nodes.length) : 0,
      control_bytes_per_node: nodes.length ? round3(nodes.reduce((a, n) => a + n.routing.control_bytes, 0) / nodes.length) : 0,
      rtt_by_hops: rttSummary(routed),
    },
    ...runLifecycle(sim),
    ...(setup.hermes ? { hermes: buildHermes(sim, rttSummary(routed)) } : {}),
    nodes,
  };
}

export type Metrics = ReturnType<typeof buildMetrics>;

export function metricsToJson(m: Metrics): string {
  return JSON.stringify(m, null, 2) + '\n';
}
