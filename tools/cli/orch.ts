// `myco orch report|bound`: the DATOR §4 study of auction orchestration on the five-node cluster
// (docs/orchestration.md, "Experiments"), and the analytic throughput bound of a scenario.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HELP_FLAG, UsageError } from './args.ts';
import { commandFailed, type CliIO, type Command } from './command.ts';
import { progressBar } from './progress.ts';
import { loadBoards } from '../../host-sim/boards.ts';
import { loadProgram } from '../../host-sim/program.ts';
import { loadScenario } from '../../host-sim/scenario/load.ts';
import { SCENARIOS_DIR } from '../../host-sim/paths.ts';
import { scenarioBound } from '../orch/experiment.ts';
import { fullPlan, quickPlan, runsIn, runStudy, SCENARIOS, type StudyPlan } from '../orch/study.ts';
import { checkHolds, reportFiles, SATURATION_TARGET } from '../orch/report.ts';

const DEFAULT_OUT = 'runs/dator-report';

function parseList(flag: string, text: string): number[] {
  const values = text.split(',').map((t) => Number(t.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) throw new UsageError(`--${flag} takes positive numbers separated by commas, not "${text}"`);
  return values;
}

function parseCount(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${flag} must be an integer 1..${max}, not "${text}"`);
  return n;
}

/** The plan, adjusted by the command's flags. */
export function planFromFlags(flags: Record<string, string | true>): StudyPlan {
  const dir = typeof flags.scenarios === 'string' ? flags.scenarios : join(SCENARIOS_DIR, 'dator');
  const plan = flags.quick === true ? quickPlan(dir) : fullPlan(dir);
  if (typeof flags.rates === 'string') plan.rates = parseList('rates', flags.rates);
  if (typeof flags.seeds === 'string') {
    const n = parseCount('seeds', flags.seeds, 1000);
    plan.checkSeeds = Array.from({ length: n }, (_, i) => i + 1);
  }
  if (typeof flags.samples === 'string') plan.checkSamples = parseCount('samples', flags.samples, 1_000_000);
  return plan;
}

async function report(flags: Record<string, string | true>, io: CliIO): Promise<number> {
  const plan = planFromFlags(flags);
  const out = typeof flags.out === 'string' ? flags.out : DEFAULT_OUT;
  const boards = loadBoards();
  const program = loadProgram(loadScenario(join(plan.scenarioDir, 'stable.yaml'), boards).program);
  const bar = progressBar(`dator study (${runsIn(plan)} runs)`, io.stderr);
  const t0 = performance.now();
  const result = runStudy(plan, { program, boards, progress: (done, total) => bar.update(done / total) });
  bar.done();
  mkdirSync(out, { recursive: true });
  const files = reportFiles(result);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  const secs = (performance.now() - t0) / 1000;
  const stable = result.scenarios.find((s) => s.name === 'stable')!;
  io.out(`analytic bound ${stable.bound.rate.toFixed(3)} packages/s (${stable.bound.bottleneck})\n`);
  for (const s of result.scenarios) {
    io.out(`${s.name.padEnd(9)} saturation ${s.saturation.toFixed(3)} packages/s = ${(100 * s.saturation / s.bound.rate).toFixed(1)} % of the bound\n`);
  }
  for (const c of result.checks) {
    const failed = Object.values(c.failed).reduce((a, b) => a + b, 0);
    io.out(`${c.scenario.padEnd(9)} ${c.seeds.length} seeds x ${c.samples}: ${c.delivered}/${c.submitted} delivered, ${failed} failed with a reason, ${c.open} open, ${c.repeats} repeats, ${c.deliveredAndFailed} both\n`);
  }
  io.out(`${runsIn(plan)} runs in ${secs.toFixed(1)} s; report: ${relative(process.cwd(), join(out, 'report.md')) || 'report.md'}\n`);
  const met = stable.saturation >= SATURATION_TARGET * stable.bound.rate && result.checks.every(checkHolds);
  if (!met) io.err('myco orch: a target of the study is not met (see the report)\n');
  return met ? 0 : 1;
}

function bound(file: string, io: CliIO): number {
  const boards = loadBoards();
  const b = scenarioBound(loadScenario(file, boards), boards);
  io.out(`${file}: ${b.rate.toFixed(3)} packages/s\n${b.bottleneck}\n`);
  for (const [id, busy] of Object.entries(b.perNode)) {
    const steps = Object.entries(b.assignment[Number(id)] ?? {}).map(([step, rate]) => `step ${step} ${rate.toFixed(3)}/s`).join(', ');
    io.out(`  node ${id}: ${(100 * busy).toFixed(1)} % busy${steps ? ` (${steps})` : ''}\n`);
  }
  return 0;
}

async function run(args: { positionals: string[]; flags: Record<string, string | true> }, io: CliIO): Promise<number> {
  const [action, ...rest] = args.positionals;
  try {
    switch (action) {
      case 'report':
        if (rest.length) throw new UsageError(`orch report takes no files (the scenarios come from --scenarios), got ${rest.join(' ')}`);
        return await report(args.flags, io);
      case 'bound':
        if (rest.length !== 1) throw new UsageError('usage: myco orch bound <scenario.yaml>');
        return bound(rest[0], io);
      default:
        throw new UsageError(action ? `unknown orch action "${action}" (known: report, bound)` : 'missing action: myco orch report|bound');
    }
  } catch (e) {
    return commandFailed('orch', e, io);
  }
}

export const orchCommand: Command = {
  name: 'orch',
  summary: 'the DATOR orchestration study and the analytic throughput bound',
  usage: 'myco orch report [--quick] [--out DIR] | myco orch bound <scenario.yaml>',
  description:
    `report: runs the four scenarios of the five-node cluster (${SCENARIOS.join(', ')}; scenarios/dator/) swept\n` +
    'over the input rate, checks that every package ends delivered once or failed with a reason over many\n' +
    'packages and seeds, draws the timeline of the first packages, and writes report.md, SVG plots and\n' +
    `results.json. Exit code 1 when the stable scenario's saturation throughput is below ${100 * SATURATION_TARGET} % of the\n` +
    'analytic bound or a package is lost or repeated. bound: the largest input rate the nodes\' compute\n' +
    'time allows for a scenario (max-flow over each node\'s time budget), and the busiest nodes.',
  args: [
    ['report', 'run the study and write the report'],
    ['bound <scenario.yaml>', 'print the analytic throughput bound of a scenario with a package feed'],
  ],
  flags: [
    { name: 'out', value: 'DIR', description: 'report: folder to write', default: DEFAULT_OUT },
    { name: 'quick', description: 'report: fewer rates, seeds and samples (about a tenth of the runs)' },
    { name: 'scenarios', value: 'DIR', description: 'report: folder with stable.yaml, unstable.yaml, loss.yaml, slow.yaml', default: 'scenarios/dator' },
    { name: 'rates', value: 'LIST', description: 'report: input rates of the sweep, packages/s, e.g. 0.5,1,2' },
    { name: 'seeds', value: 'N', description: 'report: seeds of the delivery check', default: '10 (2 with --quick)' },
    { name: 'samples', value: 'N', description: 'report: samples per seed of the delivery check', default: '1000 (120 with --quick)' },
    HELP_FLAG,
  ],
  examples: [
    ['myco orch report', 'the full study into runs/dator-report/ (a minute or two)'],
    ['myco orch report --quick --out /tmp/dator', 'a quick look'],
    ['myco orch bound scenarios/dator/stable.yaml', 'the analytic bound of the stable cluster'],
  ],
  run,
};
