// `myco fuse report`: the Elastic AI §7.2 sensor-fusion experiments (docs/fusion.md,
// "Experiments") on the node's own fusion code, written as a report with plots.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HELP_FLAG, UsageError } from './args.ts';
import { commandFailed, type CliIO, type Command } from './command.ts';
import { progressBar } from './progress.ts';
import type { FuseEngine } from '../fuse/engine.ts';
import { fullPlan, fusionsIn, METHODS, quickPlan, runFusionStudy, stepsIn, type FusionPlan } from '../fuse/experiments.ts';
import { clusterCheck, faultCheck, qualityCheck, reportFiles } from '../fuse/report.ts';
import { loadFuseEngine } from '../fuse/runner.ts';

export const DEFAULT_OUT = 'build/report/fusion';

function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n > 0xffffffff) throw new UsageError(`--seed must be an integer 0..4294967295, not "${text}"`);
  return n;
}

/** The plan the command's flags ask for. */
export function planFromFlags(flags: Record<string, string | true>): FusionPlan {
  const seed = typeof flags.seed === 'string' ? parseSeed(flags.seed) : 1;
  return flags.quick === true ? quickPlan(seed) : fullPlan(seed);
}

function describe(plan: FusionPlan): string {
  const s = plan.sweep;
  const b = plan.broken;
  return `${s.lowQuality.length} mixes x ${s.dataSets} data sets x ${s.minutes} min, broken sensor ${b.minutes} min (fault ${b.fault.from}..${b.fault.to}), seed ${plan.seed}: ${fusionsIn(plan)} fusions`;
}

/**
 * Runs the study on the engine `load` gives (the node's Wasm fusion code unless a test hands in
 * another) and writes the report. Exit code 1 when an acceptance check is not met.
 */
export async function fuseReport(flags: Record<string, string | true>, io: CliIO, load: () => Promise<FuseEngine> = loadFuseEngine): Promise<number> {
  const plan = planFromFlags(flags);
  const out = typeof flags.out === 'string' ? flags.out : DEFAULT_OUT;
  io.out(`fusion study: ${describe(plan)}\n`);
  const engine = await load();
  const bar = progressBar(`fusion study (${stepsIn(plan)} steps)`, io.stderr);
  const t0 = performance.now();
  const result = runFusionStudy(plan, engine, (done, total) => bar.update(done / total));
  bar.done();
  const secs = (performance.now() - t0) / 1000;
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(reportFiles(result))) writeFileSync(join(out, name), text);

  io.out(`median MAPE (%) by low-quality sensors: ${METHODS.map((m) => m.name).join(', ')}\n`);
  for (const p of result.sweep) io.out(`  ${String(p.lowQuality).padStart(2)}  ${METHODS.map((m) => p.medianMape[m.key].toFixed(2).padStart(6)).join('  ')}\n`);
  const b = result.broken;
  for (const key of ['fti1', 'average'] as const) {
    const name = METHODS.find((m) => m.key === key)!.name;
    io.out(
      `broken sensor, ${name}: MAPE ${b.inside[key].mape.toFixed(2)} % in the fault window, ${b.outside[key].mape.toFixed(2)} % outside (${b.ratio[key].mape.toFixed(2)}x); ` +
        `MAE ${b.inside[key].mae.toFixed(3)} / ${b.outside[key].mae.toFixed(3)} m/s (${b.ratio[key].mae.toFixed(2)}x), ${b.withoutBroken[key].mae.toFixed(3)} m/s with the sensor left out\n`,
    );
  }
  io.out(`ops for ${result.ops.readings} readings: ${result.ops.rows.map((r) => `${METHODS.find((m) => m.key === r.method)!.name} ${r.ops}`).join(', ')}\n`);
  for (const s of result.clustering?.scores ?? []) {
    io.out(`clustering, ${s.quality}-quality sensors, ${s.name}: precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}, ${s.exact} of ${s.references} groups exact\n`);
  }
  const checks = [
    ['(a) FTI QoS 1 median MAPE <= average pooling up to 5 low-quality sensors', qualityCheck(result.sweep)],
    ['(b) FTI error in the fault window <= 1.1x outside it', faultCheck(result.broken)],
    ['(c) each clustering algorithm recovers the reference sensor\'s group', clusterCheck(result.clustering)],
  ] as const;
  for (const [name, c] of checks) io.out(`check ${name}: ${c.met ? 'met' : 'NOT met'}\n`);
  io.out(`${fusionsIn(plan)} fusions in ${secs.toFixed(1)} s; report: ${relative(process.cwd(), join(out, 'report.md')) || 'report.md'}\n`);
  const met = checks.every(([, c]) => c.met);
  if (!met) io.err('myco fuse: an acceptance check is not met (see the report)\n');
  return met ? 0 : 1;
}

async function run(args: { positionals: string[]; flags: Record<string, string | true> }, io: CliIO): Promise<number> {
  const [action, ...rest] = args.positionals;
  try {
    switch (action) {
      case 'report':
        if (rest.length) throw new UsageError(`fuse report takes no arguments, got ${rest.join(' ')}`);
        return await fuseReport(args.flags, io);
      default:
        throw new UsageError(action ? `unknown fuse action "${action}" (known: report)` : 'missing action: myco fuse report');
    }
  } catch (e) {
    return commandFailed('fuse', e, io);
  }
}

export const fuseCommand: Command = {
  name: 'fuse',
  summary: 'the Elastic AI sensor-fusion experiments (FTI against average pooling)',
  usage: 'myco fuse report [--out DIR] [--quick] [--seed N]',
  description:
    'report: fuses simulated wind-speed readings with the node\'s fusion code (FTI at QoS 1..3 and average\n' +
    'pooling): ten sensors with 0..10 of them low quality, ten data sets each, and ten high-quality sensors\n' +
    'one of which breaks from minute 600 to 1200; and clusters synthetic groups of sensors around each one\n' +
    'in turn with label propagation, modularity and OSort. Writes report.md, SVG plots and results.json.\n' +
    'The wind series is synthetic (a daily cycle, weather drift and gusts). Exit code 1 when FTI QoS 1 is\n' +
    'worse than average pooling with up to 5 low-quality sensors, its error in the fault window exceeds\n' +
    '1.1x its error outside it, or a clustering algorithm misses the reference\'s group (precision or\n' +
    'recall below 0.95 with high-quality sensors).',
  args: [['report', 'run the experiments and write the report']],
  flags: [
    { name: 'out', value: 'DIR', description: 'folder to write', default: DEFAULT_OUT },
    { name: 'quick', description: 'three data sets of six hours per mix instead of ten of a day' },
    { name: 'seed', value: 'N', description: 'seed every data set derives from', default: '1' },
    HELP_FLAG,
  ],
  examples: [
    ['myco fuse report', `the full study into ${DEFAULT_OUT}/`],
    ['myco fuse report --quick --out /tmp/fusion', 'a quick look'],
    ['myco fuse report --seed 7', 'the same study on other data sets'],
  ],
  run,
};
