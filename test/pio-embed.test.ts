// The PlatformIO pre-build's embedding step (tools/firmware/pio_embed.py), run with a plain
// python3 as PlatformIO would call it: the module as a C array for wasm3, wasm2c's translation
// for aot, and clear errors. The C array must compile with the declarations the board shims use.

import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, BUILD_DIR } from '../host-sim/paths.ts';
import { nodeWasm } from './helpers/wasm.ts';
import { rewriteMemoryAccess } from '../tools/firmware/aot.ts';

const SCRIPT = join(REPO_ROOT, 'tools/firmware/pio_embed.py');
const py = (args: string[], cwd = REPO_ROOT) => spawnSync('python3', [SCRIPT, ...args], { cwd, encoding: 'utf8' });

beforeAll(async () => {
  await nodeWasm();
});

describe('pio_embed.py', () => {
  it('wasm3: writes the module bytes as myco_module_image, which compiles against myco_module_image.h (and sets the restart policy)', () => {
    const out = mkdtempSync(join(tmpdir(), 'embed-'));
    const r = py(['--engine', 'wasm3', '--wasm', join(BUILD_DIR, 'node.wasm'), '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const c = readFileSync(join(out, 'myco_module_image.c'), 'utf8');
    const wasm = readFileSync(join(BUILD_DIR, 'node.wasm'));
    expect(c).toContain(`const uint32_t myco_module_image_len = ${wasm.length}u;`);
    // A driver that includes the shims' header and checks every byte against the file.
    const driver = join(out, 'check.c');
    writeFileSync(driver, `#include <stdio.h>
#include "myco_module_image.h"
int main(int argc, char **argv) {
  myco_shell_params p = {0};
  FILE *f = fopen(argv[1], "rb");
  uint32_t n = 0; int c;
  myco_module_params(&p);
  if (!f || argc < 2) return 2;
  while ((c = fgetc(f)) != EOF) { if (n >= p.wasm_len || p.wasm[n] != (uint8_t)c) return 3; n++; }
  if (p.max_restarts != MYCO_SHELL_DEFAULT_MAX_RESTARTS || p.restart_window_ms != MYCO_SHELL_DEFAULT_RESTART_WINDOW_MS) return 5;
  return n == p.wasm_len && p.memory_budget == 24576 ? 0 : 4;
}
`);
    const exe = join(out, 'check');
    const cc = spawnSync('cc', ['-std=c99', '-Wall', '-Werror', '-DMYCO_ENGINE_WASM3', '-DMYCO_MEMORY_BUDGET=24576',
      '-I', join(REPO_ROOT, 'hal/include'), '-I', join(REPO_ROOT, 'hal/shell'), '-I', join(REPO_ROOT, 'hal/boards/common'),
      driver, join(out, 'myco_module_image.c'), '-o', exe], { encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    expect(spawnSync(exe, [join(BUILD_DIR, 'node.wasm')]).status).toBe(0);
  });

  it('aot: writes wasm2c output with the module name the aot adapter links against', () => {
    const out = mkdtempSync(join(tmpdir(), 'embed-'));
    const r = py(['--engine', 'aot', '--wasm', join(BUILD_DIR, 'node.wasm'), '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'myco_module.h'))).toBe(true);
    expect(readFileSync(join(out, 'myco_module.h'), 'utf8')).toContain('Z_myco_node');
    // The same memory rewrite as every other aot build (tools/firmware/aot.ts), byte for byte.
    const embedded = readFileSync(join(out, 'myco_module.c'), 'utf8');
    const plain = join(out, 'plain.c');
    expect(spawnSync('wasm2c', [join(BUILD_DIR, 'node.wasm'), '-n', 'myco_node', '-o', plain]).status).toBe(0);
    const ours = rewriteMemoryAccess(readFileSync(plain, 'utf8'));
    expect(ours.rewritten).toBe(true);
    expect(embedded).toBe(ours.text.split('plain.h').join('myco_module.h'));
    expect(r.stderr).not.toContain('keeping');
  });

  it('aot: keeps wasm2c\'s memory checks on output it does not recognise, as aot.ts does', () => {
    const call = (c: string) => spawnSync('python3', ['-c',
      'import sys, json; sys.path.insert(0, "tools/firmware"); from pio_embed import rewrite_memory_access; ' +
      'print(json.dumps(rewrite_memory_access(sys.stdin.read())))'], { cwd: REPO_ROOT, input: c, encoding: 'utf8' });
    for (const c of ['DEFINE_LOAD(i32_load, u32, u32, u32, FORCE_READ_INT)\n', 'DEFINE_LOAD(i32_load, u32, u32, u32)\n',
      'DEFINE_LOAD(i32_load, u32, u32, u32)\n  wasm_rt_allocate_memory(&instance->w2c_memory, 3, 65536);\n']) {
      const r = call(c);
      expect(r.status, r.stderr).toBe(0);
      const [text, reason] = JSON.parse(r.stdout) as [string, string | null];
      const ts = rewriteMemoryAccess(c);
      expect(text).toBe(ts.text);
      expect(reason).toBe(ts.rewritten ? null : ts.reason);
    }
  });

  it('refuses a missing or foreign module and an unknown engine, naming the problem', () => {
    const out = mkdtempSync(join(tmpdir(), 'embed-'));
    const missing = py(['--engine', 'wasm3', '--wasm', join(out, 'none.wasm'), '--out', out]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/none\.wasm: cannot read the module.*npm run build/);
    writeFileSync(join(out, 'bad.wasm'), 'not wasm at all');
    const bad = py(['--engine', 'aot', '--wasm', join(out, 'bad.wasm'), '--out', out]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.wasm is not a WebAssembly module/);
    expect(py(['--engine', 'jit', '--out', out]).status).toBe(2);
  });

  it('finds the engine in build flags, as PlatformIO parses them', () => {
    const check = (defines: string) =>
      spawnSync('python3', ['-c', `import sys; sys.path.insert(0, 'tools/firmware'); from pio_embed import engine_of, EmbedError
try:
    print(engine_of(${defines}))
except EmbedError as e:
    print('error:', e)`], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim();
    expect(check(`['MYCO_ENGINE_WASM3', ('MYCO_MEMORY_BUDGET', '24576')]`)).toBe('wasm3');
    expect(check(`[('MYCO_ENGINE_AOT', None)]`)).toBe('aot');
    expect(check(`['MYCO_ENGINE_AOT', 'MYCO_ENGINE_WASM3']`)).toMatch(/^error: build_flags must define exactly one/);
    expect(check(`[]`)).toMatch(/found none/);
  });
});
