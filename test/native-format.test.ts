// The text form of hal/shell/myco_format.c and its TypeScript twin tools/firmware/lines.ts
// must agree on every input, not only on what the golden vectors happen to contain: every
// emit kind at its size and at wrong sizes, unknown kinds, control and UTF-8 bytes in logs,
// odd counter names, malformed dumps, and lines long enough to be cut.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../tools/firmware/native.ts';
import { formatEmit, formatLog, formatReport, formatSend, RECORD_FORMS } from '../tools/firmware/lines.ts';
import { xorshift32 } from '../tools/build/stub-hal.ts';

const dir = mkdtempSync(join(tmpdir(), 'myco-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Case = { op: 'emit' | 'log' | 'report' | 'send'; code: number; bytes: Uint8Array };

function cases(): Case[] {
  const rand = xorshift32(7);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => rand() & 0xff);
  const out: Case[] = [];
  for (const [kind, form] of Object.entries(RECORD_FORMS)) {
    const fixed = form.fields.reduce((n, f) => n + f.width, 0);
    for (const n of [fixed, fixed - 1, fixed + 1, fixed + 7, 0]) if (n >= 0) out.push({ op: 'emit', code: Number(kind), bytes: bytes(n) });
  }
  out.push({ op: 'emit', code: 200, bytes: bytes(5) }, { op: 'emit', code: 0, bytes: bytes(0) });
  out.push({ op: 'emit', code: 8, bytes: bytes(1200) }); // cut at the line buffer
  out.push({ op: 'send', code: 0xffff, bytes: bytes(250) }, { op: 'send', code: 3, bytes: bytes(1024) });
  const text = (s: string) => new TextEncoder().encode(s);
  out.push({ op: 'log', code: 1, bytes: text('plain words') });
  out.push({ op: 'log', code: 2, bytes: Uint8Array.of(0x41, 0x0a, 0x09, 0x7f, 0x42, 0xc3, 0xa9) });
  out.push({ op: 'log', code: 9, bytes: text('a level past debug') });
  out.push({ op: 'log', code: 0, bytes: Uint8Array.from({ length: 2000 }, (_, i) => 0x61 + (i % 26)) });
  const counter = (name: Uint8Array, v: number) => Uint8Array.of(name.length, ...name, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24);
  out.push({ op: 'report', code: 0, bytes: Uint8Array.of(...counter(text('wire.rx'), 7), ...counter(Uint8Array.of(0x61, 0x3d, 0x20, 0x09, 0xff), 0xfffffffe)) });
  out.push({ op: 'report', code: 0, bytes: Uint8Array.of(...counter(text('ok'), 1), 9, 0x61) }); // truncated
  const neighbours = (n: number) => Uint8Array.of(n & 0xff, n >> 8, ...bytes(n * 10));
  out.push({ op: 'report', code: 1, bytes: neighbours(3) }, { op: 'report', code: 1, bytes: neighbours(0) });
  out.push({ op: 'report', code: 1, bytes: neighbours(2).subarray(0, 15) }, { op: 'report', code: 1, bytes: Uint8Array.of(1) });
  const routes = (n: number) => Uint8Array.of(n & 0xff, n >> 8, ...bytes(4), ...bytes(n * 10));
  out.push({ op: 'report', code: 2, bytes: routes(4) }, { op: 'report', code: 2, bytes: routes(0) });
  out.push({ op: 'report', code: 2, bytes: routes(2).subarray(0, 20) }, { op: 'report', code: 2, bytes: Uint8Array.of(0, 0) });
  out.push({ op: 'report', code: 3, bytes: bytes(11) });
  return out;
}

function tsLines(c: Case): string[] {
  if (c.op === 'emit') return [formatEmit(c.code, c.bytes)];
  if (c.op === 'send') return [formatSend(c.code, c.bytes)];
  if (c.op === 'log') return [formatLog(c.code, c.bytes)];
  return formatReport(c.code, c.bytes);
}

describe('myco_format.c and lines.ts', () => {
  it('print the same lines for every kind of input', () => {
    const all = cases();
    const fn = { emit: 'myco_format_emit', log: 'myco_format_log', report: 'myco_format_report', send: 'myco_format_send' };
    const arrays = all.map((c, i) => `static const uint8_t b${i}[] = {${[...c.bytes, 0].join(',')}};`);
    const calls = all.map((c, i) => `    ${fn[c.op]}(${c.code}u, b${i}, ${c.bytes.length}u, line, NULL);`);
    const harness = join(dir, 'check.c');
    writeFileSync(
      harness,
      [
        '#include <stdio.h>',
        '#include "myco_format.h"',
        'static void line(const char *l, void *ctx) { (void)ctx; fputs(l, stdout); fputc(\'\\n\', stdout); }',
        ...arrays,
        'int main(void) {',
        ...calls,
        '    return 0;',
        '}',
        '',
      ].join('\n'),
    );
    const binary = join(dir, 'check');
    const cc = spawnSync(
      process.env.CC ?? 'cc',
      ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', `-I${join(ROOT, 'hal/include')}`, `-I${join(ROOT, 'hal/shell')}`, harness, join(ROOT, 'hal/shell/myco_format.c'), '-o', binary],
      { encoding: 'utf8' },
    );
    expect(cc.status, cc.stderr).toBe(0);
    const run = spawnSync(binary, [], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const want = all.flatMap(tsLines);
    expect(run.stdout.split('\n').slice(0, -1)).toEqual(want);
    // The inputs reach every named form and the fallbacks.
    for (const form of Object.values(RECORD_FORMS)) expect(want.some((l) => l.startsWith(`emit ${form.name} `) || l === `emit ${form.name}`)).toBe(true);
    for (const prefix of ['emit kind=', 'inspect counters truncated', 'inspect neighbours malformed', 'inspect routes malformed', 'inspect what=3 ', 'route dest=', 'log level9 ']) {
      expect(want.some((l) => l.startsWith(prefix)), prefix).toBe(true);
    }
    expect(Math.max(...want.map((l) => Buffer.byteLength(l)))).toBe(1699);
  });
});
