// platformio.ini cannot be tried with PlatformIO on this machine, so it is checked here:
// its environments, platforms and boards, the engine and memory budget of each firmware
// against boards/*.json, option names against the ones PlatformIO documents, source filters
// and include paths against the tree, the `myco flash` board table against its environments,
// and that every board image's sources define the whole board shim of myco_hal.h.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARD_ENVS, BRIDGE_ENVS } from '../tools/cli/pio.ts';
import { REPO_ROOT } from '../host-sim/paths.ts';

type Section = Map<string, string>;

/** INI as PlatformIO reads it: `;` comments, continuation lines indented, ${section.option}. */
function parseIni(text: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let current: Section | null = null;
  let last: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s;.*$/, '').replace(/^;.*$/, '');
    if (!line.trim()) continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1], current);
      last = null;
      continue;
    }
    if (!current) throw new Error(`option outside a section: ${raw}`);
    if (/^\s/.test(line)) {
      if (!last) throw new Error(`continuation without an option: ${raw}`);
      current.set(last, `${current.get(last)}\n${line.trim()}`);
      continue;
    }
    const kv = /^([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`not an option: ${raw}`);
    last = kv[1];
    current.set(last, kv[2].trim());
  }
  return sections;
}

const ini = parseIni(readFileSync(join(REPO_ROOT, 'platformio.ini'), 'utf8'));

/** An environment's value of `option`, inherited from [env], with ${...} expanded. */
function option(env: string, name: string): string | undefined {
  const own = ini.get(`env:${env}`)!;
  const raw = own.has(name) ? own.get(name) : ini.get('env')?.get(name);
  return raw === undefined ? undefined : expand(raw, 0);
}

function expand(value: string, depth: number): string {
  if (depth > 10) throw new Error('interpolation too deep');
  return value.replace(/\$\{([\w-]+)\.([\w.-]+)\}/g, (_, sec: string, key: string) => {
    const v = ini.get(sec)?.get(key);
    if (v === undefined) throw new Error(`\${${sec}.${key}} is not defined`);
    return expand(v, depth + 1);
  });
}

const lines = (v: string | undefined) => (v ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
const envNames = [...ini.keys()].filter((k) => k.startsWith('env:')).map((k) => k.slice(4));
const board = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'boards', `${name}.json`), 'utf8')) as { engine: string; wasm_memory_budget: number };
const define = (env: string, name: string) => {
  const flags = lines(option(env, 'build_flags')).join(' ');
  const m = new RegExp(`-D\\s*${name}(?:=(\\S+))?(?:\\s|$)`).exec(flags);
  return m ? (m[1] ?? '1') : undefined;
};

/** Option names checked against PlatformIO's documentation (docs/boards.md lists the pages). */
const KNOWN_ENV_OPTIONS = new Set([
  'platform', 'board', 'framework', 'build_flags', 'build_src_filter', 'lib_deps', 'extra_scripts', 'monitor_speed',
  'board_build.core', 'board_build.filesystem', 'board_build.filesystem_size', 'board_upload.maximum_size',
]);
const KNOWN_PLATFORMIO_OPTIONS = new Set(['src_dir', 'default_envs']);

/** Firmware environments: a board's node image (engine, budget, module). */
const FIRMWARE = envNames.filter((e) => option(e, 'custom_myco_board') !== undefined);

describe('platformio.ini', () => {
  it('has the environments of every board, the network module and the native build', () => {
    for (const env of ['esp32dev', 'nodemcuv2', 'elasticnode_v5', 'elasticnode_v5_bridge', 'native']) expect(envNames).toContain(env);
    expect(ini.get('platformio')?.get('default_envs')).toBe('esp32dev');
    expect(ini.get('platformio')?.get('src_dir')).toBe('hal');
  });

  it('uses real platforms, boards and frameworks', () => {
    expect([option('esp32dev', 'platform'), option('esp32dev', 'board'), option('esp32dev', 'framework')]).toEqual(['espressif32', 'esp32dev', 'arduino']);
    expect([option('nodemcuv2', 'platform'), option('nodemcuv2', 'board'), option('nodemcuv2', 'framework')]).toEqual(['espressif8266', 'nodemcuv2', 'arduino']);
    // arduino-pico (earlephilhower) through maxgerhardt's platform, as that core documents.
    expect(option('elasticnode_v5', 'platform')).toBe('https://github.com/maxgerhardt/platform-raspberrypi.git');
    expect(option('elasticnode_v5', 'board')).toBe('pico');
    expect(option('elasticnode_v5', 'board_build.core')).toBe('earlephilhower');
    expect(option('elasticnode_v5', 'framework')).toBe('arduino');
    expect(option('elasticnode_v5_bridge', 'platform')).toBe('espressif32');
    expect(option('native', 'platform')).toBe('native');
    expect(option('native', 'framework')).toBeUndefined();
  });

  it('names only documented options (and custom_ ones)', () => {
    for (const [name, section] of ini) {
      for (const key of section.keys()) {
        if (name === 'platformio') expect(KNOWN_PLATFORMIO_OPTIONS, `[platformio] ${key}`).toContain(key);
        else if (name.startsWith('env')) {
          if (!key.startsWith('custom_')) expect(KNOWN_ENV_OPTIONS, `[${name}] ${key}`).toContain(key);
        }
      }
    }
  });

  it('each firmware selects one engine and its board’s memory budget from boards/*.json', () => {
    expect(FIRMWARE.sort()).toEqual(['elasticnode_v5', 'esp32dev', 'native', 'nodemcuv2']);
    for (const env of FIRMWARE) {
      const b = board(option(env, 'custom_myco_board')!);
      const wasm3 = define(env, 'MYCO_ENGINE_WASM3') !== undefined;
      const aot = define(env, 'MYCO_ENGINE_AOT') !== undefined;
      expect(wasm3 !== aot, `${env}: exactly one engine`).toBe(true);
      expect(Number(define(env, 'MYCO_MEMORY_BUDGET')), `${env} budget`).toBe(b.wasm_memory_budget);
      // A board image runs its descriptor's engine; the native build is the aot path on the host.
      if (env !== 'native') expect(wasm3 ? 'wasm3' : 'aot', env).toBe(b.engine);
      else expect(aot).toBe(true);
      expect(lines(option(env, 'lib_deps')).includes('wasm3/Wasm3'), `${env}: wasm3 library iff the wasm3 engine`).toBe(wasm3);
      expect(option(env, 'extra_scripts'), `${env}: the module is built and embedded`).toBe('pre:tools/firmware/pio_prebuild.py');
      const filter = lines(option(env, 'build_src_filter'));
      expect(filter).toContain(wasm3 ? '+<shell/wasm3/>' : '+<shell/aot/>');
      expect(filter).not.toContain(wasm3 ? '+<shell/aot/>' : '+<shell/wasm3/>');
    }
  });

  it('the network module image has no module, engine or budget', () => {
    expect(option('elasticnode_v5_bridge', 'extra_scripts')).toBe('');
    expect(option('elasticnode_v5_bridge', 'lib_deps')).toBeUndefined();
    expect(define('elasticnode_v5_bridge', 'MYCO_MEMORY_BUDGET')).toBeUndefined();
  });

  it('source filters and include paths name what is in the tree', () => {
    const src = join(REPO_ROOT, ini.get('platformio')!.get('src_dir')!);
    for (const env of envNames) {
      for (const entry of lines(option(env, 'build_src_filter'))) {
        const m = /^[+-]<(.+)>$/.exec(entry);
        expect(m, `${env}: ${entry}`).not.toBeNull();
        const path = m![1];
        if (path === '*') continue;
        if (path.includes('*')) {
          const dir = join(src, path.slice(0, path.lastIndexOf('/')));
          const ext = path.slice(path.lastIndexOf('.'));
          expect(readdirSync(dir).some((f) => f.endsWith(ext)), `${env}: ${entry}`).toBe(true);
        } else expect(existsSync(join(src, path)), `${env}: ${entry}`).toBe(true);
      }
      for (const m of lines(option(env, 'build_flags')).join(' ').matchAll(/-I\s*(\S+)/g)) {
        expect(statSync(join(REPO_ROOT, m[1])).isDirectory(), `${env}: -I ${m[1]}`).toBe(true);
      }
    }
  });

  it('`myco flash` knows every board image and the network module', () => {
    for (const [b, env] of Object.entries(BOARD_ENVS)) {
      expect(envNames).toContain(env);
      expect(option(env, 'custom_myco_board')).toBe(b);
    }
    for (const env of Object.values(BRIDGE_ENVS)) expect(envNames).toContain(env);
  });

  it('every board image defines the whole board shim of myco_hal.h', () => {
    const hal = readFileSync(join(REPO_ROOT, 'hal/include/myco_hal.h'), 'utf8');
    const shim = [...hal.matchAll(/^\w[\w ]*?\**(myco_shim_\w+)\(/gm)].map((m) => m[1]);
    expect(shim.length).toBeGreaterThanOrEqual(15);
    for (const fn of ['myco_shim_send', 'myco_shim_wait', 'myco_shim_wifi', 'myco_shim_accel', 'myco_shim_panic']) expect(shim).toContain(fn);
    const src = join(REPO_ROOT, 'hal');
    const sourcesOf = (env: string): string[] => {
      const files: string[] = [];
      for (const entry of lines(option(env, 'build_src_filter'))) {
        const m = /^\+<(.+?)\/?>$/.exec(entry);
        if (!m || m[1].includes('*')) continue;
        const p = join(src, m[1]);
        if (statSync(p).isDirectory()) files.push(...readdirSync(p).filter((f) => /\.(c|cpp)$/.test(f)).map((f) => join(p, f)));
        else files.push(p);
      }
      return files;
    };
    for (const env of ['esp32dev', 'nodemcuv2', 'elasticnode_v5', 'native']) {
      const text = sourcesOf(env).map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const fn of shim) {
        // A definition: the name at the start of a line's declarator, followed by a body.
        expect(new RegExp(`^(?:extern "C" )?[\\w ]*\\b${fn}\\([^;{]*\\)\\s*\\{`, 'm').test(text), `${env} defines ${fn}`).toBe(true);
      }
    }
  });
});
