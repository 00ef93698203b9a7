// Writes the DATOR study (study.ts) as files: report.md with its tables and checks, the SVG plots
// (latency, throughput and idle fraction against the input rate, the timeline of the first
// packages like the paper's Figure 3) and results.json. Pure: results in, file contents out.

import { gantt, lineChart, type GanttBar } from '../report/svg.ts';
import type { TraceEvent } from './experiment.ts';
import { SATURATED_ABOVE, type DeliveryCheck, type ScenarioStudy, type StudyResult } from './study.ts';

/** The six pipeline steps of the study's scenarios (scenarios/dator/*.yaml). */
export const STEP_NAMES: Record<number, string> = { 1: 'feed', 2: 'inference 1', 3: 'inference 2', 4: 'inference 3', 5: 'inference 4', 6: 'upload' };
const STEP_COLOURS: Record<number, string> = { 1: '#8e44ad', 2: '#f39c12', 3: '#e67e22', 4: '#d35400', 5: '#c0392b', 6: '#7f8c8d' };

/** Failure reasons of ORCH_FAILED (docs/orchestration.md). */
export const FAIL_REASONS: Record<number, string> = {
  1: 'no node accepted a step',
  2: 'no target acknowledged the result',
  3: 'deadline passed',
  4: 'payload not the step input',
  5: 'model step failed',
};

/** Required of the stable scenario: saturation throughput at least this fraction of the bound. */
export const SATURATION_TARGET = 0.95;

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function letter(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `P${i + 1}`;
}

export function latencyChart(scenarios: ScenarioStudy[]): string {
  return lineChart({
    title: 'Mean latency (sample to result) against input rate',
    xLabel: 'input rate (packages/s)',
    yLabel: 'mean latency (s)',
    series: scenarios.map((s) => ({ name: s.name, points: s.sweep.map((p) => [p.rate, p.meanLatencyS] as const) })),
  });
}

export function throughputChart(scenarios: ScenarioStudy[]): string {
  const rates = scenarios[0]?.sweep.map((p) => p.rate) ?? [];
  const bound = scenarios[0]?.bound.rate ?? NaN;
  return lineChart({
    title: 'Throughput against input rate',
    xLabel: 'input rate (packages/s)',
    yLabel: 'results per second',
    yMin: 0,
    series: [
      ...scenarios.map((s) => ({ name: s.name, points: s.sweep.map((p) => [p.rate, p.throughput] as const) })),
      { name: 'analytic bound', points: rates.map((r) => [r, Math.min(r, bound)] as const) },
    ],
  });
}

export function idleChart(s: ScenarioStudy): string {
  const nodes = Object.keys(s.sweep[0]?.idle ?? {}).map(Number).sort((a, b) => a - b);
  return lineChart({
    title: `Idle fraction per node against input rate: ${s.name}`,
    xLabel: 'input rate (packages/s)',
    yLabel: 'idle fraction (no compute, radio not sending)',
    yMin: 0,
    yMax: 1,
    series: nodes.map((id) => ({ name: `node ${id}`, points: s.sweep.map((p) => [p.rate, p.idle[id]] as const) })),
  });
}

/**
 * The first packages' lives: per node a row of computation (coloured by step, lettered by
 * package) and a row of its transfers (from the first send to the take-over at the receiver).
 */
export function timelineChart(events: TraceEvent[], rate: number): string {
  const nodes = [...new Set(events.map((e) => e.node))].sort((a, b) => a - b);
  const rowOf = new Map(nodes.map((id, i) => [id, i]));
  const order = [...new Set(events.map((e) => e.counter))];
  const name = (counter: number) => letter(order.indexOf(counter));
  const t0 = events.length ? events[0].atUs : 0;
  const sec = (us: number) => (us - t0) / 1e6;
  const bars: GanttBar[] = [];
  for (const e of events) {
    if (e.event === 2) {
      const start = [...events].reverse().find((s) => s.event === 1 && s.node === e.node && s.counter === e.counter && s.step === e.step && s.atUs <= e.atUs);
      if (start) bars.push({ row: 2 * rowOf.get(e.node)!, start: sec(start.atUs), end: sec(e.atUs), key: e.step, label: name(e.counter) });
    } else if (e.event === 3) {
      const taken = events.find((t) => t.event === 4 && t.node === e.peer && t.peer === e.node && t.counter === e.counter && t.step === e.step && t.atUs >= e.atUs);
      if (taken) bars.push({ row: 2 * rowOf.get(e.node)! + 1, start: sec(e.atUs), end: sec(taken.atUs), key: 'transfer', label: `${name(e.counter)}→${e.peer}` });
    }
  }
  return gantt({
    title: `The first ${order.length} packages at ${rate} packages/s (stable scenario)`,
    rows: nodes.flatMap((id) => [`node ${id}`, `node ${id} sends`]),
    bars,
    legend: [
      ...Object.entries(STEP_NAMES).map(([k, v]) => ({ key: Number(k), name: `${k} ${v}`, colour: STEP_COLOURS[Number(k)] })),
      { key: 'transfer', name: 'transfer', colour: '#95a5a6' },
    ],
    xLabel: 'time since the first sample (s)',
  });
}

function checkLine(c: DeliveryCheck): string {
  const failed = Object.entries(c.failed).map(([k, v]) => `${v} × ${FAIL_REASONS[Number(k)] ?? `reason ${k}`}`).join(', ') || 'none';
  return `| ${c.scenario} | ${c.seeds.length} × ${c.samples} | ${c.submitted} | ${c.delivered} (${pct(c.delivered / Math.max(c.submitted, 1))}) | ${failed} | ${c.open} | ${c.repeats} | ${c.deliveredAndFailed} | ${c.droppedAtSensor} | ${c.custodyLost} | ${fmt(c.controlBytesPerPackage, 0)} | ${fmt(c.payloadBytesPerPackage, 0)} |`;
}

/** Every package of a check ended delivered once, or failed with a reason. */
export function checkHolds(c: DeliveryCheck): boolean {
  return c.open === 0 && c.repeats === 0 && c.deliveredAndFailed === 0 && c.failures.length === 0;
}

export function reportMarkdown(r: StudyResult): string {
  const stable = r.scenarios.find((s) => s.name === 'stable');
  const b = stable?.bound;
  const lines: string[] = [];
  lines.push('# DATOR §4 on the simulator: the five-node cluster', '');
  lines.push('Written by `myco orch report`. Scenarios: `scenarios/dator/*.yaml` (their header comments give the');
  lines.push('topology, step times and payload sizes chosen where the paper leaves them open). Every run is');
  lines.push('deterministic for its seed; latency runs from a sample at node 1 to its result at node 1.', '');
  lines.push('## Analytic bound', '');
  if (b) {
    lines.push(`Mean step times: ${Object.entries(b.stepSeconds).map(([k, v]) => `${k} ${STEP_NAMES[Number(k)] ?? ''} ${fmt(v * 1000, 0)} ms`).join(', ')}.`);
    lines.push(`Largest input rate the nodes' compute time allows (max-flow over each node's time budget,`);
    lines.push(`radio concurrent): **${fmt(b.rate, 3)} packages/s**. ${b.bottleneck}.`, '');
  }
  lines.push(`Saturation throughput: the mean over the swept rates of at least ${SATURATED_ABOVE} × the bound, with the lowest`);
  lines.push('and highest of those points. Step times vary ±20 % around the means the bound uses, so a finite run');
  lines.push('can land slightly above it.', '');
  lines.push('| scenario | saturation throughput (packages/s) | range | of the bound |', '| --- | ---: | --- | ---: |');
  for (const s of r.scenarios) lines.push(`| ${s.name} | ${fmt(s.saturation, 3)} | ${fmt(s.saturationRange[0], 3)} – ${fmt(s.saturationRange[1], 3)} | ${pct(s.saturation / s.bound.rate)} |`);
  if (stable) {
    const ok = stable.saturation >= SATURATION_TARGET * stable.bound.rate;
    lines.push('', `Stable scenario: saturation throughput ${pct(stable.saturation / stable.bound.rate)} of the bound (target ≥ ${pct(SATURATION_TARGET)}): **${ok ? 'met' : 'NOT met'}**.`);
  }
  lines.push('', '## Sweeps', '');
  lines.push(`Rates ${r.plan.rates.join(', ')} packages/s; ${r.plan.sweepSeeds.length} seed(s) × ${r.plan.sweepSamples} samples each, averaged.`, '');
  lines.push('![latency](latency.svg)', '', '![throughput](throughput.svg)', '');
  for (const s of r.scenarios) lines.push(`![idle ${s.name}](idle-${s.name}.svg)`, '');
  for (const s of r.scenarios) {
    const ids = Object.keys(s.sweep[0]?.idle ?? {});
    lines.push(`### ${s.name}: ${s.description}`, '');
    lines.push(`| rate | mean latency (s) | throughput | control bytes / package | ${ids.map((id) => `idle ${id}`).join(' | ')} |`);
    lines.push(`| ---: | ---: | ---: | ---: | ${ids.map(() => '---:').join(' | ')} |`);
    for (const p of s.sweep) {
      lines.push(`| ${p.rate} | ${fmt(p.meanLatencyS)} | ${fmt(p.throughput, 3)} | ${fmt(p.controlBytesPerPackage, 0)} | ${ids.map((id) => fmt(p.idle[Number(id)])).join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('## Every package delivered once, or failed with a reason', '');
  lines.push(`At ${r.plan.checkRate} packages/s. "open": submitted, neither delivered nor failed when the run ended;`);
  lines.push('"repeats": results emitted more than once; "both": reported failed although delivered; all three');
  lines.push('must be 0. "dropped": samples the sensor dropped');
  lines.push('because node 1 had no free slot (never submitted). Bytes per delivered package: orchestration');
  lines.push('control frames (REQUEST, ACCEPT, CANCEL, ACK, RELEASE, PROBE, STEPS, TAKEN, every hop and flood copy)');
  lines.push('and package frames (PACKAGE, FRAG, FRAG_ACK); hop-by-hop LINK_ACKs are not counted in either.', '');
  lines.push('| scenario | seeds × samples | submitted | delivered | failed | open | repeats | both | dropped | custody taken back | control B/pkg | package B/pkg |');
  lines.push('| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of r.checks) lines.push(checkLine(c));
  lines.push('');
  for (const c of r.checks) {
    lines.push(`- ${c.scenario}: ${checkHolds(c) ? 'every package ended delivered once or failed with a reason' : `**check failed** (open ${c.open}, repeats ${c.repeats}, both ${c.deliveredAndFailed}${c.failures.length ? `, ${c.failures.join('; ')}` : ''})`}.`);
  }
  lines.push('', '## Timeline', '', `![timeline](timeline.svg)`, '');
  lines.push('Computation per node coloured by step and lettered by package, and each node\'s transfers');
  lines.push('(first send to take-over); orchestration messages are left out, as in the paper\'s Figure 3.', '');
  return lines.join('\n');
}

/** Every file of the report, by name. */
export function reportFiles(r: StudyResult): Record<string, string> {
  const files: Record<string, string> = {
    'report.md': reportMarkdown(r),
    'latency.svg': latencyChart(r.scenarios),
    'throughput.svg': throughputChart(r.scenarios),
    'timeline.svg': timelineChart(r.timeline.events, r.timeline.rate),
  };
  for (const s of r.scenarios) files[`idle-${s.name}.svg`] = idleChart(s);
  const slim = { ...r, scenarios: r.scenarios.map((s) => ({ ...s, sweep: s.sweep.map(({ runs, ...p }) => ({ ...p, seeds: runs.map((x) => x.seed) })) })) };
  files['results.json'] = `${JSON.stringify(slim, null, 2)}\n`;
  return files;
}
