// `npm run firmware:native`: the node module as a native program. wasm2c translates the
// module to C, which is compiled with the firmware shell (hal/shell), the `aot` engine
// adapter and its runtime, and the posix shim (hal/posix) into build/native/myco-node.
// The runtime backs exactly the board's Wasm memory budget, so the default board is the
// strictest one: a module that runs here fits an ESP8266.
//
// `--engine wasm3 --wasm3-src DIR` builds the same program around the wasm3 interpreter
// instead (hal/shell/wasm3), from a wasm3 checkout the user supplies: wasm3 is neither on
// npm nor in Debian, so nothing here or in CI depends on it. The module is then carried
// as bytes (build/native-wasm3/myco_module_image.c), as a board keeps it in flash.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { translateModule } from './aot.ts';
import { stackDepthDefines } from './callgraph.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEFAULT_BOARD = 'esp8266';
export const DEFAULT_WASM = 'build/node.wasm';
export const DEFAULT_OUT = 'build/native';
export const DEFAULT_WASM3_OUT = 'build/native-wasm3';

export type Engine = 'aot' | 'wasm3';
export const ENGINES: readonly Engine[] = ['aot', 'wasm3'];

/** Our own sources: held to the project's warning policy. */
const SHELL_SOURCES = [
  'hal/shell/myco_shell.c',
  'hal/shell/myco_engine.c',
  'hal/shell/myco_imports.c',
  'hal/shell/myco_config.c',
  'hal/shell/myco_format.c',
  'hal/posix/myco_posix_main.c',
  'hal/posix/myco_posix_module.c',
  'hal/posix/myco_posix_radio.c',
  'hal/posix/myco_posix_shim.c',
];
const ENGINE_SOURCES: Record<Engine, string[]> = {
  aot: ['hal/shell/aot/myco_engine_aot.c', 'hal/shell/aot/myco_wasm_rt.c'],
  wasm3: ['hal/shell/wasm3/myco_engine_wasm3.c'],
};
const INCLUDE_DIRS = ['hal/include', 'hal/shell', 'hal/posix'];
/** wasm3's library sources every release has. The build compiles every m3_*.c of its
 *  source/ folder (newer ones add files such as m3_validate.c) except the WASI, libc
 *  and tracer bindings (m3_api_*.c), which the HAL ABI does not use. */
export const WASM3_SOURCES = [
  'm3_bind.c', 'm3_code.c', 'm3_compile.c', 'm3_core.c', 'm3_env.c', 'm3_exec.c',
  'm3_function.c', 'm3_info.c', 'm3_module.c', 'm3_parse.c',
];
/** The headers the adapter includes. */
const WASM3_HEADERS = ['wasm3.h', 'm3_env.h'];
const STRICT = ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror'];
// wasm2c's output is machine-written and not ours to edit; its unused locals and labels
// would only bury our own warnings.
const GENERATED = ['-std=c99', '-O2', '-w'];
// wasm3 is someone else's code, built as its own release build is (-O3, no frame
// pointer); warnings are its maintainers' business.
const WASM3_FLAGS = ['-std=gnu99', '-O3', '-fomit-frame-pointer', '-w'];

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
  /** Wasm engine linked in (default aot). */
  engine?: Engine;
  /** wasm3 checkout (its root or its source/ folder); required for engine wasm3. */
  wasm3Src?: string;
  log?: (line: string) => void;
}

export interface NativeBuild {
  binary: string;
  bytes: number;
  board: string;
  budget: number;
  engine: Engine;
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

/** The folder holding wasm3's library sources, or an error naming what is missing. */
export function wasm3SourceDir(dir: string | undefined): string {
  if (!dir) {
    throw new NativeBuildError(
      '--engine wasm3 needs --wasm3-src DIR, a checkout of https://github.com/wasm3/wasm3 (it is not on npm or in Debian)',
    );
  }
  const root = resolve(ROOT, dir);
  if (!existsSync(root)) throw new NativeBuildError(`--wasm3-src ${dir}: no such folder`);
  const source = existsSync(join(root, 'source', 'wasm3.h')) ? join(root, 'source') : root;
  const missing = [...WASM3_HEADERS, ...WASM3_SOURCES].filter((f) => !existsSync(join(source, f)));
  if (missing.length) {
    throw new NativeBuildError(
      `--wasm3-src ${dir} is not a wasm3 checkout: ${relative(root, source) || '.'}/ lacks ${missing.join(', ')}`,
    );
  }
  return source;
}

/** The module as a C array: an interpreter reads it like a module image in flash. */
function writeModuleImage(wasm: string, file: string): void {
  const bytes = readFileSync(wasm);
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    rows.push('    ' + [...bytes.subarray(i, i + 16)].map((b) => `0x${b.toString(16).padStart(2, '0')},`).join(' '));
  }
  writeFileSync(
    file,
    `/* ${basename(wasm)}, written by tools/firmware/native.ts: do not edit. */\n` +
      '#include <stdint.h>\n\n' +
      `const uint32_t myco_module_image_len = ${bytes.length}u;\n` +
      `const uint8_t myco_module_image[${Math.max(bytes.length, 1)}] = {\n${rows.join('\n')}\n};\n`,
  );
}

export async function buildNative(options: NativeBuildOptions = {}): Promise<NativeBuild> {
  const board = options.board ?? DEFAULT_BOARD;
  const engine = options.engine ?? 'aot';
  const wasm = resolve(ROOT, options.wasm ?? DEFAULT_WASM);
  const out = resolve(ROOT, options.outDir ?? (engine === 'aot' ? DEFAULT_OUT : DEFAULT_WASM3_OUT));
  const cc = options.cc ?? process.env.CC ?? 'cc';
  const log = options.log ?? (() => {});

  if (!ENGINES.includes(engine)) throw new NativeBuildError(`unknown engine "${engine}" (${ENGINES.join(', ')})`);
  const wasm3 = engine === 'wasm3' ? wasm3SourceDir(options.wasm3Src) : '';
  if (engine === 'aot') requireTool('wasm2c', 'wabt');
  requireTool(cc, 'gcc');
  if (!existsSync(wasm)) {
    throw new NativeBuildError(`${relative(ROOT, wasm)} not found: run npm run build first`);
  }
  const budget = boardBudget(board);
  checkInterface(wasm);
  mkdirSync(join(out, 'obj'), { recursive: true });

  const defines = [`-DMYCO_MEMORY_BUDGET=${budget}`, `-DMYCO_BOARD="${board}"`];
  const includes = [...INCLUDE_DIRS, `hal/shell/${engine}`].map((d) => `-I${join(ROOT, d)}`);
  includes.push(`-I${out}`);
  const objects: string[] = [];
  const jobs: Promise<void>[] = [];
  const compile = (src: string, flags: string[]) => {
    const obj = join(out, 'obj', `${basename(src, '.c')}.o`);
    objects.push(obj);
    jobs.push(run(cc, [...flags, ...defines, ...includes, '-c', src, '-o', obj]));
  };
  if (engine === 'aot') {
    defines.push('-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0');
    // No call-depth count when the module is proved recursion-free (docs/native.md).
    defines.push(...stackDepthDefines(wasm, log));
    // A fixed module name gives fixed symbols (Z_myco_nodeZ_tick, ...) for the adapter.
    await translateModule(run, wasm, 'myco_node', join(out, 'myco_module.c'), log);
    compile(join(out, 'myco_module.c'), GENERATED);
  } else {
    defines.push('-DMYCO_MODULE_IMAGE');
    // Its headers as system headers: the adapter includes them under our warning policy.
    includes.push('-isystem', wasm3);
    writeModuleImage(wasm, join(out, 'myco_module_image.c'));
    compile(join(out, 'myco_module_image.c'), GENERATED);
    const library = readdirSync(wasm3).filter((f) => /^m3_.*\.c$/.test(f) && !f.startsWith('m3_api_'));
    for (const src of library.sort()) compile(join(wasm3, src), WASM3_FLAGS);
  }
  for (const src of [...SHELL_SOURCES, ...ENGINE_SOURCES[engine]]) compile(join(ROOT, src), STRICT);
  await Promise.all(jobs);

  const binary = join(out, 'myco-node');
  await run(cc, ['-o', binary, ...objects, '-lm']);
  const bytes = statSync(binary).size;
  const shown = binary.startsWith(ROOT + '/') ? relative(ROOT, binary) : binary;
  log(`${shown}: ${bytes} bytes; engine ${engine}, board ${board}, Wasm memory budget ${budget} bytes`);
  const size = spawnSync('size', [binary], { encoding: 'utf8' });
  if (!size.error && size.status === 0) log(size.stdout.trimEnd());
  return { binary, bytes, board, budget, engine };
}

const USAGE = `usage: npm run firmware:native -- [--board NAME] [--wasm FILE] [--out DIR]
                                  [--engine aot|wasm3] [--wasm3-src DIR]

Translates the node module with wasm2c and builds the native node program
(firmware shell + aot engine + posix shim) with cc; with --engine wasm3, the
same program around the wasm3 interpreter and the module's bytes instead.

  --board NAME      board descriptor in boards/ giving wasm_memory_budget (default ${DEFAULT_BOARD})
  --wasm FILE       module to build in (default ${DEFAULT_WASM})
  --out DIR         output folder (default ${DEFAULT_OUT}, ${DEFAULT_WASM3_OUT} for wasm3);
                    the program is DIR/myco-node
  --engine E        aot (default) or wasm3: the wasm3 interpreter runs the module from
                    its bytes, and the program also takes --wasm FILE at run time
  --wasm3-src DIR   a checkout of https://github.com/wasm3/wasm3 (for --engine wasm3)
  --help            this text

Needs wasm2c (Debian package wabt; aot only) and a C compiler (cc, or $CC).
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
      else if (arg === '--engine') {
        const engine = value();
        if (!ENGINES.includes(engine as Engine)) throw new NativeBuildError(`--engine must be ${ENGINES.join(' or ')}, not ${engine}`);
        options.engine = engine as Engine;
      } else if (arg === '--wasm3-src') options.wasm3Src = value();
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
