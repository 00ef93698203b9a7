// The shell restarts a failed module instead of exiting: a trap or hal.panic gives a fresh
// instance (memory and globals as the module declares them) that init starts again with
// the same config, while the process, its socket and its output stay. A probe module that
// fails on its k-th tick shows the restart, the reset state and the reported count, and
// that a crash loop still ends the process with exit code 3.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNative, type NativeBuild } from '../tools/firmware/native.ts';
import { freePortBase, runNode } from './native-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'myco-restart-'));

/** Config keys 16 and 17 (4-byte values) name the tick that traps and the tick that
 *  calls hal.panic. Every tick bumps a counter in linear memory and one in a global and
 *  emits both (kind 100, two u32), then asks for the next tick in 20 ms. */
const PROBE = `(module
  (import "hal" "emit" (func $emit (param i32 i32 i32)))
  (import "hal" "panic" (func $panic (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 3000) "boom")
  (global (export "ABI_VERSION") i32 (i32.const 1))
  (global $ticks (mut i32) (i32.const 0))
  (global $trap_at (mut i32) (i32.const 0))
  (global $panic_at (mut i32) (i32.const 0))
  (func (export "inbox") (result i32) (i32.const 1024))
  (func (export "inbox_size") (result i32) (i32.const 256))
  (func (export "outbox") (result i32) (i32.const 2048))
  (func (export "heap_top") (result i32) (i32.const 4096))
  (func (export "init") (param $id i32) (param $len i32) (result i32)
    (local $p i32) (local $end i32) (local $key i32)
    (local.set $p (i32.const 1024))
    (local.set $end (i32.add (i32.const 1024) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 6)) (local.get $end)))
        (local.set $key (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $key) (i32.const 16))
          (then (global.set $trap_at (i32.load (i32.add (local.get $p) (i32.const 2))))))
        (if (i32.eq (local.get $key) (i32.const 17))
          (then (global.set $panic_at (i32.load (i32.add (local.get $p) (i32.const 2))))))
        (local.set $p (i32.add (local.get $p)
          (i32.add (i32.const 2) (i32.load8_u (i32.add (local.get $p) (i32.const 1))))))
        (br $next)))
    (i32.const 0))
  (func (export "on_frame") (param i32 i32 i32))
  (func (export "on_link") (param i32 i32))
  (func (export "submit") (param i32 i32) (result i32) (i32.const -1))
  (func (export "tick") (param i32) (result i32)
    (i32.store (i32.const 4000) (i32.add (i32.load (i32.const 4000)) (i32.const 1)))
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (i32.store (i32.const 4004) (global.get $ticks))
    (call $emit (i32.const 100) (i32.const 4000) (i32.const 8))
    (if (i32.eq (global.get $ticks) (global.get $trap_at)) (then unreachable))
    (if (i32.eq (global.get $ticks) (global.get $panic_at))
      (then (call $panic (i32.const 7) (i32.const 3000) (i32.const 4)) unreachable))
    (i32.const 20))
  (func (export "inspect") (param i32) (result i32) (i32.const 0)))
`;

let probe: NativeBuild;
let base: number;

beforeAll(async () => {
  const wat = join(dir, 'restart.wat');
  const wasm = join(dir, 'restart.wasm');
  writeFileSync(wat, PROBE);
  const r = spawnSync('wat2wasm', [wat, '-o', wasm], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`wat2wasm (Debian package wabt): ${r.error?.message ?? r.stderr}`);
  [probe, base] = await Promise.all([buildNative({ wasm, board: 'esp8266', outDir: join(dir, 'build') }), freePortBase(1)]);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  runNode(probe.binary, ['--id', '1', '--peers', '1', '--port-base', String(base), ...args]);

const u32hex = (hex: string) => Buffer.from(hex, 'hex').readUInt32LE(0);

/** The lines of each instance's life, split at its `ready` line. */
function lives(lines: string[]): string[][] {
  const out: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('ready ')) out.push([]);
    out.at(-1)?.push(line);
  }
  return out;
}

/** The (memory counter, global counter) pairs one life emitted. */
function counters(life: string[]): [number, number][] {
  return life
    .map((l) => /^emit kind=100 bytes=([0-9a-f]{8})([0-9a-f]{8})$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => [u32hex(m[1]), u32hex(m[2])]);
}

describe('native shell restarts a failed module', () => {
  it('starts a fresh instance after a trap, counting the restarts', async () => {
    const { exit, stdout } = await run('--set', '16=3', '--max-restarts', '32', '--duration-ms', '300');
    expect(exit.code, stdout).toBe(0);
    const lines = stdout.split('\n');
    const restarts = lines.filter((l) => l.startsWith('restart '));
    expect(restarts.length, stdout).toBeGreaterThanOrEqual(2);
    restarts.forEach((l, i) => expect(l).toBe(`restart count=${i + 1} reason=tick: trap: unreachable executed`));

    // Each instance announces itself with the count so far, on the same process.
    const ready = lines.filter((l) => l.startsWith('ready '));
    expect(ready.map((l) => Number(/ restarts=(\d+)$/.exec(l)?.[1]))).toEqual(restarts.map((_, i) => i).concat(restarts.length));

    // Memory and globals start over: every instance counts 1, 2, 3 and traps at 3 (the
    // last one may be stopped earlier by --duration-ms).
    const all = lives(lines);
    all.slice(0, -1).forEach((life) => expect(counters(life)).toEqual([[1, 1], [2, 2], [3, 3]]));
    expect(counters(all.at(-1)!).length).toBeLessThanOrEqual(3);

    expect(lines).toContain(`counter shell.restart=${restarts.length}`);
    expect(lines.at(-1)).toBe('stopped reason=duration');
  });

  it('restarts after hal.panic and logs its code and message', async () => {
    const { exit, stdout } = await run('--set', '17=2', '--max-restarts', '32', '--duration-ms', '150');
    expect(exit.code, stdout).toBe(0);
    expect(stdout).toContain('restart count=1 reason=tick: module panic (code 7): boom');
    expect(stdout).toContain('ready id=1 abi=1 engine=aot heap_top=4096 budget=24576 restarts=1');
  });

  it('gives up with exit code 3 after --max-restarts restarts within the window', async () => {
    const { exit, stdout, stderr } = await run('--set', '16=3', '--max-restarts', '2', '--restart-window-ms', '60000');
    expect(exit.code, stdout).toBe(3);
    const lines = stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('restart '))).toEqual([
      'restart count=1 reason=tick: trap: unreachable executed',
      'restart count=2 reason=tick: trap: unreachable executed',
    ]);
    expect(lines.filter((l) => l.startsWith('ready ')).map((l) => l.split(' ').at(-1))).toEqual(['restarts=0', 'restarts=1', 'restarts=2']);
    expect(lines.at(-1)).toBe('panic tick: trap: unreachable executed (gave up: 2 restarts within 60000 ms)');
    expect(stderr).toContain('panic');
  });

  it('keeps restarting while failures are further apart than the window', async () => {
    // One restart allowed per 30 ms, and each instance lives 40 ms (three ticks 20 ms apart).
    const { exit, stdout } = await run('--set', '16=3', '--max-restarts', '1', '--restart-window-ms', '30', '--duration-ms', '250');
    expect(exit.code, stdout).toBe(0);
    expect(stdout.split('\n').filter((l) => l.startsWith('restart ')).length).toBeGreaterThanOrEqual(2);
  });

  it('exits at the first failure with --max-restarts 0', async () => {
    const { exit, stdout } = await run('--set', '16=1', '--max-restarts', '0');
    expect(exit.code, stdout).toBe(3);
    expect(stdout).not.toContain('restart ');
    expect(stdout.split('\n').at(-1)).toBe('panic tick: trap: unreachable executed');
  });

  it('rejects a restart limit above the ring it is kept in', async () => {
    const { exit, stderr } = await run('--max-restarts', '33');
    expect(exit.code).toBe(2);
    expect(stderr).toContain('--max-restarts: "33" is not 0..32');
  });
});
