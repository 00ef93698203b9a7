// The replay image (hal/replay: the firmware shell, the aot engine and its runtime, the node
// module translated by wasm2c, and the golden vectors as tables) built for a target:
//
//   native         cc, to run the vectors on this machine (test/native-golden.test.ts)
//   cortex-m0plus  arm-none-eabi-gcc for the RP2040's core (elasticnode-v5), linked for
//                  QEMU's mps2-an385 with semihosting (test/native-qemu.test.ts)
//   lx106          xtensa-lx106-elf-gcc with picolibc, the ESP8266's core (esp8266)
//
// `npm run firmware:size` builds the two board targets and prints their text, data and bss
// against the board's flash_bytes and ram_bytes (boards/*.json).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { translateModule } from './aot.ts';
import { stackDepthDefines } from './callgraph.ts';
import { boardBudget, DEFAULT_WASM, NativeBuildError, ROOT } from './native.ts';
import { replayTables } from './replay-c.ts';
import { GOLDEN_DIR, loadVectors, type GoldenVector } from './replay.ts';

export type TargetName = 'native' | 'cortex-m0plus' | 'lx106';

interface Target {
  name: TargetName;
  /** The board whose budget, flash and RAM the image is built and measured for. */
  board: string;
  cc: string;
  size: string;
  /** Debian packages that provide the compiler and C library. */
  packages: string;
  /** Architecture and optimisation flags, for every source. */
  arch: string[];
  /** Extra sources (start-up code). */
  sources: string[];
  /** Linker arguments after the objects. */
  link: (board: BoardFacts) => string[];
  /** True when the system's wasm-rt.h is not on the compiler's include path. */
  copyRuntimeHeader: boolean;
}

export interface BoardFacts {
  name: string;
  budget: number;
  flash: number;
  ram: number;
}

const LX106_SPECS = '/usr/lib/xtensa-lx106-elf/picolibc.specs';

export const TARGETS: Record<TargetName, Target> = {
  native: {
    name: 'native',
    board: 'esp8266',
    cc: process.env.CC ?? 'cc',
    size: 'size',
    packages: 'gcc libc6-dev',
    arch: ['-O2'],
    sources: [],
    link: () => ['-lm'],
    copyRuntimeHeader: false,
  },
  'cortex-m0plus': {
    name: 'cortex-m0plus',
    board: 'elasticnode-v5',
    cc: 'arm-none-eabi-gcc',
    size: 'arm-none-eabi-size',
    packages: 'gcc-arm-none-eabi libnewlib-arm-none-eabi',
    arch: ['-mcpu=cortex-m0plus', '-mthumb', '-Os', '-ffunction-sections', '-fdata-sections'],
    sources: ['hal/qemu/myco_qemu_start.c'],
    link: (b) => [
      '-nostartfiles',
      '--specs=nano.specs',
      '--specs=rdimon.specs',
      `-T${join(ROOT, 'hal/qemu/mps2-an385.ld')}`,
      `-Wl,--defsym=__myco_ram_bytes=${b.ram}`,
      '-Wl,--gc-sections',
      '-lm',
    ],
    copyRuntimeHeader: true,
  },
  lx106: {
    name: 'lx106',
    board: 'esp8266',
    cc: 'xtensa-lx106-elf-gcc',
    size: 'xtensa-lx106-elf-size',
    packages: 'gcc-xtensa-lx106 picolibc-xtensa-lx106-elf',
    // Literals beside their code: L32R loads only from lower addresses, which per-function
    // literal sections placed after .text would break (as the ESP8266 SDKs build).
    arch: [`--specs=${LX106_SPECS}`, '-mlongcalls', '-mtext-section-literals', '-Os', '-ffunction-sections', '-fdata-sections'],
    sources: ['hal/lx106/myco_lx106_os.c', 'hal/lx106/myco_lx106_libc.c'],
    // Picolibc's integer-only printf: nothing here prints floats, and the float one calls
    // ROM helpers it cannot reach (myco_lx106_libc.c says why).
    link: () => [
      '-nostartfiles',
      `-T${join(ROOT, 'hal/lx106/myco_lx106.ld')}`,
      `-Wl,-T,${join(ROOT, 'hal/lx106/esp8266-rom.ld')}`,
      '-DPICOLIBC_INTEGER_PRINTF_SCANF',
      '--oslib=dummyhost',
      '-Wl,--gc-sections',
    ],
    copyRuntimeHeader: true,
  },
};

/** Our own sources, held to the warning policy. */
const SOURCES = [
  'hal/shell/myco_shell.c',
  'hal/shell/myco_engine.c',
  'hal/shell/myco_imports.c',
  'hal/shell/myco_config.c',
  'hal/shell/myco_format.c',
  'hal/shell/aot/myco_engine_aot.c',
  'hal/shell/aot/myco_wasm_rt.c',
  'hal/replay/myco_replay_shim.c',
  'hal/replay/myco_replay_main.c',
];
const INCLUDE_DIRS = ['hal/include', 'hal/shell', 'hal/shell/aot', 'hal/replay'];
const STRICT = ['-std=c99', '-Wall', '-Wextra', '-Werror'];
const GENERATED = ['-std=c99', '-w'];

export function boardFacts(board: string): BoardFacts {
  const budget = boardBudget(board);
  const json = JSON.parse(readFileSync(join(ROOT, 'boards', `${board}.json`), 'utf8')) as { flash_bytes?: number; ram_bytes?: number };
  if (typeof json.flash_bytes !== 'number' || typeof json.ram_bytes !== 'number') {
    throw new NativeBuildError(`boards/${board}.json: flash_bytes and ram_bytes must be numbers`);
  }
  return { name: board, budget, flash: json.flash_bytes, ram: json.ram_bytes };
}

function requireTool(tool: string, pkg: string): void {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new NativeBuildError(`${tool} not found: install Debian package ${pkg}`);
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => fail(new NativeBuildError(`${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) done(output);
      else fail(new NativeBuildError(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

/** Rewrites `file` only when its text changes, so unchanged inputs keep their objects. */
function writeIfChanged(file: string, text: string): void {
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
}

/** Every header a source here may include: part of each object's cache key. */
function headerDigest(dirs: string[]): string {
  const h = createHash('sha256');
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.h')).sort()) h.update(f).update(readFileSync(join(dir, f)));
  }
  return h.digest('hex');
}

/**
 * Compiles `src` unless an object from the same source, flags and headers exists: the
 * translated module is large, and tests build the same image more than once.
 */
async function compileCached(cc: string, src: string, flags: string[], obj: string, headers: string): Promise<void> {
  const key = createHash('sha256').update(cc).update(JSON.stringify(flags)).update(headers).update(readFileSync(src)).digest('hex');
  const stamp = `${obj}.key`;
  if (existsSync(obj) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return;
  await run(cc, [...flags, '-c', src, '-o', obj]);
  writeFileSync(stamp, key);
}

export interface Sizes {
  text: number;
  data: number;
  bss: number;
}

function berkeley(sizeTool: string, file: string): Sizes {
  const r = spawnSync(sizeTool, [file], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new NativeBuildError(`${sizeTool} ${file} failed: ${r.stderr || r.error?.message}`);
  const m = r.stdout.trim().split('\n')[1]?.trim().split(/\s+/).map(Number);
  if (!m || m.length < 3 || m.slice(0, 3).some((n) => !Number.isFinite(n))) throw new NativeBuildError(`cannot read ${sizeTool}'s output:\n${r.stdout}`);
  return { text: m[0], data: m[1], bss: m[2] };
}

/** The image's parts, in the order the size report lists them. */
export const PARTS = ['node module (wasm2c)', 'aot engine + runtime, linear memory', 'shell, imports, config, text form', 'replay shim + golden vectors', 'C library + start-up'] as const;
export type Part = (typeof PARTS)[number];

const PART_OF: Record<string, Part> = {
  myco_module: 'node module (wasm2c)',
  myco_engine_aot: 'aot engine + runtime, linear memory',
  myco_wasm_rt: 'aot engine + runtime, linear memory',
  myco_shell: 'shell, imports, config, text form',
  myco_engine: 'shell, imports, config, text form',
  myco_imports: 'shell, imports, config, text form',
  myco_config: 'shell, imports, config, text form',
  myco_format: 'shell, imports, config, text form',
  myco_replay_shim: 'replay shim + golden vectors',
  myco_replay_main: 'replay shim + golden vectors',
  myco_replay_vectors: 'replay shim + golden vectors',
};

const zero = (): Sizes => ({ text: 0, data: 0, bss: 0 });

/** Which of text, data and bss an output section counts towards (as `size` counts); null: not loaded. */
function bucketOf(section: string): keyof Sizes | null {
  if (/^\.(debug|comment|note|stab|xt\.|xtensa|ARM\.attributes|gnu\.attributes|gnu_debug)/.test(section)) return null;
  if (/^\.(bss|sbss|tbss)\b/.test(section)) return 'bss';
  if (/^\.(data|sdata|tdata|got|dynamic|init_array|fini_array)\b/.test(section)) return 'data';
  return 'text';
}

/**
 * Sizes per part from the linker's map: what each object contributes after the linker
 * dropped unused sections (and, on Xtensa, relaxed calls). Fill and linker-made sections
 * are the difference to the image's total.
 */
export function partsFromMap(map: string): Record<Part, Sizes> {
  const parts = Object.fromEntries(PARTS.map((p) => [p, zero()])) as Record<Part, Sizes>;
  const start = map.indexOf('Linker script and memory map');
  if (start < 0) throw new NativeBuildError('the linker map has no memory map');
  let bucket: keyof Sizes | null = null;
  let pending = false;
  const add = (size: number, file: string) => {
    if (!bucket) return;
    const object = basename(file.trim().replace(/\(.*\)$/, '')).replace(/\.o$/, '');
    const part = PART_OF[object] ?? (file.includes('/obj/') && !file.includes('.a(') ? 'replay shim + golden vectors' : 'C library + start-up');
    parts[part][bucket] += size;
  };
  for (const line of map.slice(start).split('\n')) {
    const output = /^(\.\S+|COMMON)/.exec(line);
    if (output) {
      bucket = bucketOf(output[1]);
      pending = false;
      continue;
    }
    const input = /^ (\.\S+|COMMON)(?:\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*))?$/.exec(line);
    if (input) {
      if (input[4] !== undefined) add(parseInt(input[3], 16), input[4]);
      pending = input[4] === undefined;
      continue;
    }
    const rest = pending ? /^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$/.exec(line) : null;
    if (rest) add(parseInt(rest[2], 16), rest[3]);
    pending = false;
  }
  return parts;
}

export interface ReplayImage {
  target: TargetName;
  board: BoardFacts;
  /** The linked program (an ELF for the board targets). */
  image: string;
  /** The linked image, as `size` counts it. */
  sizes: Sizes;
  /** What each part takes in the linked image. */
  parts: Record<Part, Sizes>;
}

export interface ReplayBuildOptions {
  target: TargetName;
  /** Overrides the target's board (budget, and flash and RAM for the check). */
  board?: string;
  wasm?: string;
  vectors?: GoldenVector[];
  outDir?: string;
  log?: (line: string) => void;
}

export async function buildReplay(options: ReplayBuildOptions): Promise<ReplayImage> {
  const target = TARGETS[options.target];
  if (!target) throw new NativeBuildError(`unknown target "${options.target}" (${Object.keys(TARGETS).join(', ')})`);
  const board = boardFacts(options.board ?? target.board);
  const wasm = resolve(ROOT, options.wasm ?? DEFAULT_WASM);
  const out = resolve(ROOT, options.outDir ?? join('build', 'replay', `${target.name}-${board.name}`));
  const log = options.log ?? (() => {});
  requireTool('wasm2c', 'wabt');
  requireTool(target.cc, target.packages);
  if (!existsSync(wasm)) throw new NativeBuildError(`${relative(ROOT, wasm)} not found: run npm run build first`);
  mkdirSync(join(out, 'obj'), { recursive: true });
  mkdirSync(join(out, 'include'), { recursive: true });

  // A fixed module name gives fixed symbols (Z_myco_nodeZ_tick, ...) for the adapter.
  await translateModule(run, wasm, 'myco_node', join(out, 'myco_module.c'), log);
  if (target.copyRuntimeHeader) {
    // Only wasm-rt.h: the rest of /usr/include is the host's C library, not the target's.
    const header = '/usr/include/wasm-rt.h';
    if (!existsSync(header)) throw new NativeBuildError(`${header} not found: install Debian package wabt`);
    copyFileSync(header, join(out, 'include', 'wasm-rt.h'));
  }
  writeIfChanged(join(out, 'myco_replay_vectors.c'), replayTables(options.vectors ?? loadVectors(join(ROOT, GOLDEN_DIR))));

  const includeDirs = [...INCLUDE_DIRS.map((d) => join(ROOT, d)), out, join(out, 'include')];
  const headers = headerDigest(includeDirs);
  const common = [
    ...target.arch,
    '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0',
    // No call-depth count when the module is proved recursion-free (docs/native.md).
    ...stackDepthDefines(wasm, log),
    `-DMYCO_MEMORY_BUDGET=${board.budget}`,
    `-DMYCO_BOARD="${board.name}"`,
    ...includeDirs.map((d) => `-I${d}`),
  ];
  const objects: Record<string, string> = {};
  const jobs: Promise<void>[] = [];
  const compile = (src: string, flags: string[]) => {
    const obj = join(out, 'obj', `${basename(src, '.c')}.o`);
    objects[basename(src, '.c')] = obj;
    jobs.push(compileCached(target.cc, src, [...flags, ...common], obj, headers));
  };
  compile(join(out, 'myco_module.c'), GENERATED);
  compile(join(out, 'myco_replay_vectors.c'), STRICT);
  for (const src of [...SOURCES, ...target.sources]) compile(join(ROOT, src), STRICT);
  await Promise.all(jobs);

  const image = join(out, target.name === 'native' ? 'myco-replay' : 'myco-replay.elf');
  const map = `${image}.map`;
  await run(target.cc, [...target.arch, '-o', image, ...Object.values(objects), ...target.link(board), `-Wl,-Map,${map}`]);
  const sizes = berkeley(target.size, image);
  const parts = partsFromMap(readFileSync(map, 'utf8'));
  log(`${relative(ROOT, image)}: text ${sizes.text}, data ${sizes.data}, bss ${sizes.bss}`);
  return { target: target.name, board, image, sizes, parts };
}

export interface Fit {
  flashUsed: number;
  ramUsed: number;
  flashFree: number;
  ramFree: number;
  fits: boolean;
}

/** Flash holds text and the initial values of data; RAM holds data and bss. */
export function fitOf(img: ReplayImage): Fit {
  const flashUsed = img.sizes.text + img.sizes.data;
  const ramUsed = img.sizes.data + img.sizes.bss;
  const flashFree = img.board.flash - flashUsed;
  const ramFree = img.board.ram - ramUsed;
  return { flashUsed, ramUsed, flashFree, ramFree, fits: flashFree >= 0 && ramFree >= 0 };
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const pad = (s: string | number, w: number) => String(s).padStart(w);

export function sizeReport(images: ReplayImage[]): string {
  const lines: string[] = [];
  for (const img of images) {
    const fit = fitOf(img);
    lines.push(`${img.target} for ${img.board.name} (Wasm memory budget ${img.board.budget} bytes):`);
    lines.push(`  ${'part'.padEnd(38)}${pad('text', 9)}${pad('data', 9)}${pad('bss', 9)}`);
    const row = (name: string, s: Sizes) => lines.push(`  ${name.padEnd(38)}${pad(s.text, 9)}${pad(s.data, 9)}${pad(s.bss, 9)}`);
    const counted = zero();
    for (const part of PARTS) {
      row(part, img.parts[part]);
      for (const k of ['text', 'data', 'bss'] as const) counted[k] += img.parts[part][k];
    }
    row('alignment, linker-made sections', { text: img.sizes.text - counted.text, data: img.sizes.data - counted.data, bss: img.sizes.bss - counted.bss });
    row('linked image', img.sizes);
    const verdict = (used: number, cap: number, what: string) =>
      used <= cap
        ? `  ${what}: ${used} of ${cap} bytes (${kib(used)} of ${kib(cap)}), ${cap - used} bytes free`
        : `  ${what}: ${used} of ${cap} bytes: DOES NOT FIT, ${used - cap} bytes (${kib(used - cap)}) over`;
    lines.push(verdict(fit.flashUsed, img.board.flash, 'flash (text + data)'));
    lines.push(verdict(fit.ramUsed, img.board.ram, 'RAM (data + bss, before stack and heap)'));
  }
  return lines.join('\n');
}

const USAGE = `usage: npm run firmware:size -- [--target NAME ...] [--wasm FILE]

Cross-compiles the replay image (shell, aot engine and runtime, the node module via
wasm2c, golden vectors) and prints text/data/bss against each board's flash and RAM.

  --target NAME  cortex-m0plus (elasticnode-v5) or lx106 (esp8266); default both
  --wasm FILE    node module (default ${DEFAULT_WASM})

Needs wasm2c (Debian wabt), ${TARGETS['cortex-m0plus'].packages}, ${TARGETS.lx106.packages}.
Exit status 1 when an image does not fit its board.`;

async function main(argv: string[]): Promise<number> {
  const targets: TargetName[] = [];
  let wasm: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else if (a === '--target' && argv[i + 1] && argv[i + 1] in TARGETS) targets.push(argv[++i] as TargetName);
    else if (a === '--wasm' && argv[i + 1]) wasm = argv[++i];
    else {
      console.error(`unknown or incomplete argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  try {
    const images: ReplayImage[] = [];
    for (const target of targets.length ? targets : (['cortex-m0plus', 'lx106'] as TargetName[])) {
      images.push(await buildReplay({ target, wasm }));
    }
    console.log(sizeReport(images));
    return images.every((img) => fitOf(img).fits) ? 0 : 1;
  } catch (err) {
    if (err instanceof NativeBuildError) {
      console.error(`firmware:size: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
