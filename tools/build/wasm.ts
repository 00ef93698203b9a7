// `npm run build` / `npm run build:debug`: compiles every firmware/apps/*.ts to build/.
// Tests and the CLI call this often, so an output newer than every firmware source (and
// the compiler config) is left alone.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompileError, compileEntry, outputPath, ROOT, type Target } from './asc.ts';
import { measure } from './measure.ts';

/**
 * The Wasm memory budget of the ESP8266, the smallest board the full node program targets:
 * every node program must fit it with its default config.
 */
export const SMALLEST_BUDGET: number = JSON.parse(readFileSync(join(ROOT, 'boards', 'esp8266.json'), 'utf8')).wasm_memory_budget;

/** Modification time of the newest firmware source or compiler config. */
export function newestInput(): number {
  let newest = statSync(join(ROOT, 'asconfig.json')).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(ROOT, 'firmware'));
  return newest;
}

export function apps(): string[] {
  return readdirSync(join(ROOT, 'firmware/apps'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
}

export interface BuiltApp {
  app: string;
  file: string;
  bytes: number;
  heapTop: number;
  rebuilt: boolean;
}

export async function buildApps(target: Target, options: { force?: boolean } = {}): Promise<BuiltApp[]> {
  const newest = newestInput();
  const built: BuiltApp[] = [];
  for (const app of apps()) {
    const file = outputPath(app, target);
    const fresh = !options.force && existsSync(file) && statSync(file).mtimeMs > newest;
    if (!fresh) await compileEntry(`firmware/apps/${app}.ts`, file, target);
    const { heapTop } = await measure(file);
    built.push({ app, file, bytes: statSync(file).size, heapTop, rebuilt: !fresh });
  }
  return built;
}

async function main(argv: string[]): Promise<number> {
  let target: Target = 'release';
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--target') {
      const value = argv[++i];
      if (value !== 'release' && value !== 'debug') {
        console.error(`--target must be release or debug, not ${value ?? '(nothing)'}`);
        return 2;
      }
      target = value;
    } else if (arg === '--force') {
      force = true;
    } else {
      console.error(`unknown argument ${arg}\nusage: tsx tools/build/wasm.ts [--target release|debug] [--force]`);
      return 2;
    }
  }
  try {
    const built = await buildApps(target, { force });
    let status = 0;
    for (const b of built) {
      const state = b.rebuilt ? 'built' : 'up to date';
      console.log(`${relative(ROOT, b.file)}: ${b.bytes} bytes, heap_top after init ${b.heapTop} bytes (${state})`);
      if (b.heapTop > SMALLEST_BUDGET) {
        console.error(`${relative(ROOT, b.file)}: heap_top ${b.heapTop} exceeds the ${SMALLEST_BUDGET}-byte ESP8266 budget`);
        status = 1;
      }
    }
    return status;
  } catch (err) {
    if (err instanceof CompileError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
