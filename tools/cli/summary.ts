// The summary printed after a run, computed from metrics.json's data only, so what the
// terminal shows is exactly what the run folder holds.

import type { Metrics } from '../../host-sim/metrics.ts';
import { renderTable, type Column } from './table.ts';

function dropsOf(counters: Record<string, number>, host: Record<string, number>): number {
  let n = 0;
  for (const [k, v] of Object.entries(counters)) if (k.includes('.drop.')) n += v;
  return n + (host.rx_queue_overflow ?? 0) + (host.tx_queue_full ?? 0) + (host.mtu_refused ?? 0);
}

const c = (counters: Record<string, number>, name: string) => (name in counters ? String(counters[name]) : '-');

export function summaryTable(m: Metrics): string {
  const columns: Column[] = [
    { title: 'node' , align: 'right' },
    { title: 'board' },
    { title: 'state' },
    { title: 'nbrs', align: 'right' },
    { title: 'true', align: 'right' },
    { title: 'hello tx', align: 'right' },
    { title: 'hello rx', align: 'right' },
    { title: 'ping tx', align: 'right' },
    { title: 'pong rx', align: 'right' },
    { title: 'rtt ms', align: 'right' },
    { title: 'routes', align: 'right' },
    { title: 'upd bytes', align: 'right' },
    { title: 'drops', align: 'right' },
  ];
  const rows = m.nodes.map((n) => [
    String(n.id),
    n.board,
    n.state + (n.neighbours_match || n.state !== 'on' ? '' : ' *'),
    String(n.neighbours.length),
    String(n.true_neighbours.length),
    c(n.counters, 'link.hello.tx'),
    c(n.counters, 'link.hello.rx'),
    c(n.counters, 'link.ping.tx'),
    c(n.counters, 'link.pong.rx'),
    n.ping.rtt_avg_ms === null ? '-' : n.ping.rtt_avg_ms.toFixed(1),
    String(n.routing.routes),
    String(n.routing.update_bytes),
    String(dropsOf(n.counters, n.host)),
  ]);
  const t = m.totals;
  const footer = [
    'all',
    '',
    `${t.on} on`,
    String(m.nodes.reduce((s, n) => s + n.neighbours.length, 0)),
    String(m.nodes.reduce((s, n) => s + n.true_neighbours.length, 0)),
    c(t.counters, 'link.hello.tx'),
    c(t.counters, 'link.hello.rx'),
    c(t.counters, 'link.ping.tx'),
    c(t.counters, 'link.pong.rx'),
    t.rtt_avg_ms === null ? '-' : t.rtt_avg_ms.toFixed(1),
    String(m.nodes.reduce((s, n) => s + n.routing.routes, 0)),
    String(m.nodes.reduce((s, n) => s + n.routing.update_bytes, 0)),
    String(dropsOf(t.counters, t.host)),
  ];
  return renderTable(columns, rows, footer);
}

export function routingLine(m: Metrics): string {
  const r = m.routing;
  const state = r.converged ? 'converged' : `not converged (${r.missing_routes} routes missing, ${r.detours} off a shortest path)`;
  const loops = r.loop_check ? `no routing loop in ${r.loop_checks} checks` : 'loop check off';
  const rtt = r.rtt_by_hops.map((h) => `${h.hops} hop${h.hops === 1 ? '' : 's'} ${h.avg_ms.toFixed(1)} ms`).join(', ');
  return (
    `routing: ${state}, ${r.routes_per_node} routes per node, ${r.update_bytes_per_node} update bytes per node` +
    ` (${r.control_bytes_per_node} with hellos), ${loops}` + (rtt ? `; routed rtt: ${rtt}` : '')
  );
}

export function mediumLine(m: Metrics): string {
  const f = m.medium.frames;
  const lost = Object.entries(f.lost).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`);
  const dropped = Object.entries(f.dropped).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`);
  return (
    `medium: ${f.sent} frames sent, ${f.delivered} copies delivered` +
    (lost.length ? `, lost: ${lost.join(', ')}` : '') +
    (dropped.length ? `, dropped: ${dropped.join(', ')}` : '')
  );
}

const ms = (x: number | null | undefined) => (x == null ? '-' : `${(x / 1000).toFixed(2)} s`);

/** Tree mode: integration and parent recovery per board type; empty for a mesh run. */
export function lifecycleLine(m: Metrics): string {
  const l = m.lifecycle;
  if (!l) return '';
  const boards = l.by_board.map(
    (b) => `${b.board} integration ${ms(b.integration_ms_mean)} (${b.integrations}), recovery ${ms(b.recovery_ms_mean)} (${b.recoveries})`,
  );
  return `lifecycle: ${l.active} of ${l.nodes} nodes active; ${boards.join('; ')}`;
}

/** The HERMES comparison, one line per measure, this run beside the paper. */
export function hermesLines(m: Metrics): string[] {
  const h = m.hermes;
  if (!h) return [];
  const p = h.paper;
  const r = (x: number | null) => (x == null ? '-' : `${x.toFixed(2)}x`);
  const out = [
    'HERMES comparison (this run | paper):',
    `  integration ESP8266/ESP32 ${r(h.integration_ratio.esp8266_over_esp32)} | ${p.integration_ratio.esp8266_over_esp32}x, ` +
      `ESP8266/RPi ${r(h.integration_ratio.esp8266_over_rpi3)} (board model ${r(h.integration_ratio.model_esp8266_over_rpi3)}) | ${p.integration_ratio.esp8266_over_rpi3}x`,
    `  integration ${h.boards.map((b) => `${b.board} ${ms(b.integration_ms_mean)}${b.root ? ' (root among them)' : ''}`).join(', ')}`,
    `  parent recovery ${h.boards.map((b) => `${b.board} ${ms(b.recovery_ms_mean)} (${b.recoveries})`).join(', ')} | ${p.recovery_order}`,
    `  rtt ${h.rtt_ms.map((x) => `${x.hops} hop${x.hops === 1 ? '' : 's'} ${x.mean_ms.toFixed(1)} ms`).join(', ')} | ${p.rtt_ms.map((x) => `${x.hops} hop${x.hops === 1 ? '' : 's'} ${x.mean_ms} ms`).join(', ')}`,
  ];
  const b = h.root_bytes_per_s;
  if (b) {
    out.push(
      `  root B/s (${h.steady_state.seconds.toFixed(0)} s steady state) routing ${b.routing.toFixed(3)} | ${p.root_bytes_per_s.routing}, ` +
        `lifecycle ${b.lifecycle.toFixed(3)} | ${p.root_bytes_per_s.lifecycle}, monitoring ${b.monitoring.toFixed(3)} | ${p.root_bytes_per_s.monitoring}, ` +
        `total ${b.total.toFixed(3)} | ${p.root_bytes_per_s.total}`,
    );
  }
  return out;
}
