// The native shell's guards, proven with small probe modules written in WAT: the ABI
// version check, the memory budget (the runtime backs exactly the board's bytes even
// though the module declares a whole 64 KiB page), buffers handed to HAL imports, and
// the module's own panic. Each fault must end in the panic path, never in a write
// outside the budget.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS, isArrayKey, type ConfigKey } from '../tools/wire/config.ts';
import { buildNative, type NativeBuild } from '../tools/firmware/native.ts';
import { freePortBase, runNode } from './native-process.ts';

const BUDGET = 24576; // boards/esp8266.json
const dir = mkdtempSync(join(tmpdir(), 'myco-probe-'));

/** init reads one config record from the inbox and acts on its key:
 *  16 store 4 bytes at the value, 17 hand hal.send a 4-byte buffer at the value,
 *  18 report the value as heap_top, 19 call hal.panic with the value as its code,
 *  20 grow memory by one page, then store 4 bytes at the value,
 *  21 grow memory by one page, then hand hal.send a 4-byte buffer at the value. */
function probe(abiVersion: number): string {
  return `(module
  (import "hal" "send" (func $send (param i32 i32 i32) (result i32)))
  (import "hal" "panic" (func $panic (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 3000) "boom")
  (global (export "ABI_VERSION") i32 (i32.const ${abiVersion}))
  (global $heap (mut i32) (i32.const 4096))
  (func (export "inbox") (result i32) (i32.const 1024))
  (func (export "inbox_size") (result i32) (i32.const 256))
  (func (export "outbox") (result i32) (i32.const 2048))
  (func (export "heap_top") (result i32) (global.get $heap))
  (func (export "init") (param $id i32) (param $len i32) (result i32)
    (local $key i32) (local $val i32)
    (if (i32.lt_u (local.get $len) (i32.const 6)) (then (return (i32.const 0))))
    (local.set $key (i32.load8_u (i32.const 1024)))
    (local.set $val (i32.load (i32.const 1026)))
    (if (i32.eq (local.get $key) (i32.const 16))
      (then (i32.store (local.get $val) (i32.const 0x5a5a5a5a))))
    (if (i32.eq (local.get $key) (i32.const 17))
      (then (drop (call $send (i32.const 0xffff) (local.get $val) (i32.const 4)))))
    (if (i32.eq (local.get $key) (i32.const 18))
      (then (global.set $heap (local.get $val))))
    (if (i32.eq (local.get $key) (i32.const 19))
      (then (call $panic (local.get $val) (i32.const 3000) (i32.const 4)) unreachable))
    (if (i32.eq (local.get $key) (i32.const 20))
      (then (drop (memory.grow (i32.const 1))) (i32.store (local.get $val) (i32.const 0x5a5a5a5a))))
    (if (i32.eq (local.get $key) (i32.const 21))
      (then (drop (memory.grow (i32.const 1))) (drop (call $send (i32.const 0xffff) (local.get $val) (i32.const 4)))))
    (i32.const 0))
  (func (export "on_frame") (param i32 i32 i32))
  (func (export "on_link") (param i32 i32))
  (func (export "submit") (param i32 i32) (result i32) (i32.const -1))
  (func (export "tick") (param i32) (result i32) (i32.const -1))
  (func (export "inspect") (param i32) (result i32) (i32.const 0)))
`;
}

async function buildProbe(name: string, abiVersion: number, board = 'esp8266'): Promise<NativeBuild> {
  const wat = join(dir, `${name}.wat`);
  const wasm = join(dir, `${name}.wasm`);
  writeFileSync(wat, probe(abiVersion));
  const r = spawnSync('wat2wasm', [wat, '-o', wasm], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`wat2wasm (Debian package wabt): ${r.error?.message ?? r.stderr}`);
  return buildNative({ wasm, board, outDir: join(dir, name) });
}

let good: NativeBuild;
let future: NativeBuild;
/** A budget above the module's one page (boards/esp32.json): memory checks follow the pages. */
let roomy: NativeBuild;
let base: number;
const ROOMY_BUDGET = 196608;

beforeAll(async () => {
  [good, future, roomy, base] = await Promise.all([
    buildProbe('v1', 1), buildProbe('v2', 2), buildProbe('roomy', 1, 'esp32'), freePortBase(1)]);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (binary: string, set?: string) =>
  runNode(binary, ['--id', '1', '--peers', '1', '--port-base', String(base), '--duration-ms', '100', ...(set ? ['--set', set] : [])]);

describe('native runtime guards', () => {
  it('refuses a module of another ABI version, naming both versions', async () => {
    const { exit, stdout, stderr } = await run(future.binary);
    expect(exit.code).toBe(1);
    expect(stderr).toContain('module ABI version 2, this host speaks ABI version 1');
    expect(stdout).not.toContain('ready');
  });

  it('backs memory up to the last byte of the budget', async () => {
    const { exit, stdout } = await run(good.binary, `16=${BUDGET - 4}`);
    expect(exit.code, stdout).toBe(0);
    expect(stdout).toContain(`budget=${BUDGET}`);
    expect(stdout).toContain('stopped reason=duration');
  });

  it.each([BUDGET, BUDGET - 2, 65532])('traps a store at %i into the panic path', async (address) => {
    const { exit, stdout, stderr } = await run(good.binary, `16=${address}`);
    expect(exit.code).toBe(3);
    expect(stdout).toContain(`panic init: trap: out-of-bounds memory access (memory budget ${BUDGET} bytes)`);
    expect(stderr).toContain('panic');
  });

  it('checks accesses against the module\'s pages when the budget is larger, and follows memory.grow', async () => {
    expect(roomy.budget).toBe(ROOMY_BUDGET);
    // The image backs 192 KiB, the module has one page: a store past the page traps...
    const past = await run(roomy.binary, '16=65536');
    expect(past.exit.code).toBe(3);
    expect(past.stdout).toContain('panic init: trap: out-of-bounds memory access');
    // ...until the module grows its memory; the second page's last word then holds.
    const grown = await run(roomy.binary, '20=131068');
    expect(grown.exit.code, grown.stdout).toBe(0);
    const beyond = await run(roomy.binary, '20=131069');
    expect(beyond.exit.code).toBe(3);
    // HAL imports see the grown memory within the same call, too.
    const handed = await run(roomy.binary, '21=131068');
    expect(handed.exit.code, handed.stdout).toBe(0);
    expect((await run(roomy.binary, '21=131069')).stdout).toContain('hal.send was given a buffer outside');
  });

  it('builds with the runtime\'s memory checks swapped in (no silent fallback to wasm2c\'s)', () => {
    for (const build of [good, roomy]) {
      const c = readFileSync(join(dir, build === good ? 'v1' : 'roomy', 'myco_module.c'), 'utf8');
      expect(c).toContain('#include "myco_wasm_memory.h"');
      expect(c).toContain('#define MYCO_RT_INITIAL_PAGES 1');
    }
  });

  it('traps when a HAL import is handed a buffer beyond the budget', async () => {
    const { exit, stdout } = await run(good.binary, `17=${BUDGET - 2}`);
    expect(exit.code).toBe(3);
    expect(stdout).toContain('panic init: trap: hal.send was given a buffer outside');
  });

  it('refuses a heap top above the budget after init', async () => {
    const { exit, stderr } = await run(good.binary, '18=30000');
    expect(exit.code).toBe(1);
    expect(stderr).toContain(`heap top 30000 after init exceeds the Wasm memory budget of ${BUDGET} bytes`);
  });

  it('reports the module panic with its code and message', async () => {
    const { exit, stdout } = await run(good.binary, '19=7');
    expect(exit.code).toBe(3);
    expect(stdout).toContain('panic init: module panic (code 7): boom');
  });

  it('knows the config keys of tools/wire/config.ts (names, numbers, widths, ranges)', async () => {
    const help = await runNode(good.binary, ['--help']);
    expect(help.exit.code).toBe(0);
    const listed: Record<string, object> = {};
    // A u32[] key: "key 96, 4 bytes x 1..31, default none, 0..100000000".
    for (const m of help.stdout.matchAll(/^\s+(\w+)\s+key (\d+), (\d) bytes(?: x 1\.\.(\d+))?, default (\d+|none), (\d+)\.\.(\d+)$/gm)) {
      listed[m[1]] = { key: +m[2], size: +m[3], entries: m[4] ? +m[4] : 0, default: m[5] === 'none' ? null : +m[5], min: +m[6], max: +m[7] };
    }
    const expected = Object.fromEntries(
      Object.entries(CONFIG_KEYS as Record<string, ConfigKey>).map(([name, k]) => [
        name,
        { key: k.key, size: k.size, entries: isArrayKey(k) ? k.maxEntries : 0, default: k.default, min: k.min, max: k.max },
      ]),
    );
    expect(listed).toEqual(expected);
  });

  it('rejects a bad command line with a usage error', async () => {
    const noId = await runNode(good.binary, []);
    expect(noId.exit.code).toBe(2);
    expect(noId.stderr).toContain('--id is required');
    const badKey = await runNode(good.binary, ['--id', '1', '--set', 'helo_interval_ms=5']);
    expect(badKey.exit.code).toBe(2);
    expect(badKey.stderr).toContain('unknown config key "helo_interval_ms"');
    // The module is compiled into an aot build; only an interpreter build loads another.
    const wasm = await runNode(good.binary, ['--id', '1', '--wasm', 'other.wasm']);
    expect(wasm.exit.code).toBe(2);
    expect(wasm.stderr).toContain('runs the module compiled into it (engine aot)');
  });
});
