// The board shims' shared logic (hal/boards/common, the pure C of hal/boards/elasticnode)
// built with the host compiler and run: frame queues, HERMES addressing, the beacon
// element, the stored config format, the console, the tree link between two nodes, the
// wait loop, the Elastic Node link protocol against a bridge written in C, and the FPGA
// accelerator sequence against a simulated skeleton. The same files are compiled for the
// ESP8266's lx106 and the RP2040's Cortex-M0+ with Debian's cross compilers.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../tools/firmware/native.ts';

const cc = process.env.CC ?? 'cc';
const dir = mkdtempSync(join(tmpdir(), 'myco-boards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cFiles = (sub: string) =>
  readdirSync(join(ROOT, sub))
    .filter((f) => f.endsWith('.c'))
    .map((f) => join(ROOT, sub, f));

const COMMON = cFiles('hal/boards/common');
const ENODE = cFiles('hal/boards/elasticnode');
const SHELL_PURE = ['hal/shell/myco_config.c', 'hal/shell/myco_format.c'].map((f) => join(ROOT, f));
const INCLUDES = ['hal/include', 'hal/shell', 'hal/boards/common', 'hal/boards/elasticnode'].flatMap((d) => ['-I', join(ROOT, d)]);
const STRICT = ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror', '-Wshadow', '-Wstrict-prototypes'];

function build(name: string, sources: string[]): string {
  const out = join(dir, name);
  const r = spawnSync(cc, [...STRICT, '-O1', ...INCLUDES, ...sources, '-o', out], { encoding: 'utf8' });
  expect(r.status, `${cc} ${name}:\n${r.stderr}`).toBe(0);
  return out;
}

/** Runs a check driver; its lines are `ok <name>` or `fail <name> <where> <expr>`. */
function runDriver(exe: string): Map<string, string[]> {
  const r = spawnSync(exe, [], { encoding: 'utf8', timeout: 20_000 });
  expect(r.status, r.stderr).toBe(0);
  const results = new Map<string, string[]>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(ok|fail) (\w+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const list = results.get(m[2]) ?? [];
    if (m[1] === 'fail') list.push(m[3]);
    else list.push('ok');
    results.set(m[2], list);
  }
  return results;
}

function expectPassed(results: Map<string, string[]>, name: string) {
  const got = results.get(name);
  expect(got, `${name} did not run`).toBeDefined();
  expect(got!.filter((x) => x !== 'ok'), `${name} failed checks`).toEqual([]);
  expect(got).toContain('ok');
}

describe('hal/boards/common on the host', () => {
  let results: Map<string, string[]>;
  beforeAll(() => {
    results = runDriver(build('common_test', [join(ROOT, 'test/boards/common_test.c'), ...COMMON, ...SHELL_PURE]));
  });

  it('CRC-16/CCITT-FALSE gives the catalogue check value', () => expectPassed(results, 'crc16_check_value'));
  it('the frame queue keeps order, drops on overflow and wraps its indices', () => expectPassed(results, 'frame_queue_order_and_overflow'));
  it('the frame queue refuses long frames and cuts SCAN_DONE records to the inbox', () => expectPassed(results, 'frame_queue_length_limits'));
  it('the ESP-NOW peer table evicts the least recently used MAC', () => expectPassed(results, 'peer_table_lru'));
  it('HERMES addressing: ids and softAP addresses from MACs, SSIDs both ways', () => expectPassed(results, 'hermes_addressing'));
  it('the node id: the settings’ id (with a MAC ending in it) or the MAC’s', () => expectPassed(results, 'hermes_node_id'));
  it('a radio table without wifi, poll or timers answers NOT_AVAILABLE and no deadline', () => expectPassed(results, 'radio_table_defaults'));
  it('the beacon element carries the ADVERTISE value', () => expectPassed(results, 'beacon_element'));
  it('the stored config record round-trips and rejects erased or corrupt flash', () => expectPassed(results, 'cfg_store_round_trip'));
  it('the serial console edits, shows and saves settings', () => expectPassed(results, 'console_commands'));
  it('tree link: a scan reports records strongest first with their adverts; JOIN needs a scanned id', () => expectPassed(results, 'tree_scan_records'));
  it('tree link: join, HELLO registration, frames both ways, broadcast to parent and children', () => expectPassed(results, 'tree_join_and_frames'));
  it('tree link: RELEASE, LEAVE, a station leaving and beacon loss give the simulator’s events', () => expectPassed(results, 'tree_release_leave_and_loss'));
  it('tree link: a refused or silent join ends in JOIN_FAILED; LEAVE cancels one', () => expectPassed(results, 'tree_join_failures'));
  it('tree link: HELLO repeats until WELCOME; strangers are dropped and counted', () => expectPassed(results, 'tree_hello_repeats'));
  it('the wait loop: time-outs, frames, radio timers, console requests', () => expectPassed(results, 'wait_loop'));
});

describe('hal/boards/elasticnode on the host', () => {
  let results: Map<string, string[]>;
  beforeAll(() => {
    results = runDriver(build('enode_test', [join(ROOT, 'test/boards/enode_test.c'), ...COMMON, ...ENODE, ...SHELL_PURE]));
  });

  it('link framing: stuffing, resynchronisation, CRC and length limits', () => expectPassed(results, 'elink_round_trip'));
  it('link: HELLO until READY, credits bound the SENDs, a restarted bridge is re-greeted', () => expectPassed(results, 'net_hello_and_credits'));
  it('link: the node id comes from the bridge’s MAC when none is set', () => expectPassed(results, 'net_id_from_bridge_mac'));
  it('link: frames, events and notes arrive; WIFI is answered in time or BUSY', () => expectPassed(results, 'net_frames_events_and_wifi'));
  it('FPGA: configure once per design, write, start, wait for not busy, read; idle power-off', () => expectPassed(results, 'fpga_runs'));
  it('FPGA: a wrong design id or a hung accelerator falls back to the Wasm kernel', () => expectPassed(results, 'fpga_failures'));
  it('FPGA: configuration that never completes is bounded', () => expectPassed(results, 'fpga_config_timeout'));
});

describe('the shared board logic cross-compiles', () => {
  const sources = [...COMMON, ...ENODE, ...SHELL_PURE];
  const crossCompile = (gcc: string, flags: string[]) => {
    const failures: string[] = [];
    for (const src of sources) {
      const r = spawnSync(gcc, [...flags, '-std=c99', '-Os', '-Wall', '-Wextra', '-Werror', ...INCLUDES, '-c', src, '-o', join(dir, 'x.o')], { encoding: 'utf8' });
      if (r.error) throw new Error(`${gcc} not found: install Debian package ${gcc.startsWith('xtensa') ? 'gcc-xtensa-lx106 picolibc-xtensa-lx106-elf' : 'gcc-arm-none-eabi libnewlib-arm-none-eabi'}`);
      if (r.status !== 0) failures.push(`${src}:\n${r.stderr}`);
    }
    return failures;
  };

  it('for the ESP8266 (xtensa-lx106-elf-gcc, picolibc)', () => {
    expect(crossCompile('xtensa-lx106-elf-gcc', ['--specs=/usr/lib/xtensa-lx106-elf/picolibc.specs', '-mlongcalls'])).toEqual([]);
  });

  it('for the RP2040 (arm-none-eabi-gcc, Cortex-M0+)', () => {
    expect(crossCompile('arm-none-eabi-gcc', ['-mcpu=cortex-m0plus', '-mthumb', '--specs=nano.specs'])).toEqual([]);
  });
});
