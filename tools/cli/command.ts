// What every subcommand declares: enough to parse its arguments and write its help.

import { UsageError, type FlagSpec, type ParsedArgs } from './args.ts';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  description: string;
  flags: FlagSpec[];
  /** Positional arguments, as [name, description]. */
  args: [string, string][];
  examples: [string, string][];
  /** Returns the process exit code. */
  run(args: ParsedArgs, io: CliIO): Promise<number> | number;
}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  stderr: NodeJS.WriteStream;
}

/**
 * A failure of a command's work (a bad scenario, a missing program, a run that broke): printed
 * with the command's name, exit code 1. Usage errors go on to `main`, which exits with 2.
 */
export function commandFailed(command: string, e: unknown, io: CliIO): number {
  if (e instanceof UsageError) throw e;
  io.err(`myco ${command}: ${(e as Error).message}\n`);
  return 1;
}
