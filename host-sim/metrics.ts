// metrics.json: the run's results as data. It must be byte-identical for the same scenario
// and seed, so it holds only virtual-time quantities, every object is built in a fixed key
// order, maps are sorted, and nothing about the machine (paths, wall time, dates) goes in.

import { basename } from 'node:path';
import type { Simulation } from './simulation.ts';
import type { SimNode } from './node.ts';
import type { Counters } from '../tools/wire/inspect.ts';

export const METRICS_FORMAT = 1;

function sortedCounters(c: Counters): Counters {
  const out: Counters = {};
  for (const k of Object.keys(c).sort()) out[k] = c[k];
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function nodeMetrics(sim: Simulation, node: SimNode) {
  const neighbours = [...node.neighbours()].sort((a, b) => a.id - b.id);
  const truth = [...sim.trueNeighbours(node.id)].sort((a, b) => a - b);
  const ids = neighbours.map((n) => n.id);
  const r = node.rtt;
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
    counters: sortedCounters(node.counters()),
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
    nodes,
  };
}

export type Metrics = ReturnType<typeof buildMetrics>;

export function metricsToJson(m: Metrics): string {
  return JSON.stringify(m, null, 2) + '\n';
}
