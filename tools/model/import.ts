// TFLite -> Myco model: one layer per operator, with the parameter records the kernels take,
// computed here once exactly as TensorFlow Lite Micro's Prepare functions compute them
// (per-channel multipliers from input scale x filter scale / output scale, padding, activation
// ranges, softmax and add scaling; tools/infer/quant.ts). Weights and the per-channel int32
// arrays become blobs; activation tensors are packed into as few buffers as liveness allows
// (two, ping-pong, for a chain of layers).

import { ModelError } from './errors.ts';
import { NONE, Op, OPS, RELU6_FIELDS, checkModel, type Arithmetic, type MycoLayer, type MycoModel, type MycoTensor } from './format.ts';
import {
  ACTIVATIONS, Builtin, PADDINGS, TensorType, builtinName, readTflite, tensorTypeName,
  type BuiltinOptions, type Operator, type SubGraph, type Tensor, type TfliteModel,
} from './tflite.ts';
import {
  packParams, f32Bits, ARITHMETIC_TFLITE, ARITHMETIC_TFLM, CONV_FIELDS, FULLY_CONNECTED_FIELDS, POOL_FIELDS, ADD_FIELDS,
  SOFTMAX_FIELDS, RELU_FIELDS,
} from '../infer/params.ts';
import {
  activationRange, activationRangeFp32, addScaling, computeOutSize, computePadding, fp32Scale, quantizeMultiplier,
  relu6Bounds, reluScaling, softmaxScaling, softmaxTable, type Activation, type Padding,
} from '../infer/quant.ts';

const f32 = Math.fround;

/** TFLite builtin operators the importer maps to layers. */
export const SUPPORTED_OPERATORS: Record<number, Op> = {
  [Builtin.CONV_2D]: Op.Conv2d,
  [Builtin.DEPTHWISE_CONV_2D]: Op.DepthwiseConv2d,
  [Builtin.FULLY_CONNECTED]: Op.FullyConnected,
  [Builtin.AVERAGE_POOL_2D]: Op.AveragePool2d,
  [Builtin.MAX_POOL_2D]: Op.MaxPool2d,
  [Builtin.ADD]: Op.Add,
  [Builtin.RESHAPE]: Op.Reshape,
  [Builtin.SOFTMAX]: Op.Softmax,
  [Builtin.RELU]: Op.Relu,
  [Builtin.RELU6]: Op.Relu6,
};

export const SUPPORTED_LIST = Object.keys(SUPPORTED_OPERATORS).map((c) => builtinName(Number(c))).join(', ');

export interface ImportOptions {
  /**
   * Whose int8 arithmetic the model reproduces (docs/inference.md): 'tflm' (default),
   * TensorFlow Lite Micro's fixed-point reference kernels, what boards run; 'tflite', desktop
   * TensorFlow Lite / LiteRT with its XNNPACK delegate (float requantisation).
   */
  arithmetic?: Arithmetic;
}

export function importTfliteBytes(bytes: Uint8Array, file = 'model.tflite', options: ImportOptions = {}): MycoModel {
  return importTflite(readTflite(bytes, file), options);
}

interface Builder {
  tensors: MycoTensor[];
  layers: MycoLayer[];
  blobs: Uint8Array[];
  /** TFLite tensor index -> Myco activation tensor. */
  activations: Map<number, number>;
  arithmetic: Arithmetic;
}

export function importTflite(model: TfliteModel, options: ImportOptions = {}): MycoModel {
  const file = model.file;
  const arithmetic = options.arithmetic ?? 'tflm';
  if (arithmetic !== 'tflm' && arithmetic !== 'tflite') throw new ModelError(`arithmetic "${arithmetic}": tflm or tflite`);
  if (model.subgraphs.length !== 1) {
    throw new ModelError(`${file}: the model has ${model.subgraphs.length} subgraphs; only single-subgraph models can be imported`);
  }
  const sg = model.subgraphs[0];
  if (sg.inputs.length !== 1 || sg.outputs.length !== 1) {
    throw new ModelError(`${file}: the model has ${sg.inputs.length} inputs and ${sg.outputs.length} outputs; exactly one of each is supported`);
  }
  if (sg.operators.length === 0) throw new ModelError(`${file}: the model has no operators`);
  const b: Builder = { tensors: [], layers: [], blobs: [], activations: new Map(), arithmetic };
  const inputTensor = sg.tensors[sg.inputs[0]];
  const modelInput = addActivation(b, model, inputTensor, `${file}: model input`);

  for (const op of sg.operators) {
    const code = model.operatorCodes[op.opcodeIndex];
    const name = code.builtinCode === Builtin.CUSTOM ? `CUSTOM "${code.customCode}"` : builtinName(code.builtinCode);
    const mycoOp = SUPPORTED_OPERATORS[code.builtinCode];
    if (mycoOp === undefined) {
      throw new ModelError(`${file}: operator ${op.index} is ${name}, which Myco cannot import; supported operators: ${SUPPORTED_LIST}`);
    }
    const where = `${file}: operator ${op.index} (${name})`;
    new OperatorImporter(b, model, sg, op, mycoOp, where).run();
  }

  const outIndex = b.activations.get(sg.outputs[0]);
  if (outIndex === undefined) throw new ModelError(`${file}: the model output tensor ${sg.outputs[0]} is not written by any operator`);
  const result: MycoModel = { tensors: b.tensors, layers: b.layers, blobs: b.blobs, slots: [], input: modelInput, output: outIndex, arithmetic };
  planSlots(result);
  checkModel(result, file);
  return result;
}

function quantOf(t: Tensor, where: string): { scale: number; zeroPoint: number } {
  const q = t.quantization;
  if (!q || q.scale.length !== 1 || q.zeroPoint.length > 1) {
    throw new ModelError(`${where}: tensor ${t.index} "${t.name}" needs one (per-tensor) scale and zero point, has ${q ? `${q.scale.length} scales` : 'no quantisation'}`);
  }
  const scale = f32(q.scale[0]);
  const zeroPoint = q.zeroPoint[0] ?? 0;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ModelError(`${where}: tensor ${t.index} "${t.name}" has scale ${scale}`);
  if (zeroPoint < -128 || zeroPoint > 127) throw new ModelError(`${where}: tensor ${t.index} "${t.name}" has zero point ${zeroPoint}, outside int8`);
  return { scale, zeroPoint };
}

function addActivation(b: Builder, model: TfliteModel, t: Tensor, where: string): number {
  if (t.type !== TensorType.INT8) {
    throw new ModelError(`${where}: tensor ${t.index} "${t.name}" is ${tensorTypeName(t.type)}; activations must be INT8 (supported types: INT8 activations and weights, INT32 bias)`);
  }
  if (model.buffers[t.buffer]?.length) throw new ModelError(`${where}: tensor ${t.index} "${t.name}" is a constant; it must be an activation`);
  if (t.shape.length < 1 || t.shape.length > 4 || t.shape.some((d) => d < 1)) {
    throw new ModelError(`${where}: tensor ${t.index} "${t.name}" has shape [${t.shape}]; 1 to 4 dimensions of at least 1 are supported`);
  }
  const { scale, zeroPoint } = quantOf(t, where);
  b.tensors.push({ shape: [...t.shape], scale, zeroPoint, slot: 0 });
  b.activations.set(t.index, b.tensors.length - 1);
  return b.tensors.length - 1;
}

class OperatorImporter {
  constructor(
    private readonly b: Builder, private readonly model: TfliteModel, private readonly sg: SubGraph,
    private readonly op: Operator, private readonly mycoOp: Op, private readonly where: string,
  ) {}

  fail(what: string): never {
    throw new ModelError(`${this.where}: ${what}`);
  }

  /** Desktop TFLite arithmetic (float requantisation) rather than TFLite Micro's fixed point. */
  get fp32(): boolean {
    return this.b.arithmetic === 'tflite';
  }

  get arithmetic(): number {
    return this.fp32 ? ARITHMETIC_TFLITE : ARITHMETIC_TFLM;
  }

  /** XNNPACK's float32 requantisation scale for one channel. */
  scale(inputScale: number, filterScale: number, outputScale: number): number {
    try {
      return fp32Scale(inputScale, filterScale, outputScale);
    } catch (e) {
      return this.fail((e as Error).message);
    }
  }

  /** Operators whose desktop-TFLite arithmetic is not reproduced yet. */
  tflmOnly(): void {
    if (this.fp32) this.fail('is only supported with --arithmetic tflm (its desktop TFLite arithmetic is not reproduced)');
  }

  /** The fused activation's int8 range as the chosen runtime computes it. */
  actRange(act: Activation, output: { scale: number; zeroPoint: number }): [number, number] {
    return this.fp32 ? activationRangeFp32(act, output.scale, output.zeroPoint) : activationRange(act, output.scale, output.zeroPoint);
  }

  tensor(slot: number, what: string): Tensor {
    const i = this.op.inputs[slot];
    if (i === undefined || i < 0) this.fail(`has no ${what} (input ${slot})`);
    return this.sg.tensors[i];
  }

  /** An activation input, already produced by an earlier operator or the model input. */
  input(slot: number): { t: Tensor; index: number; scale: number; zeroPoint: number } {
    const t = this.tensor(slot, 'input');
    const index = this.b.activations.get(t.index);
    if (index === undefined) {
      if (this.model.buffers[t.buffer]?.length) this.fail(`input ${slot} is constant tensor ${t.index} "${t.name}"; only activations are supported there`);
      this.fail(`input ${slot} is tensor ${t.index} "${t.name}", which no earlier operator writes`);
    }
    const tensor = this.b.tensors[index];
    return { t, index, scale: tensor.scale, zeroPoint: tensor.zeroPoint };
  }

  output(): { t: Tensor; index: number; scale: number; zeroPoint: number } {
    if (this.op.outputs.length !== 1) this.fail(`has ${this.op.outputs.length} outputs; one is supported`);
    const t = this.sg.tensors[this.op.outputs[0]];
    if (this.b.activations.has(t.index)) this.fail(`writes tensor ${t.index} "${t.name}", which is already written`);
    const index = addActivation(this.b, this.model, t, this.where);
    const tensor = this.b.tensors[index];
    return { t, index, scale: tensor.scale, zeroPoint: tensor.zeroPoint };
  }

  /** A constant tensor's data, checked against its type and shape. */
  constant(t: Tensor, type: number, what: string): Uint8Array {
    if (t.type !== type) this.fail(`${what} tensor ${t.index} "${t.name}" is ${tensorTypeName(t.type)}; ${tensorTypeName(type)} is supported`);
    if (t.sparse) this.fail(`${what} tensor ${t.index} "${t.name}" is sparse; only dense tensors are supported`);
    const data = this.model.buffers[t.buffer];
    const elemBytes = type === TensorType.INT32 ? 4 : 1;
    const expected = t.shape.reduce((a, d) => a * d, 1) * elemBytes;
    if (!data || data.length === 0) this.fail(`${what} tensor ${t.index} "${t.name}" has no data`);
    if (data.length !== expected) this.fail(`${what} tensor ${t.index} "${t.name}" has ${data.length} bytes of data, its shape [${t.shape}] needs ${expected}`);
    return data;
  }

  options<K extends BuiltinOptions['kind']>(kind: K, required: boolean): Extract<BuiltinOptions, { kind: K }> | null {
    const o = this.op.options;
    if (o && o.kind === kind) return o as Extract<BuiltinOptions, { kind: K }>;
    if (o || this.op.optionsType !== 0 || required) this.fail(`options of type ${this.op.optionsType} are missing or of the wrong kind`);
    return null;
  }

  activation(code: number): Activation {
    const name = ACTIVATIONS[code as 0];
    if (name !== 'NONE' && name !== 'RELU' && name !== 'RELU6' && name !== 'RELU_N1_TO_1') {
      this.fail(`fused activation ${name ?? code} is not supported (NONE, RELU, RELU6, RELU_N1_TO_1 are)`);
    }
    return name;
  }

  padding(code: number): Padding {
    const p = PADDINGS[code as 0];
    if (!p) this.fail(`padding ${code} is not SAME or VALID`);
    return p;
  }

  shape4(t: Tensor, what: string): [number, number, number, number] {
    if (t.shape.length !== 4) this.fail(`${what} tensor ${t.index} has shape [${t.shape}]; 4 dimensions (NHWC) expected`);
    if (t.shape[0] !== 1) this.fail(`${what} tensor ${t.index} has batch ${t.shape[0]}; only batch 1 is supported`);
    return t.shape as [number, number, number, number];
  }

  positive(value: number, what: string): number {
    if (!Number.isInteger(value) || value < 1) this.fail(`${what} is ${value}`);
    return value;
  }

  /** The int32[n] bias, or null when the operator has none. */
  bias(slot: number, n: number): Int32Array | null {
    const i = this.op.inputs[slot];
    if (i === undefined || i < 0) return null;
    const t = this.sg.tensors[i];
    // As TFLite Micro: the bias's own quantisation (and its quantized_dimension) is not used.
    const data = this.constant(t, TensorType.INT32, 'bias');
    if (data.length !== n * 4) this.fail(`bias tensor ${t.index} has ${data.length / 4} values, expected ${n}`);
    const out = new Int32Array(n);
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let k = 0; k < n; k++) out[k] = v.getInt32(4 * k, true);
    return out;
  }

  /** Symmetric int8 weights: scales per output channel (or one for all), zero points 0. */
  filterScales(t: Tensor, channels: number, dimension: number): number[] {
    const q = t.quantization;
    if (!q || q.scale.length === 0) this.fail(`weights tensor ${t.index} "${t.name}" is not quantised`);
    if (q.scale.length !== 1 && q.scale.length !== channels) this.fail(`weights tensor ${t.index} has ${q.scale.length} scales for ${channels} channels`);
    if (q.scale.length > 1 && q.quantizedDimension !== dimension) this.fail(`weights tensor ${t.index} is quantised along dimension ${q.quantizedDimension}, expected ${dimension}`);
    if (q.zeroPoint.some((z) => z !== 0)) this.fail(`weights tensor ${t.index} has non-zero zero points; symmetric int8 weights are supported`);
    const scales = q.scale.length === 1 ? new Array<number>(channels).fill(q.scale[0]) : q.scale;
    if (scales.some((s) => !(s > 0) || !Number.isFinite(s))) this.fail(`weights tensor ${t.index} has a scale that is not positive`);
    return scales;
  }

  /** Stores [bias][multipliers][shifts] as a data blob; returns the record's offsets and mask bits. */
  channelData(fields: readonly string[], bias: Int32Array | null, multipliers: number[] | null, shifts: number[] | null) {
    const parts: Int32Array[] = [];
    const offsets = { bias: 0, multipliers: 0, shifts: 0 };
    let mask = 0;
    let at = 0;
    const put = (name: keyof typeof offsets, values: ArrayLike<number> | null) => {
      if (!values) return;
      offsets[name] = at;
      mask |= 1 << fields.indexOf(name);
      parts.push(Int32Array.from(values));
      at += values.length * 4;
    };
    put('bias', bias);
    put('multipliers', multipliers);
    put('shifts', shifts);
    if (at === 0) return { offsets, mask, blob: NONE };
    const blob = new Uint8Array(at);
    const v = new DataView(blob.buffer);
    let p = 0;
    for (const part of parts) for (const x of part) { v.setInt32(p, x, true); p += 4; }
    this.b.blobs.push(blob);
    return { offsets, mask, blob: this.b.blobs.length - 1 };
  }

  addBlob(bytes: Uint8Array): number {
    this.b.blobs.push(bytes.slice());
    return this.b.blobs.length - 1;
  }

  push(layer: Omit<MycoLayer, 'source' | 'op'>): void {
    this.b.layers.push({ op: this.mycoOp, source: this.op.index, ...layer });
  }

  run(): void {
    switch (this.mycoOp) {
      case Op.Conv2d: return this.conv(false);
      case Op.DepthwiseConv2d: return this.conv(true);
      case Op.FullyConnected: return this.fullyConnected();
      case Op.AveragePool2d:
      case Op.MaxPool2d: return this.pool();
      case Op.Add: return this.add();
      case Op.Reshape: return this.reshape();
      case Op.Softmax: return this.softmax();
      case Op.Relu:
      case Op.Relu6: return this.relu();
    }
  }

  conv(depthwise: boolean): void {
    const input = this.input(0);
    const filterT = this.tensor(1, 'weights');
    const output = this.output();
    const [, inH, inW, inC] = this.shape4(input.t, 'input');
    const [, outH, outW, outC] = this.shape4(output.t, 'output');
    if (filterT.shape.length !== 4) this.fail(`weights tensor ${filterT.index} has shape [${filterT.shape}]; 4 dimensions expected`);
    const [f0, fH, fW, f3] = filterT.shape;
    const o = depthwise ? this.options('depthwise', true)! : this.options('conv2d', true)!;
    const strideH = this.positive(o.strideH, 'stride_h');
    const strideW = this.positive(o.strideW, 'stride_w');
    const dilationH = this.positive(o.dilationH, 'dilation_h_factor');
    const dilationW = this.positive(o.dilationW, 'dilation_w_factor');
    const padding = this.padding(o.padding);
    let filterC = 1;
    let depthMultiplier = 1;
    if (depthwise) {
      if (f0 !== 1 || f3 !== outC) this.fail(`weights shape [${filterT.shape}] does not match ${outC} output channels`);
      if (outC % inC !== 0) this.fail(`${outC} output channels are not a multiple of ${inC} input channels`);
      depthMultiplier = outC / inC;
      const declared = (o as { depthMultiplier: number }).depthMultiplier;
      if (declared !== 0 && declared !== depthMultiplier) this.fail(`depth_multiplier ${declared} does not match ${inC} -> ${outC} channels`);
    } else {
      if (f0 !== outC) this.fail(`weights shape [${filterT.shape}] does not match ${outC} output channels`);
      filterC = f3;
      if (inC % filterC !== 0 || outC % (inC / filterC) !== 0) this.fail(`${inC} input channels do not split into groups of ${filterC}`);
    }
    const expectH = computeOutSize(padding, inH, fH, strideH, dilationH);
    const expectW = computeOutSize(padding, inW, fW, strideW, dilationW);
    if (expectH !== outH || expectW !== outW) this.fail(`output is ${outH}x${outW}, but ${padding} padding gives ${expectH}x${expectW}`);
    const weights = this.constant(filterT, TensorType.INT8, 'weights');
    const scales = this.filterScales(filterT, outC, depthwise ? 3 : 0);
    const bias = this.bias(2, outC);
    let data;
    if (this.fp32) {
      // XNNPACK: float32 scales; the shifts array is unused (zeros).
      const fs = scales.map((s) => this.scale(input.scale, s, output.scale));
      data = this.channelData(CONV_FIELDS, bias, fs.map(f32Bits), fs.map(() => 0));
    } else {
      // PopulateConvolutionQuantizationParams: double(input_scale) * double(filter_scale) / double(output_scale).
      const q = scales.map((s) => quantizeMultiplier((input.scale * f32(s)) / output.scale));
      data = this.channelData(CONV_FIELDS, bias, q.map((x) => x.multiplier), q.map((x) => x.shift));
    }
    const [actMin, actMax] = this.actRange(this.activation(o.activation), output);
    const params = packParams(CONV_FIELDS, {
      inH, inW, inC, outH, outW, outC, filterH: fH, filterW: fW, filterC, depthMultiplier,
      strideH, strideW, dilationH, dilationW,
      padH: computePadding(strideH, dilationH, inH, fH, outH), padW: computePadding(strideW, dilationW, inW, fW, outW),
      inputOffset: -input.zeroPoint, outputOffset: output.zeroPoint, actMin, actMax, ...data.offsets,
      arithmetic: this.arithmetic,
    });
    const macs = outH * outW * outC * fH * fW * (depthwise ? 1 : filterC);
    this.push({ inputs: [input.index], output: output.index, params, relocMask: data.mask, filterBlob: this.addBlob(weights), dataBlob: data.blob, macs });
  }

  fullyConnected(): void {
    const input = this.input(0);
    const filterT = this.tensor(1, 'weights');
    const output = this.output();
    const o = this.options('fullyConnected', false);
    if (o && o.weightsFormat !== 0) this.fail(`weights_format ${o.weightsFormat} is not supported (DEFAULT is)`);
    if (filterT.shape.length !== 2) this.fail(`weights tensor ${filterT.index} has shape [${filterT.shape}]; [outputs, inputs] expected`);
    const [outDepth, inDepth] = filterT.shape;
    const inElems = input.t.shape.reduce((a, d) => a * d, 1);
    if (inElems % inDepth !== 0) this.fail(`input of ${inElems} values does not split into rows of ${inDepth}`);
    const batches = inElems / inDepth;
    const outElems = output.t.shape.reduce((a, d) => a * d, 1);
    if (outElems !== batches * outDepth) this.fail(`output holds ${outElems} values, expected ${batches} x ${outDepth}`);
    const weights = this.constant(filterT, TensorType.INT8, 'weights');
    const fq = filterT.quantization;
    if (!fq || fq.scale.length === 0) this.fail(`weights tensor ${filterT.index} is not quantised`);
    const bias = this.bias(2, outDepth);
    let outputMultiplier = 0;
    let outputShift = 0;
    let filterOffset = 0;
    let data;
    if (fq.scale.length === 1) {
      if (this.fp32) {
        outputMultiplier = f32Bits(this.scale(input.scale, fq.scale[0], output.scale));
      } else {
        // GetQuantizedConvolutionMultipler: the float product input_scale * filter_scale, as a double, over the output scale.
        const q = quantizeMultiplier(f32(input.scale * f32(fq.scale[0])) / output.scale);
        outputMultiplier = q.multiplier;
        outputShift = q.shift;
      }
      filterOffset = -(fq.zeroPoint[0] ?? 0);
      if (filterOffset < -127 || filterOffset > 128) this.fail(`weights zero point ${-filterOffset} is outside int8`);
      data = this.channelData(FULLY_CONNECTED_FIELDS, bias, null, null);
    } else {
      const scales = this.filterScales(filterT, outDepth, 0);
      if (this.fp32) {
        const fs = scales.map((s) => this.scale(input.scale, s, output.scale));
        data = this.channelData(FULLY_CONNECTED_FIELDS, bias, fs.map(f32Bits), fs.map(() => 0));
      } else {
        const q = scales.map((s) => quantizeMultiplier((input.scale * f32(s)) / output.scale));
        data = this.channelData(FULLY_CONNECTED_FIELDS, bias, q.map((x) => x.multiplier), q.map((x) => x.shift));
      }
    }
    const [actMin, actMax] = this.actRange(this.activation(o?.activation ?? 0), output);
    const params = packParams(FULLY_CONNECTED_FIELDS, {
      batches, inDepth, outDepth, inputOffset: -input.zeroPoint, filterOffset, outputOffset: output.zeroPoint,
      outputMultiplier, outputShift, actMin, actMax, ...data.offsets, arithmetic: this.arithmetic,
    });
    this.push({ inputs: [input.index], output: output.index, params, relocMask: data.mask, filterBlob: this.addBlob(weights), dataBlob: data.blob, macs: batches * inDepth * outDepth });
  }

  pool(): void {
    const input = this.input(0);
    const output = this.output();
    const [, inH, inW, channels] = this.shape4(input.t, 'input');
    const [, outH, outW, outC] = this.shape4(output.t, 'output');
    if (outC !== channels) this.fail(`${channels} input channels but ${outC} output channels`);
    this.sameQuantisation(input, output);
    const o = this.options('pool2d', true)!;
    const strideH = this.positive(o.strideH, 'stride_h');
    const strideW = this.positive(o.strideW, 'stride_w');
    const filterH = this.positive(o.filterH, 'filter_height');
    const filterW = this.positive(o.filterW, 'filter_width');
    const padding = this.padding(o.padding);
    const expectH = computeOutSize(padding, inH, filterH, strideH);
    const expectW = computeOutSize(padding, inW, filterW, strideW);
    if (expectH !== outH || expectW !== outW) this.fail(`output is ${outH}x${outW}, but ${padding} padding gives ${expectH}x${expectW}`);
    // AVERAGE_POOL_2D stays with TFLite's builtin int8 kernel on desktop (the XNNPACK delegate
    // takes it only in float), whose range is TFLite Micro's; an int8 MAX_POOL_2D goes to XNNPACK.
    const act = this.activation(o.activation);
    const [actMin, actMax] = this.mycoOp === Op.MaxPool2d ? this.actRange(act, output) : activationRange(act, output.scale, output.zeroPoint);
    const params = packParams(POOL_FIELDS, {
      inH, inW, channels, outH, outW, filterH, filterW, strideH, strideW,
      padH: computePadding(strideH, 1, inH, filterH, outH), padW: computePadding(strideW, 1, inW, filterW, outW), actMin, actMax,
    });
    this.push({ inputs: [input.index], output: output.index, params, relocMask: 0, filterBlob: NONE, dataBlob: NONE, macs: outH * outW * channels * filterH * filterW });
  }

  sameQuantisation(a: { scale: number; zeroPoint: number }, b: { scale: number; zeroPoint: number }): void {
    if (a.zeroPoint !== b.zeroPoint || Math.abs(a.scale - b.scale) > 1e-6 * a.scale) {
      this.fail(`input (scale ${a.scale}, zero point ${a.zeroPoint}) and output (scale ${b.scale}, zero point ${b.zeroPoint}) must share quantisation`);
    }
  }

  add(): void {
    this.tflmOnly();
    const a = this.input(0);
    const c = this.input(1);
    const output = this.output();
    const same = (x: number[], y: number[]) => x.length === y.length && x.every((d, i) => d === y[i]);
    if (!same(a.t.shape, c.t.shape) || !same(a.t.shape, output.t.shape)) {
      this.fail(`operands [${a.t.shape}] and [${c.t.shape}] -> [${output.t.shape}]: only element-wise ADD of equal shapes is supported (no broadcasting)`);
    }
    const o = this.options('add', false);
    const [actMin, actMax] = activationRange(this.activation(o?.activation ?? 0), output.scale, output.zeroPoint);
    const s = addScaling(a.scale, c.scale, output.scale);
    const params = packParams(ADD_FIELDS, {
      input1Offset: -a.zeroPoint, input2Offset: -c.zeroPoint, ...s, outputOffset: output.zeroPoint, actMin, actMax,
    });
    const n = output.t.shape.reduce((x, d) => x * d, 1);
    this.push({ inputs: [a.index, c.index], output: output.index, params, relocMask: 0, filterBlob: NONE, dataBlob: NONE, macs: n });
  }

  reshape(): void {
    const input = this.input(0);
    const output = this.output();
    const n = (t: Tensor) => t.shape.reduce((x, d) => x * d, 1);
    if (n(input.t) !== n(output.t)) this.fail(`reshapes ${n(input.t)} values into ${n(output.t)}`);
    this.sameQuantisation(input, output);
    this.push({ inputs: [input.index], output: output.index, params: new Uint8Array(0), relocMask: 0, filterBlob: NONE, dataBlob: NONE, macs: n(output.t) });
  }

  softmax(): void {
    const input = this.input(0);
    const output = this.output();
    const o = this.options('softmax', true)!;
    const shape = input.t.shape;
    const depth = shape[shape.length - 1];
    const n = shape.reduce((x, d) => x * d, 1);
    if (output.t.shape.reduce((x, d) => x * d, 1) !== n) this.fail('input and output differ in size');
    if (depth > 256) this.fail(`softmax over ${depth} values; at most 256 are supported`);
    // TFLite Micro's int8 softmax: output scale 1/256, zero point -128.
    if (output.zeroPoint !== -128 || Math.abs(output.scale - 1 / 256) > 0.001 / 256) {
      this.fail(`output quantisation (scale ${output.scale}, zero point ${output.zeroPoint}) must be 1/256 and -128`);
    }
    if (!(o.beta > 0) || !Number.isFinite(o.beta)) this.fail(`beta ${o.beta}`);
    const s = softmaxScaling(o.beta, input.scale);
    if (!this.fp32) {
      const params = packParams(SOFTMAX_FIELDS, { rows: n / depth, depth, ...s });
      this.push({ inputs: [input.index], output: output.index, params, relocMask: 0, filterBlob: NONE, dataBlob: NONE, macs: n });
      return;
    }
    // Desktop TFLite: the float lookup table of PopulateSoftmaxLookupTable, in the data blob.
    const table = softmaxTable(input.scale, o.beta);
    this.b.blobs.push(new Uint8Array(table.buffer.slice(0)));
    const params = packParams(SOFTMAX_FIELDS, {
      rows: n / depth, depth, ...s, arithmetic: ARITHMETIC_TFLITE, outputScale: f32Bits(output.scale), table: 0,
    });
    this.push({
      inputs: [input.index], output: output.index, params, relocMask: 1 << SOFTMAX_FIELDS.indexOf('table'),
      filterBlob: NONE, dataBlob: this.b.blobs.length - 1, macs: n,
    });
  }

  relu(): void {
    this.tflmOnly();
    const input = this.input(0);
    const output = this.output();
    const n = input.t.shape.reduce((x, d) => x * d, 1);
    if (output.t.shape.reduce((x, d) => x * d, 1) !== n) this.fail('input and output differ in size');
    let params: Uint8Array;
    if (this.mycoOp === Op.Relu) {
      params = packParams(RELU_FIELDS, reluScaling(input.scale, input.zeroPoint, output.scale, output.zeroPoint));
    } else {
      this.sameQuantisation(input, output);
      const [lo, hi] = relu6Bounds(input.scale, input.zeroPoint);
      params = packParams(RELU6_FIELDS, { lo, hi });
    }
    this.push({ inputs: [input.index], output: output.index, params, relocMask: 0, filterBlob: NONE, dataBlob: NONE, macs: n });
  }
}

/**
 * Assigns each activation tensor a buffer: a layer's output goes into a buffer holding no
 * tensor still needed at that layer (its own inputs included), so a chain alternates
 * between two buffers. Buffers grow to their largest tensor.
 */
export function planSlots(model: MycoModel): void {
  const lastUse = new Map<number, number>();
  model.layers.forEach((l, i) => l.inputs.forEach((t) => lastUse.set(t, i)));
  lastUse.set(model.output, Infinity);
  const holder: number[] = []; // slot -> tensor currently in it
  const size = (t: number) => model.tensors[t].shape.reduce((a, d) => a * d, 1);
  const place = (t: number, i: number) => {
    let slot = holder.findIndex((h) => (lastUse.get(h) ?? -1) < i);
    if (slot < 0) slot = holder.length;
    holder[slot] = t;
    model.tensors[t].slot = slot;
    model.slots[slot] = Math.max(model.slots[slot] ?? 0, size(t));
  };
  model.slots = [];
  place(model.input, -1);
  model.layers.forEach((l, i) => place(l.output, i));
}

export { OPS };
