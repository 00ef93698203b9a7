// `myco model import|inspect|run`: TFLite models into Myco's model format (docs/model.md),
// their per-layer figures, and a whole-model run with the node's int8 kernels.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { HELP_FLAG, UsageError } from './args.ts';
import type { CliIO, Command } from './command.ts';
import { renderTable, formatBytes } from './table.ts';
import { ModelError } from '../model/errors.ts';
import { decodeModel, encodeModel, type MycoModel } from '../model/format.ts';
import { importTfliteBytes } from '../model/import.ts';
import { modelFigures } from '../model/inspect.ts';
import { runModel } from '../model/run.ts';
import { readGrayBmp } from '../model/bmp.ts';

function readFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new ModelError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A .tflite (imported on the fly) or .myco model. */
export function loadModel(path: string): MycoModel {
  const bytes = readFile(path);
  const isTflite = extname(path).toLowerCase() === '.tflite' || (bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === 'TFL3');
  return isTflite ? importTfliteBytes(bytes, path) : decodeModel(bytes, path);
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
    `${file}: ${model.layers.length} layers, input ${shape(f.input)} -> output ${shape(f.output)} (int8)`,
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
      if (rest.length !== 1) throw new UsageError('usage: myco model import <model.tflite> [--out model.myco]');
      const [src] = rest;
      const model = importTfliteBytes(readFile(src), src);
      const bytes = encodeModel(model);
      const dest = out ?? `${src.slice(0, src.length - extname(src).length)}.myco`;
      writeFileSync(dest, bytes);
      const f = modelFigures(model);
      io.out(`${dest}: ${model.layers.length} layers, ${count(f.totalMacs)} MACs, ${formatBytes(f.totalWeightBytes)} of weights, ${formatBytes(bytes.length)} file\n`);
      return 0;
    }
    case 'inspect': {
      if (rest.length < 1) throw new UsageError('usage: myco model inspect <model.tflite|model.myco>...');
      if (out) throw new UsageError('--out is for import and run');
      for (const file of rest) io.out(inspectText(loadModel(file), file));
      return 0;
    }
    case 'run': {
      if (rest.length !== 2) throw new UsageError('usage: myco model run <model.myco|model.tflite> <input.bin|image.bmp> [--out output.bin]');
      const [modelFile, inputFile] = rest;
      const model = loadModel(modelFile);
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
    default:
      throw new UsageError(action ? `unknown model action "${action}" (known: import, inspect, run)` : 'missing action: myco model import|inspect|run');
  }
}

export const modelCommand: Command = {
  name: 'model',
  summary: 'import, inspect and run int8 TFLite models',
  usage: 'myco model import|inspect|run <file>... [options]',
  description:
    'import: reads a fully int8 TensorFlow Lite model and writes a Myco model (docs/model.md): layers with\n' +
    'their kernel parameters and per-channel requantisation computed as TFLite Micro does, weights as blobs.\n' +
    'Unsupported operators or types are refused with the operator index and the supported list.\n' +
    'inspect: per layer the operation, shapes, MACs, weight bytes and activation bytes, with totals.\n' +
    'run: the whole model in one process with the node\'s int8 kernels (WebAssembly); the input is the\n' +
    "input tensor's raw int8 bytes, or an 8-bit grayscale .bmp (rows top-down, bytes as int8).\n" +
    'Exit codes: 0 ok, 1 a corrupt, truncated or unsupported model or input, 2 usage error.',
  args: [
    ['import <in.tflite>', 'write a .myco model (next to the input unless --out)'],
    ['inspect <file>...', 'per-layer figures of .tflite or .myco files'],
    ['run <model> <input>', 'run a .myco (or .tflite) model on an input file'],
  ],
  flags: [
    { name: 'out', value: 'FILE', description: 'import: the .myco file to write; run: write the output bytes here' },
    HELP_FLAG,
  ],
  examples: [
    ['myco model import person_detect.tflite --out pd.myco', 'import a model'],
    ['myco model inspect pd.myco', 'layers, MACs, weight and activation bytes'],
    ['myco model run pd.myco person.bmp', 'prints the output bytes and the argmax'],
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
