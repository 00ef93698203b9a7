// `myco flash` and `myco monitor` drive PlatformIO. A fake `pio` on PATH (a shell script
// that records its arguments and working directory) stands in for it, so the tests see
// exactly the command line a user's PlatformIO would get.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../tools/cli/main.ts';
import { BOARD_ENVS, BRIDGE_ENVS, findPio } from '../tools/cli/pio.ts';
import { REPO_ROOT } from '../host-sim/paths.ts';

const BIN = fileURLToPath(new URL('../bin/myco.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'myco-pio-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A directory holding a fake `pio` that logs argv (one per line) after its cwd. */
function fakePio(exitCode = 0): { bin: string; log: string } {
  const bin = mkdtempSync(join(tmp, 'bin-'));
  const log = join(bin, 'argv.log');
  writeFileSync(
    join(bin, 'pio'),
    `#!/bin/sh\npwd > "${log}"\nfor a in "$@"; do printf '%s\\n' "$a" >> "${log}"; done\nexit ${exitCode}\n`,
  );
  chmodSync(join(bin, 'pio'), 0o755);
  return { bin, log };
}

/** Runs the real `myco` with only `pathDirs` on PATH (node is started by its full path). */
function myco(args: string[], pathDirs: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: pathDirs.join(':') },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function recorded(log: string): { cwd: string; argv: string[] } {
  const [cwd, ...argv] = readFileSync(log, 'utf8').trimEnd().split('\n');
  return { cwd, argv };
}

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stderr: process.stderr });
  return { code, out, err };
}

describe('myco flash', () => {
  it('runs `pio run -e <env> -t upload` in the repository for each board', () => {
    for (const [board, env] of Object.entries(BOARD_ENVS)) {
      const { bin, log } = fakePio();
      const r = myco(['flash', board], [bin]);
      expect(r.code, r.err).toBe(0);
      expect(recorded(log)).toEqual({ cwd: REPO_ROOT, argv: ['run', '-e', env, '-t', 'upload'] });
      expect(r.err).toContain(`pio run -e ${env} -t upload`);
    }
  });

  it('passes --port as the upload port, and --bridge selects the network module’s image', () => {
    const { bin, log } = fakePio();
    expect(myco(['flash', 'esp8266', '--port', '/dev/ttyUSB3'], [bin]).code).toBe(0);
    expect(recorded(log).argv).toEqual(['run', '-e', 'nodemcuv2', '-t', 'upload', '--upload-port', '/dev/ttyUSB3']);
    expect(myco(['flash', 'elasticnode-v5', '--bridge'], [bin]).code).toBe(0);
    expect(recorded(log).argv).toEqual(['run', '-e', BRIDGE_ENVS['elasticnode-v5'], '-t', 'upload']);
  });

  it('a failing upload exits 1 and names pio’s code', () => {
    const { bin } = fakePio(3);
    const r = myco(['flash', 'esp32'], [bin]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('pio exited with code 3');
  });

  it('without pio on PATH it says how to install PlatformIO and exits 1', () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const r = myco(['flash', 'esp32'], [empty]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('pip install platformio');
    expect(r.err).toContain('VS Code');
  });

  it('usage errors exit 2: no board, an unknown board (with a suggestion), a bridge of a board without one', async () => {
    expect((await cli('flash')).code).toBe(2);
    const unknown = await cli('flash', 'esp3');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no firmware for board "esp3"');
    expect(unknown.err).toContain('esp32');
    expect((await cli('flash', 'rpi3')).code).toBe(2);
    const bridge = await cli('flash', 'esp32', '--bridge');
    expect(bridge.code).toBe(2);
    expect(bridge.err).toContain('elasticnode-v5');
    expect((await cli('flash', 'esp32', 'esp8266')).code).toBe(2);
    expect((await cli('flash', 'esp32', '--speed', '9')).code).toBe(2);
  });

  it('--dry-run prints the command without needing pio', async () => {
    const r = await cli('flash', 'elasticnode-v5', '--port', 'COM3', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toBe('pio run -e elasticnode_v5 -t upload --upload-port COM3\n');
  });

  it('has help with the board table and examples', async () => {
    const r = await cli('help', 'flash');
    expect(r.code).toBe(0);
    for (const [board, env] of Object.entries(BOARD_ENVS)) expect(r.out).toMatch(new RegExp(`${board}\\s+${env}`));
    for (const word of ['Usage: myco flash <board>', '--port PORT', '--bridge', '--dry-run', 'Examples:', 'pip install platformio']) expect(r.out).toContain(word);
  });
});

describe('myco monitor', () => {
  it('--serial [port] runs `pio device monitor` with the port and speed', () => {
    const { bin, log } = fakePio();
    expect(myco(['monitor', '--serial', '/dev/ttyACM0'], [bin]).code).toBe(0);
    expect(recorded(log)).toEqual({ cwd: REPO_ROOT, argv: ['device', 'monitor', '-p', '/dev/ttyACM0', '-b', '115200'] });
    expect(myco(['monitor', '--serial', '--board', 'esp8266', '--baud', '74880'], [bin]).code).toBe(0);
    expect(recorded(log).argv).toEqual(['device', 'monitor', '-b', '74880', '-e', 'nodemcuv2']);
  });

  it('without pio on PATH it says how to install PlatformIO and exits 1', () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const r = myco(['monitor', '--serial'], [empty]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('pip install platformio');
  });

  it('usage errors exit 2: no --serial, two ports, a bad speed, an unknown board', async () => {
    const r = await cli('monitor');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--serial');
    expect((await cli('monitor', '--serial', 'a', 'b')).code).toBe(2);
    expect((await cli('monitor', '--serial', '--baud', 'fast')).code).toBe(2);
    expect((await cli('monitor', '--serial', '--board', 'pdp11')).code).toBe(2);
  });

  it('has help and appears in `myco --help`', async () => {
    const help = await cli('monitor', '--help');
    expect(help.code).toBe(0);
    for (const word of ['Usage: myco monitor --serial [port]', '--board BOARD', '--baud N', '(default: 115200)', 'Examples:']) expect(help.out).toContain(word);
    const top = await cli('--help');
    expect(top.out).toContain('flash');
    expect(top.out).toContain('monitor --serial');
  });
});

describe('findPio', () => {
  it('finds pio or platformio on a PATH and nothing on an empty one', () => {
    const d = mkdtempSync(join(tmp, 'find-'));
    expect(findPio(d)).toBeNull();
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'platformio'), '');
    expect(findPio(`${d}:${join(d, 'sub')}`)).toBe(join(d, 'sub', 'platformio'));
    expect(existsSync(findPio(`${join(d, 'sub')}`)!)).toBe(true);
  });
});
