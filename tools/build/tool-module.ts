// Host tool entries (firmware/tools/*.ts: the model runner, the fusion runner) run the node's
// own AssemblyScript code from TypeScript tools. Each is compiled to build/<name>.wasm when a
// firmware source is newer than it, once per process.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileEntry, ROOT } from './asc.ts';
import { newestInput } from './wasm.ts';

export interface ToolModule {
  entry: string;
  wasm: string;
  /** The compiled module, rebuilt first if a firmware source changed. */
  load(): Promise<WebAssembly.Module>;
}

export function toolModule(name: string): ToolModule {
  const entry = `firmware/tools/${name}.ts`;
  const wasm = join(ROOT, 'build', `${name}.wasm`);
  let compiled: Promise<WebAssembly.Module> | undefined;
  const load = () => {
    compiled ??= (async () => {
      if (!existsSync(wasm) || statSync(wasm).mtimeMs <= newestInput()) await compileEntry(entry, wasm, 'release');
      return WebAssembly.compile(readFileSync(wasm));
    })();
    // A failed build is not remembered: the next call tries again.
    compiled.catch(() => { compiled = undefined; });
    return compiled;
  };
  return { entry, wasm, load };
}
