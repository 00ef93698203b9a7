// A small argument parser: flags are declared per command so unknown ones are refused with
// the command's name, and the same declarations drive the help text.

export interface FlagSpec {
  name: string;
  /** Placeholder for the value; absent for boolean switches. */
  value?: string;
  description: string;
  default?: string;
}

export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

export function parseArgs(argv: string[], specs: FlagSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const out: ParsedArgs = { positionals: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      out.flags.help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = arg.startsWith('--') ? byName.get(name) : undefined;
    if (!spec) {
      const known = specs.map((s) => `--${s.name}`).join(', ');
      throw new UsageError(`unknown option ${arg.split('=')[0]} for "${command}" (options: ${known})`);
    }
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      out.flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value (${spec.value})`);
    out.flags[name] = value;
  }
  return out;
}

export const HELP_FLAG: FlagSpec = { name: 'help', description: 'show this help' };
