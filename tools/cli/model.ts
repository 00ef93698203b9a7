// `myco model import|inspect|run`: TFLite models into Myco's model format (docs/model.md),
// their per-layer figures, and a whole-model run with the node's int8 kernels.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { HELP_FLAG, UsageError } from './args.ts';
import type { CliIO, Command } from './command.ts';
import { renderTable, formatBytes } from './table.ts';
import { ModelError } from '../model/errors.ts';
import { decodeModel, encodeModel, type Arithmetic, type MycoModel } from '../model/format.ts';
import { importTfliteBytes } from '../model/import.ts';
import { modelFigures } from '../model/inspect.ts';
import { runModel } from '../model/run.ts';
import { readGrayBmp } from '../model/bmp.ts';
import { splitCommand } from '../model/split-cli.ts';

function readFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new ModelError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The --arithmetic flag: whose int8 arithmetic an imported model reproduces (default tflm). */
export function arithmeticFlag(flags: Record<string, string | true>): Arithmetic | undefined {
  const a = flags.arithmetic;
  if (a === undefined) return undefined;
  if (a !== 'tflm' && a !== 'tflite') throw new UsageError(`--arithmetic ${a === true ? '(no value)' : a}: tflm (TFLite Micro, what boards run) or tflite (desktop TFLite / LiteRT)`);
  return a;
}

/** A .tflite (imported on the fly, with `arithmetic`) or .myco model. */
export function loadModel(path: string, arithmetic?: Arithmetic): MycoModel {
  const bytes = readFile(path);
  const isTflite = extname(path).toLowerCase() === '.tflite' || (bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === 'TFL3');
  if (!isTflite && arithmetic !== undefined) throw new UsageError(`--arithmetic is chosen at import; ${path} is already a Myco model`);
  return isTflite ? importTfliteBytes(bytes, path, { arithmetic }) : decodeModel(bytes, path);
}

const shape = (s: number[]) => `[${s.join(',')}]`;
const count = (n: number) => n.toLocaleString('en-US');

function inspectText(model: MycoModel, file: string): string {
  const f = modelFigures(model);
  const rows = f.layers.map((l) => [
    `${l.index}`, l.op, `${l.inputs.map(shape).join(' + ')} -> ${shape(l.output)}`, l.detail,
    l.macs ? count(l.macs) : '-', l.weightBytes ? count(l.weightBytes) : '-', count(l.activationBytes),
  ]);
  const table = renderTable(
    [
      { title: '#', align: 'right' }, { title: 'op' }, { title: 'shapes' }, { title: 'kernel' },
      { title: 'MACs', align: 'right' }, { title: 'weight bytes', align: 'right' }, { title: 'activation bytes', align: 'right' },
    ],
    rows,
    ['', 'total', '', '', count(f.totalMacs), count(f.totalWeightBytes), ''],
  );
  return [
    `${file}: ${model.layers.length} layers, input ${shape(f.input)} -> output ${shape(f.output)} (int8, ${model.arithmetic ?? 'tflm'} arithmetic)`,
    table,
    `weights ${formatBytes(f.totalWeightBytes)} in ${model.blobs.length} blobs (largest layer ${formatBytes(f.largestWeights)}); ` +
      `activation buffers ${model.slots.map(formatBytes).join(' + ')} = ${formatBytes(f.activationBufferBytes)}`,
    '',
  ].join('\n');
}

async function run(args: { positionals: string[]; flags: Record<string, string | true> }, io: CliIO): Promise<number> {
  const [action, ...rest] = args.positionals;
  const out = typeof args.flags.out === 'string' ? args.flags.out : undefined;
  switch (action) {
    case 'import': {
      if (rest.length !== 1) throw new UsageError('usage: myco model import <model.tflite> [--arithmetic tflm|tflite] [--out model.myco]');
      const [src] = rest;
      const model = importTfliteBytes(readFile(src), src, { arithmetic: arithmeticFlag(args.flags) });
      const bytes = encodeModel(model);
      const dest = out ?? `${src.slice(0, src.length - extname(src).length)}.myco`;
      writeFileSync(dest, bytes);
      const f = modelFigures(model);
      io.out(`${dest}: ${model.layers.length} layers, ${count(f.totalMacs)} MACs, ${formatBytes(f.totalWeightBytes)} of weights, ${formatBytes(bytes.length)} file, ${model.arithmetic ?? 'tflm'} arithmetic\n`);
      return 0;
    }
    case 'inspect': {
      if (rest.length < 1) throw new UsageError('usage: myco model inspect <model.tflite|model.myco>...');
      if (out) throw new UsageError('--out is for import and run');
      for (const file of rest) io.out(inspectText(loadModel(file, arithmeticFlag(args.flags)), file));
      return 0;
    }
    case 'run': {
      if (rest.length !== 2) throw new UsageError('usage: myco model run <model.myco|model.tflite> <input.bin|image.bmp> [--out output.bin]');
      const [modelFile, inputFile] = rest;
      const model = loadModel(modelFile, arithmeticFlag(args.flags));
      const raw = readFile(inputFile);
      const input = extname(inputFile).toLowerCase() === '.bmp' ? readGrayBmp(raw, inputFile).pixels : raw;
      const t0 = performance.now();
      const result = await runModel(model, new Int8Array(input.buffer, input.byteOffset, input.length));
      const ms = performance.now() - t0;
      const values = Array.from(result.output);
      let best = 0;
      values.forEach((v, i) => { if (v > values[best]) best = i; });
      if (out) writeFileSync(out, new Uint8Array(result.output.buffer, result.output.byteOffset, result.output.length));
      const shown = values.length > 64 ? `${values.slice(0, 64).join(', ')}, ... (${values.length} values)` : values.join(', ');
      io.out(`${basename(modelFile)} on ${basename(inputFile)}: [${shown}]\nargmax ${best} (${values[best]}), ${ms.toFixed(1)} ms${out ? `, written to ${out}` : ''}\n`);
      return 0;
    }
    case 'split':
      if (rest.length !== 1) throw new UsageError('usage: myco model split <model.myco|model.tflite> --nodes esp32,esp32,rp2040 [--at 5,12]');
      io.out(await splitCommand(loadModel(rest[0]), rest[0], args.flags));
      return 0;
    default:
      throw new UsageError(action ? `unknown model action "${action}" (known: import, inspect, run, split)` : 'missing action: myco model import|inspect|run|split');
  }
}

export const modelCommand: Command = {
  name: 'model',
  summary: 'import, inspect and run int8 TFLite models',
  usage: 'myco model import|inspect|run|split <file>... [options]',
  description:
    'import: reads a fully int8 TensorFlow Lite model and writes a Myco model (docs/model.md): layers with\n' +
    'their kernel parameters and per-channel requantisation computed as TFLite Micro does, weights as blobs.\n' +
    '--arithmetic tflm (default) reproduces TensorFlow Lite Micro\'s int8 kernels bit for bit (what boards run);\n' +
    '--arithmetic tflite reproduces desktop TensorFlow Lite / LiteRT with XNNPACK (float requantisation),\n' +
    'which can differ by a few units on some outputs (docs/inference.md). The choice is stored in the model.\n' +
    'Unsupported operators or types are refused with the operator index and the supported list.\n' +
    'inspect: per layer the operation, shapes, MACs, weight bytes and activation bytes, with totals.\n' +
    'run: the whole model in one process with the node\'s int8 kernels (WebAssembly); the input is the\n' +
    "input tensor's raw int8 bytes, or an 8-bit grayscale .bmp (rows top-down, bytes as int8).\n" +
    'split: one step (a range of layers) per node that fits its memory budget, balancing MACs (docs/steps.md).\n' +
    'Exit codes: 0 ok, 1 a corrupt, truncated or unsupported model or input, 2 usage error.',
  args: [
    ['import <in.tflite>', 'write a .myco model (next to the input unless --out)'],
    ['inspect <file>...', 'per-layer figures of .tflite or .myco files'],
    ['run <model> <input>', 'run a .myco (or .tflite) model on an input file'],
    ['split <model>', 'propose (or check, with --at) steps for the nodes given by --nodes'],
  ],
  flags: [
    { name: 'out', value: 'FILE', description: 'import: the .myco file to write; run: write the output bytes here' },
    { name: 'arithmetic', value: 'tflm|tflite', description: 'import (or a .tflite given to run/inspect): TFLite Micro (default) or desktop TFLite arithmetic' },
    { name: 'nodes', value: 'BOARDS', description: 'split: comma-separated board names, one step per node (rp2040 = elasticnode-v5)' },
    { name: 'at', value: 'CUTS', description: 'split: comma-separated layers where steps 1.. start, instead of proposing' },
    HELP_FLAG,
  ],
  examples: [
    ['myco model import person_detect.tflite --out pd.myco', 'import a model'],
    ['myco model import person_detect.tflite --arithmetic tflite', 'match desktop TFLite / LiteRT instead'],
    ['myco model inspect pd.myco', 'layers, MACs, weight and activation bytes'],
    ['myco model run pd.myco person.bmp', 'prints the output bytes and the argmax'],
    ['myco model split pd.myco --nodes esp32,esp32,rp2040', 'three steps that fit and balance compute'],
  ],
  async run(args, io) {
    try {
      return await run(args, io);
    } catch (e) {
      if (e instanceof ModelError) {
        io.err(`myco: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  },
};
