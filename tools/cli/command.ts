// What every subcommand declares: enough to parse its arguments and write its help.

import type { FlagSpec, ParsedArgs } from './args.ts';

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
