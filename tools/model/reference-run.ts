// Runs a Myco model with the plain TypeScript reference kernels (tools/infer/reference.ts),
// independently of the AssemblyScript kernels: the yardstick the tests hold `runModel` to,
// layer by layer.

import { NONE, Op, recordOf, tensorBytes, type MycoModel } from './format.ts';
import * as ref from '../infer/reference.ts';
import { ARITHMETIC_TFLITE, bitsF32 } from '../infer/params.ts';

function int32s(blob: Uint8Array, offset: number, n: number): Int32Array {
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return Int32Array.from({ length: n }, (_, i) => v.getInt32(offset + 4 * i, true));
}

/** Every layer's output, in order (the last is the model output). */
export function referenceRun(model: MycoModel, input: Int8Array): Int8Array[] {
  const values = new Map<number, Int8Array>([[model.input, input]]);
  const outputs: Int8Array[] = [];
  for (const layer of model.layers) {
    const p = recordOf(layer);
    const x = values.get(layer.inputs[0])!;
    const data = layer.dataBlob === NONE ? new Uint8Array(0) : model.blobs[layer.dataBlob];
    const filter = layer.filterBlob === NONE ? new Int8Array(0) : new Int8Array(model.blobs[layer.filterBlob].buffer, model.blobs[layer.filterBlob].byteOffset, model.blobs[layer.filterBlob].length);
    const addr = (name: string, n: number) => ((layer.relocMask >>> Object.keys(p).indexOf(name)) & 1 ? int32s(data, p[name], n) : null);
    let y: Int8Array;
    switch (layer.op) {
      case Op.Conv2d:
      case Op.DepthwiseConv2d: {
        const spec = { ...p } as unknown as ref.ConvSpec & { depthMultiplier: number };
        const bias = addr('bias', p.outC);
        const m = addr('multipliers', p.outC)!;
        const s = addr('shifts', p.outC)!;
        // Desktop TFLite arithmetic: the multipliers array holds float32 scales.
        const scales = p.arithmetic === ARITHMETIC_TFLITE ? Array.from(m, bitsF32) : undefined;
        const inShape: ref.Shape4 = [1, p.inH, p.inW, p.inC];
        const outShape: ref.Shape4 = [1, p.outH, p.outW, p.outC];
        y = layer.op === Op.Conv2d
          ? ref.convPerChannel(spec, m, s, inShape, x, [p.outC, p.filterH, p.filterW, p.filterC], filter, bias, outShape, scales)
          : ref.depthwiseConvPerChannel(spec, m, s, inShape, x, [1, p.filterH, p.filterW, p.outC], filter, bias, outShape, scales);
        break;
      }
      case Op.FullyConnected: {
        const m = addr('multipliers', p.outDepth);
        const s = addr('shifts', p.outDepth);
        y = ref.fullyConnected({
          inputOffset: p.inputOffset, filterOffset: p.filterOffset, outputOffset: p.outputOffset,
          outputMultiplier: m ?? p.outputMultiplier, outputShift: s ?? p.outputShift, actMin: p.actMin, actMax: p.actMax,
          fp32Scale: p.arithmetic !== ARITHMETIC_TFLITE ? undefined : m ? Array.from(m, bitsF32) : bitsF32(p.outputMultiplier),
        }, p.batches, x, p.outDepth, p.inDepth, filter, addr('bias', p.outDepth));
        break;
      }
      case Op.AveragePool2d:
      case Op.MaxPool2d: {
        const f = layer.op === Op.AveragePool2d ? ref.averagePool : ref.maxPool;
        y = f(p as unknown as ref.PoolSpec, [1, p.inH, p.inW, p.channels], x, [1, p.outH, p.outW, p.channels]);
        break;
      }
      case Op.Add: y = ref.add(p as unknown as ref.AddSpec, x, values.get(layer.inputs[1])!); break;
      case Op.Reshape: y = x.slice(); break;
      case Op.Softmax: {
        if (p.arithmetic === ARITHMETIC_TFLITE) {
          const table = Float32Array.from(addr('table', 256)!, bitsF32);
          y = ref.softmaxFloatTable(table, bitsF32(p.outputScale), p.rows, p.depth, x);
        } else {
          y = ref.softmax(p as unknown as ref.SoftmaxSpec, p.rows, p.depth, x);
        }
        break;
      }
      case Op.Relu: y = ref.relu(p as unknown as Parameters<typeof ref.relu>[0], x); break;
      case Op.Relu6: y = ref.relu6(x, p.lo, p.hi); break;
      default: throw new Error(`unknown operation ${layer.op}`);
    }
    if (y.length !== tensorBytes(model.tensors[layer.output])) throw new Error('reference output size mismatch');
    values.set(layer.output, y);
    outputs.push(y);
  }
  return outputs;
}
