// `npm run firmware:native`: the node module as a native program. wasm2c translates the
// module to C, which is compiled with the firmware shell (hal/shell), the `aot` engine
// adapter and its runtime, and the posix shim (hal/posix) into build/native/myco-node.
// The runtime backs exactly the board's Wasm memory budget, so the default board is the
// strictest one: a module that runs here fits an ESP8266.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEFAULT_BOARD = 'esp8266';
export const DEFAULT_WASM = 'build/node.wasm';
export const DEFAULT_OUT = 'build/native';

/** Our own sources: held to the project's warning policy. */
const SHELL_SOURCES = [
  'hal/shell/myco_shell.c',
  'hal/shell/myco_engine.c',
  'hal/shell/myco_imports.c',
  'hal/shell/myco_config.c',
  'hal/shell/myco_format.c',
  'hal/shell/aot/myco_engine_aot.c',
  'hal/shell/aot/myco_wasm_rt.c',
  'hal/posix/myco_posix_main.c',
  'hal/posix/myco_posix_radio.c',
  'hal/posix/myco_posix_shim.c',
];
const INCLUDE_DIRS = ['hal/include', 'hal/shell', 'hal/shell/aot', 'hal/posix'];
const STRICT = ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror'];
// wasm2c's output is machine-written and not ours to edit; its unused locals and labels
// would only bury our own warnings.
const GENERATED = ['-std=c99', '-O2', '-w'];

/** What the shell calls and links against (docs/abi.md). */
const REQUIRED_EXPORTS: Record<string, string> = {
  ABI_VERSION: 'global', memory: 'memory', inbox: 'function', inbox_size: 'function',
  outbox: 'function', heap_top: 'function', init: 'function', on_frame: 'function',
  on_link: 'function', submit: 'function', tick: 'function', inspect: 'function',
};
const HAL_IMPORTS = new Set(['now_ms', 'send', 'rand', 'log', 'emit', 'sensor', 'blob_read', 'accel', 'compute', 'wifi', 'panic']);

export class NativeBuildError extends Error {}

export interface NativeBuildOptions {
  /** Module to translate (relative to the repository or absolute). */
  wasm?: string;
  /** boards/<board>.json supplies wasm_memory_budget. */
  board?: string;
  outDir?: string;
  /** C compiler; default $CC or cc. */
  cc?: string;
  log?: (line: string) => void;
}

export interface NativeBuild {
  binary: string;
  bytes: number;
  board: string;
  budget: number;
}

function requireTool(tool: string, pkg: string): void {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new NativeBuildError(`${tool} not found: install Debian package ${pkg}`);
}

export function boardBudget(board: string): number {
  const file = join(ROOT, 'boards', `${board}.json`);
  if (!existsSync(file)) {
    const known = existsSync(join(ROOT, 'boards'))
      ? readdirSync(join(ROOT, 'boards')).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json'))
      : [];
    throw new NativeBuildError(`unknown board "${board}" (boards/: ${known.join(', ') || 'none'})`);
  }
  const budget = (JSON.parse(readFileSync(file, 'utf8')) as { wasm_memory_budget?: unknown }).wasm_memory_budget;
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget <= 0) {
    throw new NativeBuildError(`boards/${board}.json: wasm_memory_budget must be a positive integer of bytes`);
  }
  return budget;
}

/** Names what the module lacks up front; the linker would only say "undefined reference". */
function checkInterface(wasmFile: string): void {
  let mod: WebAssembly.Module;
  try {
    mod = new WebAssembly.Module(readFileSync(wasmFile));
  } catch (err) {
    throw new NativeBuildError(`${wasmFile} is not a valid WebAssembly module: ${(err as Error).message}`);
  }
  const exports = new Map(WebAssembly.Module.exports(mod).map((e) => [e.name, e.kind as string]));
  const missing = Object.entries(REQUIRED_EXPORTS)
    .filter(([name, kind]) => exports.get(name) !== kind)
    .map(([name, kind]) => `${name} (${kind})`);
  if (missing.length) {
    throw new NativeBuildError(`${wasmFile} lacks the export(s) ${missing.join(', ')} required by docs/abi.md`);
  }
  const strange = WebAssembly.Module.imports(mod)
    .filter((i) => i.module !== 'hal' || i.kind !== 'function' || !HAL_IMPORTS.has(i.name))
    .map((i) => `${i.module}.${i.name} (${i.kind})`);
  if (strange.length) {
    throw new NativeBuildError(`${wasmFile} imports ${strange.join(', ')}, which the HAL ABI does not provide`);
  }
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => fail(new NativeBuildError(`${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) done();
      else fail(new NativeBuildError(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

export async function buildNative(options: NativeBuildOptions = {}): Promise<NativeBuild> {
  const board = options.board ?? DEFAULT_BOARD;
  const wasm = resolve(ROOT, options.wasm ?? DEFAULT_WASM);
  const out = resolve(ROOT, options.outDir ?? DEFAULT_OUT);
  const cc = options.cc ?? process.env.CC ?? 'cc';
  const log = options.log ?? (() => {});

  requireTool('wasm2c', 'wabt');
  requireTool(cc, 'gcc');
  if (!existsSync(wasm)) {
    throw new NativeBuildError(`${relative(ROOT, wasm)} not found: run npm run build first`);
  }
  const budget = boardBudget(board);
  checkInterface(wasm);
  mkdirSync(join(out, 'obj'), { recursive: true });

  // A fixed module name gives fixed symbols (Z_myco_nodeZ_tick, ...) for the adapter.
  await run('wasm2c', [wasm, '-n', 'myco_node', '-o', join(out, 'myco_module.c')]);

  const defines = [
    '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0',
    `-DMYCO_MEMORY_BUDGET=${budget}`,
    `-DMYCO_BOARD="${board}"`,
  ];
  const includes = [...INCLUDE_DIRS.map((d) => `-I${join(ROOT, d)}`), `-I${out}`];
  const objects: string[] = [];
  const jobs: Promise<void>[] = [];
  const compile = (src: string, flags: string[]) => {
    const obj = join(out, 'obj', `${basename(src, '.c')}.o`);
    objects.push(obj);
    jobs.push(run(cc, [...flags, ...defines, ...includes, '-c', src, '-o', obj]));
  };
  compile(join(out, 'myco_module.c'), GENERATED);
  for (const src of SHELL_SOURCES) compile(join(ROOT, src), STRICT);
  await Promise.all(jobs);

  const binary = join(out, 'myco-node');
  await run(cc, ['-o', binary, ...objects, '-lm']);
  const bytes = statSync(binary).size;
  const shown = binary.startsWith(ROOT + '/') ? relative(ROOT, binary) : binary;
  log(`${shown}: ${bytes} bytes; board ${board}, Wasm memory budget ${budget} bytes`);
  const size = spawnSync('size', [binary], { encoding: 'utf8' });
  if (!size.error && size.status === 0) log(size.stdout.trimEnd());
  return { binary, bytes, board, budget };
}

const USAGE = `usage: npm run firmware:native -- [--board NAME] [--wasm FILE] [--out DIR]

Translates the node module with wasm2c and builds the native node program
(firmware shell + aot engine + posix shim) with cc.

  --board NAME  board descriptor in boards/ giving wasm_memory_budget (default ${DEFAULT_BOARD})
  --wasm FILE   module to build in (default ${DEFAULT_WASM})
  --out DIR     output folder (default ${DEFAULT_OUT}); the program is DIR/myco-node
  --help        this text

Needs wasm2c (Debian package wabt) and a C compiler (cc, or $CC).
Run three nodes: build/native/myco-node --help`;

async function main(argv: string[]): Promise<number> {
  const options: NativeBuildOptions = { log: (line) => console.log(line) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new NativeBuildError(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    try {
      if (arg === '--help' || arg === '-h') {
        console.log(USAGE);
        return 0;
      } else if (arg === '--board') options.board = value();
      else if (arg === '--wasm') options.wasm = value();
      else if (arg === '--out') options.outDir = value();
      else throw new NativeBuildError(`unknown argument ${arg}\n${USAGE}`);
    } catch (err) {
      console.error((err as Error).message);
      return 2;
    }
  }
  try {
    await buildNative(options);
    return 0;
  } catch (err) {
    if (err instanceof NativeBuildError) {
      console.error(`firmware:native: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
