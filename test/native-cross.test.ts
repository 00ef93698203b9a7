// Cross builds of the replay image (shell, aot engine + runtime, the module via wasm2c, the
// golden vectors) with Debian's toolchains: Cortex-M0+ (arm-none-eabi-gcc, newlib) for the
// RP2040 of elasticnode-v5 and lx106 (xtensa-lx106-elf-gcc, picolibc) for the ESP8266. Both
// must compile warning-free, link, and fit their board's flash and RAM; the lx106 image's
// own C library functions must compute what the host's libm and divider compute.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApps } from '../tools/build/wasm.ts';
import { buildReplay, fitOf, PARTS, sizeReport, type ReplayImage } from '../tools/firmware/cross.ts';
import { ROOT } from '../tools/firmware/native.ts';

const outDir = mkdtempSync(join(tmpdir(), 'myco-cross-'));
const images: Record<string, ReplayImage> = {};

beforeAll(async () => {
  await buildApps('release');
  for (const target of ['cortex-m0plus', 'lx106'] as const) {
    images[target] = await buildReplay({ target, outDir: join(outDir, target) });
  }
}, 180_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('cross builds of the replay image', () => {
  for (const [target, board, budget] of [
    ['cortex-m0plus', 'elasticnode-v5', 163840],
    ['lx106', 'esp8266', 24576],
  ] as const) {
    it(`${target} links for ${board} and fits its flash and RAM`, () => {
      const img = images[target];
      expect(img.board.name).toBe(board);
      expect(img.board.budget).toBe(budget);
      const fit = fitOf(img);
      expect(fit.fits, sizeReport([img])).toBe(true);
      // The linear memory is static: the runtime's bss holds the whole budget.
      expect(img.parts['aot engine + runtime, linear memory'].bss).toBeGreaterThanOrEqual(budget);
      // The translated module is most of the code.
      const module = img.parts['node module (wasm2c)'].text;
      for (const part of PARTS) if (part !== 'node module (wasm2c)') expect(module).toBeGreaterThan(img.parts[part].text);
      // The parts account for the image, up to alignment and merged strings.
      const text = PARTS.reduce((n, p) => n + img.parts[p].text, 0);
      expect(Math.abs(img.sizes.text - text)).toBeLessThan(img.sizes.text * 0.01);
    });
  }

  it('says what does not fit, and by how much', () => {
    const img = images['cortex-m0plus'];
    const small = { ...img, board: { ...img.board, name: 'small', flash: 100_000, ram: 65_536 } };
    const fit = fitOf(small);
    expect(fit.fits).toBe(false);
    const report = sizeReport([small]);
    expect(report).toContain(`flash (text + data): ${fit.flashUsed} of 100000 bytes: DOES NOT FIT, ${fit.flashUsed - 100_000} bytes`);
    expect(report).toContain(`RAM (data + bss, before stack and heap): ${fit.ramUsed} of 65536 bytes: DOES NOT FIT, ${fit.ramUsed - 65_536} bytes`);
  });
});

describe("the lx106 image's own C library functions", () => {
  it('truncf, nearbyintf, sqrt, __udivsi3 and __umodsi3 agree with the host on edge cases and a sweep', () => {
    const dir = mkdtempSync(join(tmpdir(), 'myco-lx106-libc-'));
    try {
      const harness = join(dir, 'check.c');
      writeFileSync(
        harness,
        `#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
float my_truncf(float); float my_nearbyintf(float); double my_sqrt(double);
uint32_t my_udivsi3(uint32_t, uint32_t); uint32_t my_umodsi3(uint32_t, uint32_t);
static uint32_t bits(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float flt(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
static int same(float a, float b) { return (isnan(a) && isnan(b)) || bits(a) == bits(b); }
static uint64_t bits64(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static double dbl(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }
static int same64(double a, double b) { return (isnan(a) && isnan(b)) || bits64(a) == bits64(b); }
int main(void) {
  unsigned long checked = 0, bad = 0; uint32_t u, x = 12345u, i;
  static const float edge[] = {0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, 8388607.5f,
    8388608.0f, 16777215.0f, 1e30f, -1e30f, INFINITY, -INFINITY, 0.99999994f, 1.0f, 3.5f, 4.5f};
  for (i = 0; i < sizeof edge / sizeof edge[0]; i++) {
    checked += 2;
    if (!same(my_truncf(edge[i]), truncf(edge[i]))) { bad++; printf("truncf %a\\n", edge[i]); }
    if (!same(my_nearbyintf(edge[i]), nearbyintf(edge[i]))) { bad++; printf("nearbyintf %a\\n", edge[i]); }
  }
  for (u = 0; u < 0xFF800000u; u += 0x1F3u) { /* every exponent, many fractions, both signs */
    float f = flt(u);
    checked += 2;
    if (!same(my_truncf(f), truncf(f))) { bad++; if (bad < 5) printf("truncf %a\\n", f); }
    if (!same(my_nearbyintf(f), nearbyintf(f))) { bad++; if (bad < 5) printf("nearbyintf %a\\n", f); }
  }
  for (i = 0; i < 200000; i++) {
    uint32_t n, d;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5; n = x;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5; d = x >> (x & 31u);
    if (d == 0) d = 1;
    checked += 2;
    if (my_udivsi3(n, d) != n / d || my_umodsi3(n, d) != n % d) { bad++; if (bad < 5) printf("divide %u %u\\n", n, d); }
  }
  if (my_udivsi3(0xFFFFFFFFu, 1u) != 0xFFFFFFFFu || my_umodsi3(7u, 0xFFFFFFFFu) != 7u) bad++;
  {
    static const double dedge[] = {0.0, -0.0, 1.0, 2.0, 0.25, 3.0, -1.0, INFINITY, -INFINITY, NAN, 5e-324, 1e-310,
      2.2250738585072014e-308, 1.7976931348623157e308};
    uint64_t y = 88172645463325252ull;
    for (i = 0; i < sizeof dedge / sizeof dedge[0]; i++) {
      checked++;
      if (!same64(my_sqrt(dedge[i]), sqrt(dedge[i]))) { bad++; printf("sqrt %a\\n", dedge[i]); }
    }
    for (i = 0; i < 2000000; i++) { /* every exponent, both signs, NaNs and infinities among them */
      double d;
      y ^= y << 13; y ^= y >> 7; y ^= y << 17;
      d = dbl(y);
      checked++;
      if (!same64(my_sqrt(d), sqrt(d))) { bad++; if (bad < 5) printf("sqrt %a\\n", d); }
    }
  }
  printf("checked %lu bad %lu\\n", checked, bad);
  return bad != 0;
}
`,
      );
      const binary = join(dir, 'check');
      const cc = spawnSync(
        process.env.CC ?? 'cc',
        [
          '-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-fno-builtin',
          '-Dtruncf=my_truncf', '-Dnearbyintf=my_nearbyintf', '-Dsqrt=my_sqrt', '-D__udivsi3=my_udivsi3', '-D__umodsi3=my_umodsi3',
          join(ROOT, 'hal/lx106/myco_lx106_libc.c'), '-o', join(dir, 'libc.o'), '-c',
        ],
        { encoding: 'utf8' },
      );
      expect(cc.status, cc.stderr).toBe(0);
      const link = spawnSync(process.env.CC ?? 'cc', ['-std=c99', '-O2', harness, join(dir, 'libc.o'), '-lm', '-o', binary], { encoding: 'utf8' });
      expect(link.status, link.stderr).toBe(0);
      const run = spawnSync(binary, [], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stdout).toMatch(/^checked \d+ bad 0$/m);
      expect(Number(/checked (\d+)/.exec(run.stdout)![1])).toBeGreaterThan(10_000_000);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
