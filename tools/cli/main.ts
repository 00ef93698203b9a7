// The `myco` command line: dispatch to subcommands; usage errors exit with code 2.

import { readFileSync } from 'node:fs';
import { parseArgs, UsageError } from './args.ts';
import type { CliIO, Command } from './command.ts';
import { commandHelp, mainHelp } from './help.ts';
import { simCommand } from './sim.ts';
import { scenarioCommand } from './scenario.ts';
import { boardsCommand } from './boards.ts';
import { modelCommand } from './model.ts';
import { orchCommand } from './orch.ts';
import { fuseCommand } from './fuse.ts';
import { flashCommand } from './flash.ts';
import { monitorCommand } from './monitor.ts';
import { didYouMean } from '../../host-sim/schema-errors.ts';

export const COMMANDS: Command[] = [simCommand, scenarioCommand, boardsCommand, modelCommand, orchCommand, fuseCommand, flashCommand, monitorCommand];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const processIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  stderr: process.stderr,
};

function findCommand(name: string): Command {
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) throw new UsageError(`unknown command "${name}"${didYouMean(name, [...COMMANDS.map((c) => c.name), 'help'])}; run \`myco --help\``);
  return cmd;
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h') {
      io.out(mainHelp(COMMANDS, version()));
      return first === undefined ? 2 : 0;
    }
    if (first === '--version') {
      io.out(`${version()}\n`);
      return 0;
    }
    if (first === 'help') {
      if (rest.length === 0) io.out(mainHelp(COMMANDS, version()));
      else io.out(commandHelp(findCommand(rest[0])));
      return 0;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first}; run \`myco --help\``);
    const cmd = findCommand(first);
    const args = parseArgs(rest, cmd.flags, `myco ${cmd.name}`);
    if (args.flags.help) {
      io.out(commandHelp(cmd));
      return 0;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`myco: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
