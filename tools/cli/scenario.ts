// `myco scenario check`: validate scenario files (schema, references, placement) without
// running them.

import { HELP_FLAG, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { loadBoards } from '../../host-sim/boards.ts';
import { loadScenario } from '../../host-sim/scenario/load.ts';
import { placeScenario } from '../../host-sim/scenario/resolve.ts';
import { formatDuration } from '../../host-sim/duration.ts';

export const scenarioCommand: Command = {
  name: 'scenario',
  summary: 'validate scenario files without running them',
  usage: 'myco scenario check <file>...',
  description:
    'Checks each scenario file against the schema and the semantic rules (unique ids, known boards,\n' +
    'links between existing nodes, outages inside the run) and tries the random placement with the\n' +
    "scenario's seed. Errors name file:line:column and the field. Exit code 1 if any file is invalid.",
  args: [
    ['check', 'the only action so far'],
    ['file', 'one or more scenario YAML files'],
  ],
  flags: [HELP_FLAG],
  examples: [
    ['myco scenario check scenarios/default.yaml', 'prints "ok" and a one-line summary'],
    ['myco scenario check scenarios/*.yaml', 'checks several files'],
  ],
  run(args, io) {
    const [action, ...files] = args.positionals;
    if (action !== 'check') throw new UsageError(action ? `unknown scenario action "${action}" (known: check)` : 'missing action: myco scenario check <file>...');
    if (!files.length) throw new UsageError('missing scenario file: myco scenario check <file>...');
    const boards = loadBoards();
    let bad = 0;
    for (const file of files) {
      try {
        const s = loadScenario(file, boards);
        placeScenario(s, boards, s.seed);
        io.out(`${s.file}: ok (${s.nodes.length} nodes, ${formatDuration(s.duration)}, ${s.medium.kind} medium, seed ${s.seed})\n`);
      } catch (e) {
        bad++;
        io.err(`${(e as Error).message}\n`);
      }
    }
    return bad ? 1 : 0;
  },
};
