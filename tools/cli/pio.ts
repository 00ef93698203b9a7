// PlatformIO from the `myco` command: which platformio.ini environment builds each board,
// finding `pio` on PATH, and running it in the repository (where platformio.ini is).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from './args.ts';
import { didYouMean } from '../../host-sim/schema-errors.ts';
import { REPO_ROOT } from '../../host-sim/paths.ts';

/** Board name (boards/*.json) -> platformio.ini environment of its firmware. */
export const BOARD_ENVS: Readonly<Record<string, string>> = {
  esp32: 'esp32dev',
  esp8266: 'nodemcuv2',
  'elasticnode-v5': 'elasticnode_v5',
};

/** The Elastic Node v5's ESP32 network module runs its own image (docs/boards.md). */
export const BRIDGE_ENVS: Readonly<Record<string, string>> = {
  'elasticnode-v5': 'elasticnode_v5_bridge',
};

export const PIO_MISSING =
  'PlatformIO is not installed (no `pio` on PATH). Install it with `pip install platformio`\n' +
  '(or the PlatformIO IDE extension for VS Code, whose `pio` is in ~/.platformio/penv/bin), then try again.';

/** The platformio.ini environment for `board`; a usage error names the boards there are. */
export function envForBoard(board: string, bridge = false): string {
  const table = bridge ? BRIDGE_ENVS : BOARD_ENVS;
  const env = table[board];
  if (env) return env;
  const known = Object.keys(table);
  if (bridge && BOARD_ENVS[board]) throw new UsageError(`--bridge: board "${board}" has no separate network module; only ${known.join(', ')} has`);
  throw new UsageError(`no firmware for board "${board}"${didYouMean(board, known)}; boards with firmware: ${known.join(', ')}`);
}

/** The `pio` (or `platformio`) executable on PATH, or null. */
export function findPio(path = process.env.PATH ?? ''): string | null {
  const names = process.platform === 'win32' ? ['pio.exe', 'platformio.exe', 'pio.cmd'] : ['pio', 'platformio'];
  for (const d of path.split(delimiter)) {
    if (!d) continue;
    for (const n of names) if (existsSync(join(d, n))) return join(d, n);
  }
  return null;
}

/** The command line `myco` runs, for messages and --dry-run. */
export function showCommand(args: string[]): string {
  return ['pio', ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Runs pio with the terminal attached (uploads print progress, the monitor is interactive). */
export function runPio(pio: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(pio, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
