// Compiling one AssemblyScript entry file with the project's asconfig.json. Used by the
// build command and by tests that compile their own probe entries.

import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type Target = 'release' | 'debug';

interface AscApi {
  main(argv: string[], options?: {
    stdout?: { write(chunk: string | Uint8Array): void };
    stderr?: { write(chunk: string | Uint8Array): void };
  }): Promise<{ error: Error | null }>;
}

let ascApi: Promise<AscApi> | undefined;
function loadAsc(): Promise<AscApi> {
  ascApi ??= import('assemblyscript/asc').then((m) => (m as unknown as { default: AscApi }).default);
  return ascApi;
}

export class CompileError extends Error {}

/**
 * Compiles `entry` (a path under the repository) to `outFile`. The output is written to a
 * temporary name and renamed, so a concurrent reader never sees a half-written module.
 * Throws CompileError carrying the compiler's diagnostics.
 */
export async function compileEntry(entry: string, outFile: string, target: Target): Promise<void> {
  const asc = await loadAsc();
  const absOut = resolve(ROOT, outFile);
  mkdirSync(dirname(absOut), { recursive: true });
  const tmp = `${absOut}.${process.pid}.${Date.now()}.tmp`;
  let diagnostics = '';
  const sink = { write: (chunk: string | Uint8Array) => { diagnostics += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk); } };
  // Entries, the config and the `--use abort=` target resolve against the base directory.
  const result = await asc.main([
    relative(ROOT, resolve(ROOT, entry)),
    '--baseDir', ROOT,
    '--config', 'asconfig.json',
    '--target', target,
    '--outFile', relative(ROOT, tmp),
  ], { stdout: sink, stderr: sink });
  if (result.error) {
    rmSync(tmp, { force: true });
    throw new CompileError(`asc failed on ${entry} (${target}):\n${diagnostics.trim() || result.error.message}`);
  }
  renameSync(tmp, absOut);
}

export function outputPath(app: string, target: Target): string {
  return join(ROOT, 'build', target === 'release' ? `${app}.wasm` : `${app}.${target}.wasm`);
}
