// `myco sim`: run a scenario, write the run folder, print a summary.

import { relative } from 'node:path';
import { HELP_FLAG, UsageError } from './args.ts';
import { commandFailed, type Command } from './command.ts';
import { progressBar } from './progress.ts';
import { hermesLines, lifecycleLine, mediumLine, routingLine, summaryTable } from './summary.ts';
import { loadBoards } from '../../host-sim/boards.ts';
import { loadDefaultScenario, loadScenario } from '../../host-sim/scenario/load.ts';
import { resolveScenario } from '../../host-sim/scenario/resolve.ts';
import { defaultRunDir, runSimulation } from '../../host-sim/run.ts';
import { formatDuration, parseDuration } from '../../host-sim/duration.ts';

export function parseSeed(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > 0xffffffff) throw new UsageError(`--seed must be an integer 0..4294967295, not "${text}"`);
  return Number(text);
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'run a swarm simulation and write a run folder',
  usage: 'myco sim [scenario] [options]',
  description:
    'Runs a scenario in the deterministic discrete-event simulator: every node runs build/<program>.wasm\n' +
    'over a simulated radio. Prints a progress bar (on a terminal) and a summary table, and writes\n' +
    'metrics.json (identical for the same scenario and seed) and events.csv to the run folder.\n' +
    'Without a scenario file, runs the built-in default (scenarios/default.yaml).\n' +
    'Exit codes: 0 ok, 1 the scenario is invalid or the run failed, 2 bad command line.',
  args: [['scenario', 'a scenario YAML file (default: the built-in default scenario)']],
  flags: [
    { name: 'seed', value: 'N', description: "seed for placement, radio loss and the nodes' rand", default: "the scenario's seed" },
    { name: 'out', value: 'DIR', description: 'run folder to write', default: 'runs/<scenario>-seed<N>/' },
    { name: 'duration', value: 'D', description: 'virtual time to simulate, e.g. 500ms, 90s, 5m', default: "the scenario's duration" },
    { name: 'quiet', description: 'print only the run folder (and errors)' },
    { name: 'trace-frames', description: 'also log every frame sent and received in events.csv' },
    { name: 'no-loop-check', description: 'skip the routing-loop check after every event (faster)' },
    HELP_FLAG,
  ],
  examples: [
    ['myco sim', 'the default scenario, seed 1, into runs/default-seed1/'],
    ['myco sim scenarios/default.yaml --seed 7', 'same scenario, another seed'],
    ['myco sim my.yaml --duration 5m --out /tmp/run1', 'longer run into a chosen folder'],
    ['npm run sim -- --seed 3', 'build the node program first, then run'],
  ],
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError(`sim takes one scenario file, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
    const seed = typeof args.flags.seed === 'string' ? parseSeed(args.flags.seed) : undefined;
    let duration: number | undefined;
    if (typeof args.flags.duration === 'string') {
      const d = parseDuration(args.flags.duration);
      if (d === null || d <= 0) throw new UsageError(`--duration must be a duration such as 500ms, 60s or 2m, not "${args.flags.duration}"`);
      duration = d;
    }
    const quiet = args.flags.quiet === true;
    const out = typeof args.flags.out === 'string' ? args.flags.out : undefined;

    try {
      const boards = loadBoards();
      const scenario = args.positionals[0] ? loadScenario(args.positionals[0], boards) : loadDefaultScenario(boards);
      const setup = resolveScenario(scenario, { boards, seed, duration, traceFrames: args.flags['trace-frames'] === true });
      if (args.flags['no-loop-check'] === true) setup.checkLoops = false;
      const bar = quiet ? null : progressBar(`${setup.name} seed ${setup.seed}`, io.stderr);
      const result = runSimulation(setup, { out: out ?? defaultRunDir(setup.name, setup.seed), onProgress: bar ? (f) => bar.update(f) : undefined });
      bar?.done();
      const m = result.metrics;
      const shownDir = relative(process.cwd(), result.dir) || '.';
      if (!quiet) {
        io.out(
          `scenario ${m.scenario}, seed ${m.seed}: ${m.totals.nodes} nodes, ${formatDuration(setup.duration)} virtual, ` +
            `${m.medium.kind} medium${m.medium.range_m !== null ? ` (${m.medium.range_m} m)` : ''}, loss ${m.medium.loss * 100}%, program ${m.program}\n\n`,
        );
        io.out(summaryTable(m) + '\n\n');
        io.out(mediumLine(m) + '\n');
        io.out(routingLine(m) + '\n');
        const life = lifecycleLine(m);
        if (life) io.out(life + '\n');
        for (const line of hermesLines(m)) io.out(line + '\n');
        io.out(`neighbour tables matching the medium: ${m.totals.neighbour_tables_matching} of ${m.totals.on} nodes on\n`);
        const secs = result.wallMs / 1000;
        io.out(`simulated ${formatDuration(setup.duration)} in ${secs.toFixed(2)} s wall time (${Math.round(setup.duration / 1e6 / Math.max(secs, 1e-3))}x real time)\n`);
      }
      io.out(`run folder: ${shownDir}/ (metrics.json, events.csv${m.hermes ? ', report.md' : ''})\n`);
      if (result.failure) {
        io.err(`myco sim: run failed at ${(m.ended_ms / 1000).toFixed(3)} s: ${result.failure.message}\n`);
        return 1;
      }
      return 0;
    } catch (e) {
      return commandFailed('sim', e, io);
    }
  },
};
