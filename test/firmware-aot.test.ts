// The aot engine's rewrite of wasm2c's output (tools/firmware/aot.ts): where the runtime's
// memory accesses go in, and when wasm2c's own are kept instead.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MEMORY_HEADER, rewriteMemoryAccess } from '../tools/firmware/aot.ts';
import { BUILD_DIR } from '../host-sim/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'myco-aot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wasm2c(wasm: string): string {
  const out = join(dir, 'module.c');
  const r = spawnSync('wasm2c', [wasm, '-n', 'myco_node', '-o', out], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`wasm2c (Debian package wabt): ${r.error?.message ?? r.stderr}`);
  return readFileSync(out, 'utf8');
}

describe('aot memory rewrite', () => {
  it('swaps the runtime\'s accesses in before wasm2c instantiates its own, with the initial pages', () => {
    const c = wasm2c(join(BUILD_DIR, 'node.wasm'));
    const r = rewriteMemoryAccess(c);
    expect(r.rewritten).toBe(true);
    if (!r.rewritten) return;
    expect(r.initialPages).toBe(1);
    const at = r.text.indexOf(`#include "${MEMORY_HEADER}"`);
    expect(at).toBeGreaterThan(r.text.lastIndexOf('#define DEFINE_LOAD'));
    expect(at).toBeLessThan(r.text.indexOf('DEFINE_LOAD(i32_load, u32, u32, u32)'));
    expect(r.text.slice(0, at)).toMatch(/#undef DEFINE_LOAD\n#undef DEFINE_STORE\n#define MYCO_RT_INITIAL_PAGES 1\n$/);
    // Everything wasm2c wrote is still there.
    expect(r.text.length - c.length).toBe(r.text.indexOf('DEFINE_LOAD(i32_load, u32, u32, u32)') - c.indexOf('DEFINE_LOAD(i32_load, u32, u32, u32)'));
  });

  it('reads the initial page count of the module\'s memory', () => {
    const c = 'DEFINE_LOAD(i32_load, u32, u32, u32)\n  wasm_rt_allocate_memory(&instance->w2c_memory, 3, 65536);\n';
    const r = rewriteMemoryAccess(c);
    expect(r.rewritten && r.initialPages).toBe(3);
  });

  it('keeps wasm2c\'s output when it does not recognise it, and says why', () => {
    const other = rewriteMemoryAccess('DEFINE_LOAD(i32_load, u32, u32, u32, FORCE_READ_INT)\n');
    expect(other).toMatchObject({ rewritten: false, reason: expect.stringContaining('DEFINE_LOAD(i32_load') });
    const two = 'DEFINE_LOAD(i32_load, u32, u32, u32)\n  wasm_rt_allocate_memory(&i->a, 1, 2);\n  wasm_rt_allocate_memory(&i->b, 1, 2);\n';
    expect(rewriteMemoryAccess(two)).toMatchObject({ rewritten: false, text: two, reason: expect.stringContaining('2 memories') });
    const none = 'DEFINE_LOAD(i32_load, u32, u32, u32)\n';
    expect(rewriteMemoryAccess(none)).toMatchObject({ rewritten: false, text: none, reason: expect.stringContaining('0 memories') });
  });
});
