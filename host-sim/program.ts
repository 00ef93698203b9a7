// Loading a node program: compile the .wasm once, check its ABI version and exports before
// any node runs it.

import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ABI_VERSION } from '../tools/wire/abi.ts';

export interface Program {
  path: string;
  module: WebAssembly.Module;
  abiVersion: number;
}

export const HAL_IMPORTS = ['now_ms', 'send', 'rand', 'log', 'emit', 'sensor', 'blob_read', 'accel', 'compute', 'wifi', 'panic'] as const;
export const REQUIRED_EXPORTS = ['memory', 'inbox', 'inbox_size', 'outbox', 'heap_top', 'init', 'on_frame', 'on_link', 'submit', 'tick', 'inspect'] as const;

export class ProgramError extends Error {}

export function loadProgram(path: string): Program {
  if (!existsSync(path)) {
    const shown = relative(process.cwd(), path) || path;
    throw new ProgramError(`node program ${shown} not found; build it first with \`npm run build\``);
  }
  return compileProgram(readFileSync(path), path);
}

export function compileProgram(bytes: Uint8Array, path = '<memory>'): Program {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes as BufferSource);
  } catch (e) {
    throw new ProgramError(`${path}: not a valid WebAssembly module: ${(e as Error).message}`);
  }
  const abiVersion = readAbiVersion(module, path);
  if (abiVersion !== ABI_VERSION) {
    throw new ProgramError(`${path}: module ABI version ${abiVersion}, this host speaks ABI version ${ABI_VERSION}`);
  }
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = REQUIRED_EXPORTS.filter((name) => !exported.has(name));
  if (missing.length) throw new ProgramError(`${path}: module lacks required exports: ${missing.join(', ')}`);
  const unknown = WebAssembly.Module.imports(module)
    .filter((i) => i.module !== 'hal' || !(HAL_IMPORTS as readonly string[]).includes(i.name))
    .map((i) => `${i.module}.${i.name}`);
  if (unknown.length) throw new ProgramError(`${path}: module imports ${unknown.join(', ')}, which the HAL ABI does not provide`);
  return { path, module, abiVersion };
}

/**
 * The version is a global, readable only from an instance. The probe instance gets a stub
 * for every function it imports (whatever version it was built for), so even a module of
 * another ABI can be asked its version; nothing runs but its start function, if any.
 */
function readAbiVersion(module: WebAssembly.Module, path: string): number {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') {
      throw new ProgramError(`${path}: imports ${imp.kind} ${imp.module}.${imp.name}; a node module imports only HAL functions`);
    }
    (imports[imp.module] ??= {})[imp.name] = () => {
      throw new ProgramError(`${path}: module called ${imp.module}.${imp.name} while being probed`);
    };
  }
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    throw new ProgramError(`${path}: could not instantiate the module to read its ABI version: ${(e as Error).message}`);
  }
  const g = instance.exports.ABI_VERSION;
  if (!(g instanceof WebAssembly.Global)) {
    throw new ProgramError(`${path}: module exports no ABI_VERSION global; this host speaks ABI version ${ABI_VERSION}`);
  }
  return Number(g.value);
}
