// The HERMES comparison (scenarios/hermes-testbed.yaml): this run's integration times per
// device type, parent recovery times, round-trip times by hop count and bytes per second at
// the root by traffic category, beside the figures the paper reports. Deterministic: built
// from virtual-time quantities only.

import type { Simulation } from './simulation.ts';
import type { Counters } from '../tools/wire/inspect.ts';
import { integrationMs } from './wifi.ts';
import { mean } from './lifecycle.ts';

/**
 * HERMES's own figures: ../shared/papers/004_ec3133837ffe25d5.txt, §4.1 "Core Network" and
 * Table 1 (testbed: 1 ESP8266, 3 ESP32-WROVER, 1 Raspberry Pi 3 B+; routing updates every 60 s).
 * Integration: the ESP8266 took 109% longer than the ESP32 and 166% longer than the Pi.
 * Parent recovery: only a figure (Fig. 10): ESP8266 slowest, ESP32 and Pi fastest.
 */
export const HERMES_PAPER = {
  integration_ratio: { esp8266_over_esp32: 2.09, esp8266_over_rpi3: 2.66 },
  rtt_ms: [
    { hops: 1, mean_ms: 42.6, sd_ms: 50.5 },
    { hops: 2, mean_ms: 153.2, sd_ms: 77.2 },
  ],
  root_bytes_per_s: { routing: 1.02, lifecycle: 0.2, monitoring: 0.22, total: 1.44 },
  routing_update_interval_s: 60,
  recovery_order: 'ESP8266 slowest; ESP32 and Raspberry Pi fastest',
} as const;

export const CATEGORIES = ['routing', 'lifecycle', 'monitoring', 'middleware', 'data'] as const;

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 ? r3(a / b) : null);

/** Bytes per second the root received per category between two counter snapshots. */
export function rootRates(start: Counters, end: Counters, seconds: number) {
  const rate = (c: string) => (seconds > 0 ? r3(((end[`cat.${c}.rx.bytes`] ?? 0) - (start[`cat.${c}.rx.bytes`] ?? 0)) / seconds) : 0);
  const out: Record<string, number> = {};
  let total = 0;
  for (const c of CATEGORIES) {
    out[c] = rate(c);
    total += out[c];
  }
  out.total = r3(total);
  return out;
}

export function buildHermes(sim: Simulation, rtt: { hops: number; count: number; avg_ms: number; min_ms: number; max_ms: number }[]) {
  const spec = sim.setup.hermes!;
  const byBoard = new Map<string, { integration: number[]; search: number[]; join: number[]; recovery: number[]; nodes: number[]; root: boolean }>();
  for (const n of [...sim.nodes.values()].sort((a, b) => a.id - b.id)) {
    const b = byBoard.get(n.board.name) ?? { integration: [], search: [], join: [], recovery: [], nodes: [], root: false };
    byBoard.set(n.board.name, b);
    b.nodes.push(n.id);
    const first = n.life.integrations[0];
    if (first?.root) b.root = true;
    else if (first) {
      b.integration.push(first.ms);
      b.search.push(first.search_ms);
      b.join.push(first.join_ms);
    }
    for (const r of n.life.recoveries) b.recovery.push(r.ms);
  }
  const boards = [...byBoard.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([board, b]) => {
    const wifi = sim.nodes.get(b.nodes[0])!.board.wifi;
    return {
      board,
      nodes: b.nodes,
      root: b.root,
      integration_ms_mean: mean(b.integration),
      integrations: b.integration.length,
      search_ms_mean: mean(b.search),
      join_ms_mean: mean(b.join),
      model_integration_ms: wifi ? integrationMs(wifi) : null,
      recovery_ms_mean: mean(b.recovery),
      recoveries: b.recovery.length,
    };
  });
  const of = (name: string) => boards.find((b) => b.board === name);
  const endUs = sim.now;
  const start = sim.steadyStart;
  const seconds = start ? (endUs - start.atUs) / 1e6 : 0;
  const rates = start ? rootRates(start.counters, sim.node(spec.root).counters(), seconds) : null;
  const routingPct = rates ? r3((rates.routing / HERMES_PAPER.root_bytes_per_s.routing) * 100) : null;
  return {
    paper: HERMES_PAPER,
    root: spec.root,
    boards,
    integration_ratio: {
      esp8266_over_esp32: ratio(of('esp8266')?.integration_ms_mean, of('esp32')?.integration_ms_mean),
      esp8266_over_rpi3: ratio(of('esp8266')?.integration_ms_mean, of('rpi3')?.integration_ms_mean),
      model_esp8266_over_esp32: ratio(of('esp8266')?.model_integration_ms, of('esp32')?.model_integration_ms),
      model_esp8266_over_rpi3: ratio(of('esp8266')?.model_integration_ms, of('rpi3')?.model_integration_ms),
    },
    rtt_ms: rtt.map((h) => ({ hops: h.hops, count: h.count, mean_ms: h.avg_ms, min_ms: h.min_ms, max_ms: h.max_ms })),
    steady_state: { from_ms: spec.steadyFrom / 1000, to_ms: endUs / 1000, seconds: r3(seconds) },
    root_bytes_per_s: rates,
    routing_vs_paper_pct: routingPct,
  };
}

export type HermesReport = ReturnType<typeof buildHermes>;

const f = (x: number | null | undefined, digits = 1) => (x == null ? '–' : x.toFixed(digits));

/** The comparison as a Markdown page (report.md in the run folder). */
export function hermesMarkdown(h: HermesReport, scenario: string, seed: number): string {
  const p = h.paper;
  const lines = [
    `# ${scenario}, seed ${seed}: HERMES comparison`,
    '',
    'Paper: HERMES §4.1 and Table 1 (testbed of 1 ESP8266, 3 ESP32, 1 Raspberry Pi 3; routing updates every 60 s).',
    '',
    '## Integration time (boot to leaving Join Network: Init + Search + Join Network)',
    '',
    '| board | nodes | root | integration ms (mean) | search ms | join ms | board model ms |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...h.boards.map((b) => `| ${b.board} | ${b.nodes.join(' ')} | ${b.root ? 'yes' : ''} | ${f(b.integration_ms_mean)} | ${f(b.search_ms_mean)} | ${f(b.join_ms_mean)} | ${f(b.model_integration_ms, 0)} |`),
    '',
    '| ratio | this run | board model | HERMES |',
    '| --- | ---: | ---: | ---: |',
    `| ESP8266 / ESP32 | ${f(h.integration_ratio.esp8266_over_esp32, 2)} | ${f(h.integration_ratio.model_esp8266_over_esp32, 2)} | ${p.integration_ratio.esp8266_over_esp32} |`,
    `| ESP8266 / RPi | ${f(h.integration_ratio.esp8266_over_rpi3, 2)} | ${f(h.integration_ratio.model_esp8266_over_rpi3, 2)} | ${p.integration_ratio.esp8266_over_rpi3} |`,
    '',
    'A root never joins (Init -> Active at once), so a board that only appears as the root has no',
    'measured integration time; the board model column is what its Wi-Fi figures predict.',
    '',
    '## Parent recovery time (Parent Recovery entered, to Active again)',
    '',
    '| board | recoveries | mean ms |',
    '| --- | ---: | ---: |',
    ...h.boards.map((b) => `| ${b.board} | ${b.recoveries} | ${f(b.recovery_ms_mean)} |`),
    '',
    `HERMES (Fig. 10, no numbers given): ${p.recovery_order}.`,
    '',
    '## Round-trip time by hop count (routed pings)',
    '',
    '| hops | pings | mean ms | min ms | max ms | HERMES mean ms (sd) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...h.rtt_ms.map((r) => {
      const paper = p.rtt_ms.find((x) => x.hops === r.hops);
      return `| ${r.hops} | ${r.count} | ${f(r.mean_ms)} | ${r.min_ms} | ${r.max_ms} | ${paper ? `${paper.mean_ms} (${paper.sd_ms})` : '–'} |`;
    }),
    '',
    `## Bytes per second received at the root (node ${h.root}), steady state ${f(h.steady_state.from_ms / 1000, 0)}–${f(h.steady_state.to_ms / 1000, 0)} s`,
    '',
    '| category | this run B/s | HERMES B/s |',
    '| --- | ---: | ---: |',
    ...(h.root_bytes_per_s
      ? [...CATEGORIES, 'total'].map((c) => `| ${c} | ${f(h.root_bytes_per_s![c], 3)} | ${(p.root_bytes_per_s as Record<string, number>)[c] ?? '–'} |`)
      : ['| – | – | – |']),
    '',
    `Routing at the root is ${f(h.routing_vs_paper_pct, 1)}% of HERMES's (Trickle timing instead of a fixed ${p.routing_update_interval_s} s interval; binary updates).`,
    'Myco sends no periodic state reports: monitoring here is whatever routed pings (PING/PONG) fall in the window.',
    '',
  ];
  return lines.join('\n');
}
