// Memory footprint of a node program: the heap top after `init` with the default config is
// what a board's Wasm memory budget has to cover.

import { readFileSync } from 'node:fs';
import { ABI_VERSION } from '../wire/abi.ts';
import { stubHal } from './stub-hal.ts';

export interface Footprint {
  heapTop: number;
}

export async function measure(wasmFile: string): Promise<Footprint> {
  let memory: WebAssembly.Memory | undefined;
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), stubHal(() => memory!));
  const ex = instance.exports as Record<string, unknown>;
  memory = ex.memory as WebAssembly.Memory;
  const version = (ex.ABI_VERSION as WebAssembly.Global | undefined)?.value;
  if (version !== ABI_VERSION) throw new Error(`${wasmFile}: module ABI version ${version}, this tool speaks ABI version ${ABI_VERSION}`);
  const init = ex.init as (id: number, cfgLen: number) => number;
  const rc = init(1, 0);
  if (rc !== 0) throw new Error(`${wasmFile}: init with the default config returned ${rc}`);
  (ex.tick as (now: number) => number)(0);
  return { heapTop: (ex.heap_top as () => number)() };
}
