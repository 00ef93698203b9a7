// Per-layer figures of a Myco model: operation, shapes, multiply-accumulates, weight bytes
// (weights blob plus bias / multiplier / shift arrays) and activation bytes (inputs plus
// output), with totals and the activation buffers a node needs.

import { NONE, OPS, recordOf, tensorBytes, type MycoModel } from './format.ts';

export interface LayerFigures {
  index: number;
  op: string;
  source: number;
  inputs: number[][];
  output: number[];
  /** Kernel detail, e.g. "3x3 s2 SAME-like pad 0,0 RELU6 range". */
  detail: string;
  macs: number;
  weightBytes: number;
  activationBytes: number;
}

export interface ModelFigures {
  layers: LayerFigures[];
  totalMacs: number;
  totalWeightBytes: number;
  /** Sum of the activation buffers (what a node running every layer holds at once). */
  activationBufferBytes: number;
  largestWeights: number;
  input: number[];
  output: number[];
}

export function modelFigures(model: MycoModel): ModelFigures {
  const layers = model.layers.map((l, index): LayerFigures => {
    const p = recordOf(l);
    const blobBytes = (id: number) => (id === NONE ? 0 : model.blobs[id].length);
    let detail = '';
    if ('filterH' in p) detail = `${p.filterH}x${p.filterW} stride ${p.strideH}${p.depthMultiplier > 1 ? ` x${p.depthMultiplier}` : ''}`;
    if ('actMin' in p && (p.actMin !== -128 || p.actMax !== 127)) detail += `${detail ? ', ' : ''}clamp [${p.actMin}, ${p.actMax}]`;
    return {
      index, op: OPS[l.op].name, source: l.source,
      inputs: l.inputs.map((t) => model.tensors[t].shape),
      output: model.tensors[l.output].shape,
      detail,
      macs: OPS[l.op].filter ? l.macs : 0,
      weightBytes: blobBytes(l.filterBlob) + blobBytes(l.dataBlob),
      activationBytes: [...l.inputs, l.output].reduce((a, t) => a + tensorBytes(model.tensors[t]), 0),
    };
  });
  return {
    layers,
    totalMacs: layers.reduce((a, l) => a + l.macs, 0),
    totalWeightBytes: layers.reduce((a, l) => a + l.weightBytes, 0),
    activationBufferBytes: model.slots.reduce((a, s) => a + s, 0),
    largestWeights: Math.max(0, ...layers.map((l) => l.weightBytes)),
    input: model.tensors[model.input].shape,
    output: model.tensors[model.output].shape,
  };
}
