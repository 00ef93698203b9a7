// Help texts, generated from the command declarations so they cannot fall behind the
// parser.

import type { Command } from './command.ts';

function section(title: string, rows: [string, string][]): string {
  if (!rows.length) return '';
  const width = Math.max(...rows.map(([a]) => a.length));
  return `${title}:\n${rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n')}\n`;
}

export function commandHelp(cmd: Command): string {
  const flags: [string, string][] = cmd.flags.map((f) => [
    `--${f.name}${f.value ? ` ${f.value}` : ''}${f.name === 'help' ? ', -h' : ''}`,
    `${f.description}${f.default ? ` (default: ${f.default})` : ''}`,
  ]);
  return [
    `Usage: ${cmd.usage}\n`,
    `${cmd.description}\n`,
    section('Arguments', cmd.args),
    section('Options', flags),
    section('Examples', cmd.examples),
  ]
    .filter(Boolean)
    .join('\n');
}

export function mainHelp(commands: Command[], version: string): string {
  return [
    `myco ${version}: self-organising machine-learning swarms of microcontrollers\n`,
    'Usage: myco <command> [options]\n',
    section('Commands', [...commands.map((c): [string, string] => [c.usage.replace(/^myco /, '').split(' [')[0].replace(/ <.*$/, ''), c.summary]), ['help [command]', 'show help for a command']]),
    section('Options', [
      ['--help, -h', 'show this help'],
      ['--version', 'print the version'],
    ]),
    section('Examples', [
      ['myco sim', 'run the built-in default scenario (12 nodes, 60 s)'],
      ['myco sim scenarios/default.yaml --seed 7', 'run a scenario file with another seed'],
      ['myco scenario check my.yaml', 'validate a scenario without running it'],
      ['myco help sim', 'every option of `myco sim`'],
    ]),
    'Run `myco help <command>` or `myco <command> --help` for details. Documentation: docs/simulator.md\n',
  ].join('\n');
}
