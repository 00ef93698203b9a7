// The aot engine's C for a module: wasm2c's translation with its linear-memory loads and
// stores swapped for the runtime's (hal/shell/aot/myco_wasm_memory.h; docs/native.md,
// "Memory checks"). Every aot build goes through `translateModule`: the native node, the
// cross-compiled replay images, the benchmarks; tools/firmware/pio_embed.py does the same
// rewrite for board images (test/pio-embed.test.ts holds the two to one output).
//
// The rewrite is a few lines inserted where wasm2c instantiates its access functions, so
// it depends only on the names wasm2c 1.0.32 uses for them (DEFINE_LOAD / DEFINE_STORE)
// and on the module having exactly one memory of its own. Output that does not look like
// that is kept as wasm2c wrote it, checks and all, and the reason is logged.

import { readFileSync, writeFileSync } from 'node:fs';

export const MEMORY_HEADER = 'myco_wasm_memory.h';

/** Where wasm2c 1.0.32 instantiates its first access function. */
const FIRST_ACCESS = /^DEFINE_LOAD\(i32_load, u32, u32, u32\)$/m;
const ALLOCATE = /^\s*wasm_rt_allocate_memory\([^,]+, (\d+), (\d+)\);$/gm;

export type MemoryRewrite =
  | { rewritten: true; text: string; initialPages: number }
  | { rewritten: false; text: string; reason: string };

/** wasm2c's output with the project's memory accesses, or unchanged with the reason. */
export function rewriteMemoryAccess(c: string): MemoryRewrite {
  const at = FIRST_ACCESS.exec(c);
  if (!at) return { rewritten: false, text: c, reason: 'no DEFINE_LOAD(i32_load, ...) line (not wasm2c 1.0.32 output?)' };
  const memories = [...c.matchAll(ALLOCATE)];
  if (memories.length !== 1) {
    return { rewritten: false, text: c, reason: `the module allocates ${memories.length} memories; the runtime backs exactly one` };
  }
  const initialPages = Number(memories[0][1]);
  const insert = [
    '/* Linear-memory accesses of the project runtime (tools/firmware/aot.ts). */',
    '#undef DEFINE_LOAD',
    '#undef DEFINE_STORE',
    `#define MYCO_RT_INITIAL_PAGES ${initialPages}`,
    `#include "${MEMORY_HEADER}"`,
    '',
  ].join('\n');
  return { rewritten: true, text: c.slice(0, at.index) + insert + c.slice(at.index), initialPages };
}

/**
 * Runs wasm2c (`-n name`, into `outC` and its header beside it) through `run` and rewrites
 * the memory accesses in place; `log` hears why when they are left as wasm2c wrote them.
 */
export async function translateModule(
  run: (cmd: string, args: string[]) => Promise<unknown>,
  wasm: string, name: string, outC: string, log: (line: string) => void = () => {},
): Promise<MemoryRewrite> {
  await run('wasm2c', [wasm, '-n', name, '-o', outC]);
  const result = rewriteMemoryAccess(readFileSync(outC, 'utf8'));
  if (result.rewritten) writeFileSync(outC, result.text);
  else log(`${outC}: keeping wasm2c's memory checks: ${result.reason}`);
  return result;
}
