// Loading node programs and test entries for unit tests, with the stub HAL.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileEntry, type Target } from '../../tools/build/asc.ts';
import { stubHal, type HalHooks } from '../../tools/build/stub-hal.ts';
import { buildApps } from '../../tools/build/wasm.ts';

export type Exports = Record<string, any>;

export interface Loaded {
  exports: Exports;
  memory: WebAssembly.Memory;
  bytes(ptr: number, len: number): Uint8Array;
  write(ptr: number, data: Uint8Array): void;
}

export async function instantiate(wasm: Uint8Array, hooks: HalHooks = {}): Promise<Loaded> {
  let memory: WebAssembly.Memory | undefined;
  const module = await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, stubHal(() => memory!, hooks));
  memory = instance.exports.memory as WebAssembly.Memory;
  const mem = memory;
  return {
    exports: instance.exports as Exports,
    memory: mem,
    bytes: (ptr, len) => new Uint8Array(mem.buffer, ptr, len).slice(),
    write: (ptr, data) => new Uint8Array(mem.buffer, ptr, data.length).set(data),
  };
}

/** Compiles a firmware/tests entry into a fresh temporary directory and returns its bytes. */
export async function compileTestEntry(name: string): Promise<Uint8Array> {
  const out = join(mkdtempSync(join(tmpdir(), 'myco-')), `${name}.wasm`);
  await compileEntry(`firmware/tests/${name}.ts`, out, 'release');
  return readFileSync(out);
}

/** The node program, rebuilt first if a firmware source changed. */
export async function nodeWasm(target: Target = 'release'): Promise<Uint8Array> {
  const built = await buildApps(target);
  const node = built.find((b) => b.app === 'node');
  if (!node) throw new Error('firmware/apps/node.ts was not built');
  return readFileSync(node.file);
}
