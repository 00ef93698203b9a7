// The Myco model file (.myco): what `myco model import` writes and nodes run. Byte layout in
// docs/model.md. Little-endian, versioned, CRC-32 over the whole file; every count, offset
// and length is checked on decode, and every layer's parameter record is checked against its
// tensors and blobs (checkLayer), so a decoded model can be run without out-of-bounds access.

import { ModelError } from './errors.ts';
import {
  ADD_FIELDS, CONV_FIELDS, FULLY_CONNECTED_FIELDS, POOL_FIELDS, RELU_FIELDS, SOFTMAX_FIELDS,
} from '../infer/params.ts';

export const MAGIC = 'MYCO';
export const FORMAT_VERSION = 2;
export const HEADER_BYTES = 36;
export const TENSOR_BYTES = 32;
export const LAYER_HEADER_BYTES = 24;
export const BLOB_ENTRY_BYTES = 8;
/** "None" for a u16 tensor or blob reference. */
export const NONE = 0xffff;
/** Blob data starts (and each blob starts) on this boundary. */
export const BLOB_ALIGN = 16;
export const TYPE_INT8 = 1;

/**
 * Whose int8 arithmetic a model reproduces (header byte 32, docs/model.md): TensorFlow Lite
 * Micro's fixed-point reference kernels, or desktop TensorFlow Lite / LiteRT with XNNPACK.
 */
export type Arithmetic = 'tflm' | 'tflite';
export const ARITHMETIC_CODES: Record<Arithmetic, number> = { tflm: 0, tflite: 1 };

/** RELU6 has no record in firmware/src/infer/params.ts: its two bounds are the whole record. */
export const RELU6_FIELDS = ['lo', 'hi'] as const;

/** Layer operations; the numbers are firmware/src/infer/layer.ts's LayerOp. */
export const enum Op {
  Conv2d = 1, DepthwiseConv2d = 2, FullyConnected = 3, AveragePool2d = 4, MaxPool2d = 5,
  Add = 6, Reshape = 7, Softmax = 8, Relu = 9, Relu6 = 10,
}

export interface OpInfo {
  name: string;
  fields: readonly string[];
  inputs: 1 | 2;
  /** Has a weight (filter) blob. */
  filter: boolean;
  /** Record fields that may be addresses into the layer's data blob. */
  addresses: readonly string[];
}

export const OPS: Record<number, OpInfo> = {
  [Op.Conv2d]: { name: 'CONV_2D', fields: CONV_FIELDS, inputs: 1, filter: true, addresses: ['bias', 'multipliers', 'shifts'] },
  [Op.DepthwiseConv2d]: { name: 'DEPTHWISE_CONV_2D', fields: CONV_FIELDS, inputs: 1, filter: true, addresses: ['bias', 'multipliers', 'shifts'] },
  [Op.FullyConnected]: { name: 'FULLY_CONNECTED', fields: FULLY_CONNECTED_FIELDS, inputs: 1, filter: true, addresses: ['bias', 'multipliers', 'shifts'] },
  [Op.AveragePool2d]: { name: 'AVERAGE_POOL_2D', fields: POOL_FIELDS, inputs: 1, filter: false, addresses: [] },
  [Op.MaxPool2d]: { name: 'MAX_POOL_2D', fields: POOL_FIELDS, inputs: 1, filter: false, addresses: [] },
  [Op.Add]: { name: 'ADD', fields: ADD_FIELDS, inputs: 2, filter: false, addresses: [] },
  [Op.Reshape]: { name: 'RESHAPE', fields: [], inputs: 1, filter: false, addresses: [] },
  [Op.Softmax]: { name: 'SOFTMAX', fields: SOFTMAX_FIELDS, inputs: 1, filter: false, addresses: ['table'] },
  [Op.Relu]: { name: 'RELU', fields: RELU_FIELDS, inputs: 1, filter: false, addresses: [] },
  [Op.Relu6]: { name: 'RELU6', fields: RELU6_FIELDS, inputs: 1, filter: false, addresses: [] },
};

export interface MycoTensor {
  /** 1 to 4 dimensions, each at least 1. */
  shape: number[];
  scale: number;
  zeroPoint: number;
  /** Activation buffer the tensor lives in while it is needed. */
  slot: number;
}

export interface MycoLayer {
  op: Op;
  /** Index of the operator in the source .tflite (for messages). */
  source: number;
  /** Activation tensor indices: one, or two for ADD. */
  inputs: number[];
  output: number;
  /** The kernel's parameter record, 4-byte little-endian fields (tools/infer/params.ts). */
  params: Uint8Array;
  /** Bit i set: field i holds a byte offset into the data blob, to which a node adds the blob's address. */
  relocMask: number;
  /** Weights blob (NONE for ops without weights). */
  filterBlob: number;
  /** Blob of int32 arrays the record points into (bias, multipliers, shifts), or NONE. */
  dataBlob: number;
  /** Multiply-accumulates (conv, FC), or values touched (the rest), nominal. */
  macs: number;
}

export interface MycoModel {
  tensors: MycoTensor[];
  layers: MycoLayer[];
  blobs: Uint8Array[];
  /** Byte size of each activation buffer. */
  slots: number[];
  input: number;
  output: number;
  /** The arithmetic every requantising layer's record selects ('tflm' when absent). */
  arithmetic?: Arithmetic;
}

export const tensorBytes = (t: MycoTensor): number => t.shape.reduce((a, b) => a * b, 1);

/** The record as named numbers. */
export function recordOf(layer: MycoLayer): Record<string, number> {
  const info = OPS[layer.op];
  const view = new DataView(layer.params.buffer, layer.params.byteOffset, layer.params.byteLength);
  return Object.fromEntries(info.fields.map((name, i) => [name, view.getInt32(i * 4, true)]));
}

// ---------------------------------------------------------------------------------------
// CRC-32 (IEEE 802.3, as zlib)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC of a file with its own CRC field (bytes 12..15) counted as zero. */
function fileCrc(bytes: Uint8Array): number {
  let c = crc32(bytes.subarray(0, 12));
  c = crc32(new Uint8Array(4), c);
  return crc32(bytes.subarray(16), c);
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

// ---------------------------------------------------------------------------------------
// Semantic checks shared by the importer and the decoder

/** Throws unless `layer`'s record, tensors and blobs agree (what a node relies on). */
export function checkLayer(model: MycoModel, index: number, where: string): void {
  const layer = model.layers[index];
  const fail = (what: string): never => {
    throw new ModelError(`${where}: layer ${index} (${OPS[layer.op]?.name ?? `op ${layer.op}`}): ${what}`);
  };
  const info = OPS[layer.op];
  if (!info) fail(`unknown operation ${layer.op}`);
  if (layer.inputs.length !== info.inputs) fail(`has ${layer.inputs.length} inputs, expected ${info.inputs}`);
  for (const t of [...layer.inputs, layer.output]) {
    if (!Number.isInteger(t) || t < 0 || t >= model.tensors.length) fail(`tensor ${t} does not exist`);
  }
  if (layer.inputs.includes(layer.output)) fail('writes its own input');
  if (layer.params.length !== info.fields.length * 4) fail(`parameter record is ${layer.params.length} bytes, expected ${info.fields.length * 4}`);
  const blob = (id: number, what: string, wanted: boolean): Uint8Array | null => {
    if (id === NONE) {
      if (wanted) fail(`has no ${what} blob`);
      return null;
    }
    if (!wanted) fail(`has a ${what} blob it does not use`);
    if (!Number.isInteger(id) || id < 0 || id >= model.blobs.length) fail(`${what} blob ${id} does not exist`);
    return model.blobs[id];
  };
  const filter = blob(layer.filterBlob, 'weights', info.filter);
  const data = blob(layer.dataBlob, 'data', info.addresses.length > 0 && layer.relocMask !== 0);

  const p = recordOf(layer);
  // Address fields: relocated ones must hold an int32 (or float32) array inside the data blob; others must be 0.
  const arrayLength = layer.op === Op.FullyConnected ? p.outDepth : layer.op === Op.Softmax ? 256 : p.outC;
  if (info.fields.includes('arithmetic')) {
    const want = ARITHMETIC_CODES[model.arithmetic ?? 'tflm'];
    if (p.arithmetic !== want) fail(`arithmetic field is ${p.arithmetic}; the model's arithmetic is ${model.arithmetic ?? 'tflm'} (${want})`);
  }
  info.fields.forEach((name, i) => {
    const relocated = (layer.relocMask >>> i) & 1;
    if (!info.addresses.includes(name)) {
      if (relocated) fail(`field ${name} cannot be an address`);
      return;
    }
    if (!relocated) {
      if (p[name] !== 0) fail(`field ${name} is ${p[name]} but not an offset into the data blob`);
      return;
    }
    if (p[name] < 0 || p[name] % 4 || !data || p[name] + arrayLength * 4 > data.length) {
      fail(`field ${name}: ${arrayLength} int32 values at offset ${p[name]} are not inside the ${data?.length ?? 0}-byte data blob`);
    }
  });
  if (layer.relocMask >>> info.fields.length) fail(`relocation mask 0x${layer.relocMask.toString(16)} names fields beyond the record`);

  const bytes = (t: number) => tensorBytes(model.tensors[t]);
  const inBytes = bytes(layer.inputs[0]);
  const outBytes = bytes(layer.output);
  const expect = (ok: boolean, what: string) => { if (!ok) fail(what); };
  const positive = (...names: string[]) => names.forEach((n) => expect(Number.isInteger(p[n]) && p[n] >= 1 && p[n] <= 1 << 24, `${n} is ${p[n]}, expected at least 1`));
  const int8Range = (lo: number, hi: number) => expect(lo >= -128 && lo <= hi && hi <= 127, `activation range [${lo}, ${hi}] is not inside int8`);

  switch (layer.op) {
    case Op.Conv2d:
    case Op.DepthwiseConv2d: {
      positive('inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'filterH', 'filterW', 'filterC', 'depthMultiplier', 'strideH', 'strideW', 'dilationH', 'dilationW');
      expect(inBytes === p.inH * p.inW * p.inC, `input tensor holds ${inBytes} bytes, the record ${p.inH}x${p.inW}x${p.inC}`);
      expect(outBytes === p.outH * p.outW * p.outC, `output tensor holds ${outBytes} bytes, the record ${p.outH}x${p.outW}x${p.outC}`);
      expect(p.padH >= 0 && p.padW >= 0, 'negative padding');
      if (layer.op === Op.Conv2d) {
        expect(p.inC % p.filterC === 0 && p.outC % (p.inC / p.filterC) === 0, `channels ${p.inC} -> ${p.outC} do not split into groups of ${p.filterC}`);
        expect(filter!.length === p.outC * p.filterH * p.filterW * p.filterC, `weights blob is ${filter!.length} bytes, expected ${p.outC}x${p.filterH}x${p.filterW}x${p.filterC}`);
      } else {
        expect(p.outC === p.inC * p.depthMultiplier, `output channels ${p.outC} != ${p.inC} x depth multiplier ${p.depthMultiplier}`);
        expect(filter!.length === p.filterH * p.filterW * p.outC, `weights blob is ${filter!.length} bytes, expected ${p.filterH}x${p.filterW}x${p.outC}`);
      }
      expect(((layer.relocMask >>> info.fields.indexOf('multipliers')) & 1) === 1 && ((layer.relocMask >>> info.fields.indexOf('shifts')) & 1) === 1, 'per-channel multipliers and shifts missing');
      int8Range(p.actMin, p.actMax);
      break;
    }
    case Op.FullyConnected: {
      positive('batches', 'inDepth', 'outDepth');
      expect(inBytes === p.batches * p.inDepth, `input tensor holds ${inBytes} bytes, the record ${p.batches}x${p.inDepth}`);
      expect(outBytes === p.batches * p.outDepth, `output tensor holds ${outBytes} bytes, the record ${p.batches}x${p.outDepth}`);
      expect(filter!.length === p.outDepth * p.inDepth, `weights blob is ${filter!.length} bytes, expected ${p.outDepth}x${p.inDepth}`);
      const m = (layer.relocMask >>> info.fields.indexOf('multipliers')) & 1;
      const s = (layer.relocMask >>> info.fields.indexOf('shifts')) & 1;
      expect(m === s, 'multipliers and shifts must both be per-channel or both absent');
      int8Range(p.actMin, p.actMax);
      break;
    }
    case Op.AveragePool2d:
    case Op.MaxPool2d:
      positive('inH', 'inW', 'channels', 'outH', 'outW', 'filterH', 'filterW', 'strideH', 'strideW');
      expect(inBytes === p.inH * p.inW * p.channels, `input tensor holds ${inBytes} bytes, the record ${p.inH}x${p.inW}x${p.channels}`);
      expect(outBytes === p.outH * p.outW * p.channels, `output tensor holds ${outBytes} bytes, the record ${p.outH}x${p.outW}x${p.channels}`);
      expect(p.padH >= 0 && p.padW >= 0, 'negative padding');
      int8Range(p.actMin, p.actMax);
      break;
    case Op.Add:
      expect(bytes(layer.inputs[1]) === inBytes && outBytes === inBytes, 'ADD operands and output differ in size');
      expect(p.leftShift >= 0 && p.leftShift <= 24, `left shift ${p.leftShift}`);
      int8Range(p.actMin, p.actMax);
      break;
    case Op.Reshape:
    case Op.Relu:
      expect(inBytes === outBytes, `input holds ${inBytes} bytes, output ${outBytes}`);
      if (layer.op === Op.Relu) int8Range(p.actMin, p.actMax);
      break;
    case Op.Relu6:
      expect(inBytes === outBytes, `input holds ${inBytes} bytes, output ${outBytes}`);
      int8Range(p.lo, p.hi);
      break;
    case Op.Softmax:
      positive('rows', 'depth');
      expect(p.depth <= 256, `softmax over ${p.depth} values (at most 256)`);
      expect(inBytes === p.rows * p.depth && outBytes === inBytes, `tensors hold ${inBytes} and ${outBytes} bytes, the record ${p.rows}x${p.depth}`);
      expect(p.inputLeftShift >= 0 && p.inputLeftShift <= 31 && p.diffMin <= 0, 'softmax scaling out of range');
      if (p.arithmetic === ARITHMETIC_CODES.tflite) {
        expect(((layer.relocMask >>> info.fields.indexOf('table')) & 1) === 1, 'the float softmax has no lookup table');
        const scale = new DataView(layer.params.buffer, layer.params.byteOffset).getFloat32(info.fields.indexOf('outputScale') * 4, true);
        expect(scale > 0 && Number.isFinite(scale), `output scale ${scale}`);
      }
      break;
  }
}

/** Checks the whole model: tensors, slots, blobs and every layer. */
export function checkModel(model: MycoModel, where: string): void {
  const fail = (what: string): never => { throw new ModelError(`${where}: ${what}`); };
  if (model.tensors.length === 0 || model.tensors.length >= NONE) fail(`${model.tensors.length} tensors`);
  if (model.layers.length === 0 || model.layers.length >= NONE) fail(`${model.layers.length} layers`);
  if (model.blobs.length >= NONE) fail(`${model.blobs.length} blobs`);
  if (model.slots.length === 0 || model.slots.length > 255) fail(`${model.slots.length} activation buffers`);
  model.tensors.forEach((t, i) => {
    if (t.shape.length < 1 || t.shape.length > 4 || t.shape.some((d) => !Number.isInteger(d) || d < 1 || d > 1 << 24)) fail(`tensor ${i} has shape [${t.shape}]`);
    if (tensorBytes(t) > 2 ** 31) fail(`tensor ${i} is too large`);
    if (!Number.isInteger(t.slot) || t.slot < 0 || t.slot >= model.slots.length) fail(`tensor ${i} is in activation buffer ${t.slot}, which does not exist`);
    if (tensorBytes(t) > model.slots[t.slot]) fail(`tensor ${i} (${tensorBytes(t)} bytes) does not fit activation buffer ${t.slot} (${model.slots[t.slot]} bytes)`);
    if (!Number.isInteger(t.zeroPoint) || t.zeroPoint < -128 || t.zeroPoint > 127 || !(t.scale > 0)) fail(`tensor ${i} has scale ${t.scale}, zero point ${t.zeroPoint}`);
  });
  for (const [name, t] of [['input', model.input], ['output', model.output]] as const) {
    if (!Number.isInteger(t) || t < 0 || t >= model.tensors.length) fail(`${name} tensor ${t} does not exist`);
  }
  // Tensors are produced once, in order, and read only after they are produced; two live tensors never share a buffer.
  const producer = new Map<number, number>();
  model.layers.forEach((layer, i) => {
    checkLayer(model, i, where);
    for (const t of layer.inputs) {
      if (t !== model.input && !(producer.get(t)! < i)) fail(`layer ${i} reads tensor ${t} before any layer writes it`);
    }
    if (layer.output === model.input || producer.has(layer.output)) fail(`layer ${i} writes tensor ${layer.output}, which is already written`);
    producer.set(layer.output, i);
  });
  if (model.output !== model.input && !producer.has(model.output)) fail(`no layer writes the output tensor ${model.output}`);
  const lastUse = new Map<number, number>();
  model.layers.forEach((layer, i) => layer.inputs.forEach((t) => lastUse.set(t, i)));
  lastUse.set(model.output, Infinity);
  const created = (t: number) => (t === model.input ? -1 : producer.get(t) ?? Infinity);
  const live = (t: number, i: number) => created(t) <= i && (lastUse.get(t) ?? created(t)) >= i;
  model.layers.forEach((layer, i) => {
    model.tensors.forEach((t, k) => {
      if (k !== layer.output && t.slot === model.tensors[layer.output].slot && live(k, i)) {
        fail(`layer ${i} writes activation buffer ${t.slot} while tensor ${k} in it is still needed`);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------
// Encode

export function encodeModel(model: MycoModel): Uint8Array {
  checkModel(model, 'encodeModel');
  const tableBytes = HEADER_BYTES + model.tensors.length * TENSOR_BYTES + model.slots.length * 4
    + model.blobs.length * BLOB_ENTRY_BYTES
    + model.layers.reduce((n, l) => n + LAYER_HEADER_BYTES + l.params.length, 0);
  const dataOffset = align(tableBytes, BLOB_ALIGN);
  const blobOffsets: number[] = [];
  let dataBytes = 0;
  for (const b of model.blobs) {
    blobOffsets.push(dataBytes);
    dataBytes = align(dataBytes + b.length, BLOB_ALIGN);
  }
  const total = dataOffset + dataBytes;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  v.setUint16(4, FORMAT_VERSION, true);
  v.setUint16(6, HEADER_BYTES, true);
  v.setUint32(8, total, true);
  v.setUint16(16, model.tensors.length, true);
  v.setUint16(18, model.layers.length, true);
  v.setUint16(20, model.blobs.length, true);
  v.setUint16(22, model.slots.length, true);
  v.setUint16(24, model.input, true);
  v.setUint16(26, model.output, true);
  v.setUint32(28, dataOffset, true);
  v.setUint8(32, ARITHMETIC_CODES[model.arithmetic ?? 'tflm']);
  let at = HEADER_BYTES;
  for (const t of model.tensors) {
    v.setUint8(at, TYPE_INT8);
    v.setUint8(at + 1, t.shape.length);
    v.setUint8(at + 2, t.slot);
    v.setInt32(at + 4, t.zeroPoint, true);
    v.setFloat32(at + 8, t.scale, true);
    v.setUint32(at + 12, tensorBytes(t), true);
    for (let d = 0; d < 4; d++) v.setUint32(at + 16 + 4 * d, t.shape[d] ?? 1, true);
    at += TENSOR_BYTES;
  }
  for (const s of model.slots) { v.setUint32(at, s, true); at += 4; }
  model.blobs.forEach((b, i) => {
    v.setUint32(at, blobOffsets[i], true);
    v.setUint32(at + 4, b.length, true);
    at += BLOB_ENTRY_BYTES;
    out.set(b, dataOffset + blobOffsets[i]);
  });
  for (const l of model.layers) {
    v.setUint8(at, l.op);
    v.setUint8(at + 1, l.inputs.length);
    v.setUint16(at + 2, l.source, true);
    v.setUint16(at + 4, l.inputs[0], true);
    v.setUint16(at + 6, l.inputs[1] ?? NONE, true);
    v.setUint16(at + 8, l.output, true);
    v.setUint16(at + 10, l.params.length, true);
    v.setUint16(at + 12, l.filterBlob, true);
    v.setUint16(at + 14, l.dataBlob, true);
    v.setUint32(at + 16, l.relocMask, true);
    v.setUint32(at + 20, Math.min(l.macs, 0xffffffff), true);
    out.set(l.params, at + LAYER_HEADER_BYTES);
    at += LAYER_HEADER_BYTES + l.params.length;
  }
  v.setUint32(12, fileCrc(out), true);
  return out;
}

// ---------------------------------------------------------------------------------------
// Decode

/** Version 1 records lack the trailing fields added since (arithmetic, softmax table): zeros. */
function v1Record(op: Op, record: Uint8Array): Uint8Array {
  const want = (OPS[op]?.fields.length ?? 0) * 4;
  if (record.length >= want) return record.slice();
  const out = new Uint8Array(want);
  out.set(record);
  return out;
}

export function decodeModel(bytes: Uint8Array, file = 'model.myco'): MycoModel {
  const fail = (what: string, at?: number): never => {
    throw new ModelError(`${file}: ${what}${at === undefined ? '' : ` (at byte ${at})`}`);
  };
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length >= 4 && magic !== MAGIC) fail(`not a Myco model: starts with "${magic.replace(/[^\x20-\x7e]/g, '?')}", expected "${MAGIC}"`, 0);
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for a Myco model (header ${HEADER_BYTES} bytes); the file is truncated or not a model`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint16(4, true);
  // Version 1 is version 2 without the arithmetic byte (a 32-byte header, TFLite Micro arithmetic).
  if (version !== FORMAT_VERSION && version !== 1) fail(`format version ${version}; this Myco reads versions 1 and ${FORMAT_VERSION}`, 4);
  const headerBytes = version === 1 ? 32 : HEADER_BYTES;
  if (v.getUint16(6, true) !== headerBytes) fail(`header size ${v.getUint16(6, true)}, expected ${headerBytes}`, 6);
  if (bytes.length < headerBytes) fail(`${bytes.length} bytes is too short for a Myco model (header ${headerBytes} bytes); the file is truncated`);
  const total = v.getUint32(8, true);
  if (total !== bytes.length) fail(`the header gives ${total} bytes but the file has ${bytes.length}: ${bytes.length < total ? 'truncated' : 'trailing bytes'}`, 8);
  const crc = v.getUint32(12, true);
  const actual = fileCrc(bytes);
  if (crc !== actual) fail(`checksum mismatch (stored 0x${crc.toString(16).padStart(8, '0')}, computed 0x${actual.toString(16).padStart(8, '0')}): the file is corrupt`, 12);

  const tensorCount = v.getUint16(16, true);
  const layerCount = v.getUint16(18, true);
  const blobCount = v.getUint16(20, true);
  const slotCount = v.getUint16(22, true);
  const input = v.getUint16(24, true);
  const output = v.getUint16(26, true);
  const dataOffset = v.getUint32(28, true);
  if (dataOffset > total || dataOffset % BLOB_ALIGN) fail(`blob data offset ${dataOffset} is invalid`, 28);
  const arithmeticCode = version === 1 ? 0 : v.getUint8(32);
  const arithmetic = (Object.keys(ARITHMETIC_CODES) as Arithmetic[]).find((k) => ARITHMETIC_CODES[k] === arithmeticCode);
  if (arithmetic === undefined) fail(`arithmetic ${arithmeticCode} is unknown (0 tflm, 1 tflite)`, 32);
  if (version !== 1 && (v.getUint8(33) !== 0 || v.getUint16(34, true) !== 0)) fail('reserved header bytes 33..35 are not zero', 33);
  let at = headerBytes;
  const need = (n: number, what: string) => { if (at + n > dataOffset) fail(`${what} runs past the tables into the blob data`, at); };

  need(tensorCount * TENSOR_BYTES, 'tensor table');
  const tensors: MycoTensor[] = [];
  for (let i = 0; i < tensorCount; i++, at += TENSOR_BYTES) {
    if (v.getUint8(at) !== TYPE_INT8) fail(`tensor ${i} has type ${v.getUint8(at)}; only int8 (${TYPE_INT8}) exists`, at);
    const rank = v.getUint8(at + 1);
    if (rank < 1 || rank > 4) fail(`tensor ${i} has rank ${rank}`, at + 1);
    const shape = Array.from({ length: rank }, (_, d) => v.getUint32(at + 16 + 4 * d, true));
    const t: MycoTensor = { shape, slot: v.getUint8(at + 2), zeroPoint: v.getInt32(at + 4, true), scale: v.getFloat32(at + 8, true) };
    if (shape.some((d) => d < 1 || d > 1 << 24)) fail(`tensor ${i} has shape [${shape}]`, at + 16);
    if (v.getUint32(at + 12, true) !== tensorBytes(t)) fail(`tensor ${i}: byte size ${v.getUint32(at + 12, true)} does not match shape [${shape}]`, at + 12);
    tensors.push(t);
  }
  need(slotCount * 4, 'activation buffer table');
  const slots: number[] = [];
  for (let i = 0; i < slotCount; i++, at += 4) slots.push(v.getUint32(at, true));
  need(blobCount * BLOB_ENTRY_BYTES, 'blob table');
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < blobCount; i++, at += BLOB_ENTRY_BYTES) {
    const off = v.getUint32(at, true);
    const len = v.getUint32(at + 4, true);
    if (off % BLOB_ALIGN || dataOffset + off + len > total) fail(`blob ${i}: ${len} bytes at data offset ${off} lie outside the file`, at);
    blobs.push(bytes.subarray(dataOffset + off, dataOffset + off + len));
  }
  const layers: MycoLayer[] = [];
  for (let i = 0; i < layerCount; i++) {
    need(LAYER_HEADER_BYTES, `layer ${i}`);
    const op = v.getUint8(at) as Op;
    if (!OPS[op]) fail(`layer ${i} has unknown operation ${op}`, at);
    const inputCount = v.getUint8(at + 1);
    if (inputCount !== 1 && inputCount !== 2) fail(`layer ${i} has ${inputCount} inputs`, at + 1);
    const paramBytes = v.getUint16(at + 10, true);
    const start = at;
    at += LAYER_HEADER_BYTES;
    need(paramBytes, `layer ${i} parameters`);
    layers.push({
      op,
      source: v.getUint16(start + 2, true),
      inputs: inputCount === 2 ? [v.getUint16(start + 4, true), v.getUint16(start + 6, true)] : [v.getUint16(start + 4, true)],
      output: v.getUint16(start + 8, true),
      params: version === 1 ? v1Record(op, bytes.subarray(at, at + paramBytes)) : bytes.slice(at, at + paramBytes),
      filterBlob: v.getUint16(start + 12, true),
      dataBlob: v.getUint16(start + 14, true),
      relocMask: v.getUint32(start + 16, true),
      macs: v.getUint32(start + 20, true),
    });
    at += paramBytes;
  }
  if (align(at, BLOB_ALIGN) !== dataOffset) fail(`tables end at byte ${at} but blob data starts at ${dataOffset}`, 28);
  const model: MycoModel = { tensors, layers, blobs, slots, input, output, arithmetic };
  checkModel(model, file);
  return model;
}
