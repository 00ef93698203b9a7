// A checked reader of TensorFlow Lite model files (.tflite): the FlatBuffers tables of
// tensorflow/lite/schema/schema.fbs that an int8 importer needs, read through the `flatbuffers`
// package's ByteBuffer with the schema's field slots written out by hand.
//
// Every offset, vtable entry and vector length is checked against the file before it is
// followed, so a corrupt or truncated file gives a ModelError naming the file, what was
// being read and the byte position, never a RangeError or a silently wrong value.
//
// FlatBuffers in brief: the file starts with a u32 offset to the root table; a table starts
// with an i32 back-offset to its vtable; a vtable is u16 vtable bytes, u16 table bytes, then
// one u16 per field (0 = absent, else the field's offset inside the table); field slot n sits
// at vtable byte 4 + 2n. Reference fields (tables, vectors, strings) hold a u32 offset
// relative to their own position; a vector is a u32 count followed by its elements.

import { ByteBuffer } from 'flatbuffers';
import { ModelError } from './errors.ts';

/** BuiltinOperator values (schema.fbs), for names in messages. */
export const BUILTIN_OPERATORS: readonly string[] = [
  'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEPTH_TO_SPACE', 'DEQUANTIZE',
  'EMBEDDING_LOOKUP', 'FLOOR', 'FULLY_CONNECTED', 'HASHTABLE_LOOKUP', 'L2_NORMALIZATION', 'L2_POOL_2D',
  'LOCAL_RESPONSE_NORMALIZATION', 'LOGISTIC', 'LSH_PROJECTION', 'LSTM', 'MAX_POOL_2D', 'MUL', 'RELU',
  'RELU_N1_TO_1', 'RELU6', 'RESHAPE', 'RESIZE_BILINEAR', 'RNN', 'SOFTMAX', 'SPACE_TO_DEPTH', 'SVDF', 'TANH',
  'CONCAT_EMBEDDINGS', 'SKIP_GRAM', 'CALL', 'CUSTOM', 'EMBEDDING_LOOKUP_SPARSE', 'PAD',
  'UNIDIRECTIONAL_SEQUENCE_RNN', 'GATHER', 'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'TRANSPOSE', 'MEAN',
  'SUB', 'DIV', 'SQUEEZE', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'BIDIRECTIONAL_SEQUENCE_RNN',
  'EXP', 'TOPK_V2', 'SPLIT', 'LOG_SOFTMAX', 'DELEGATE', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'CAST', 'PRELU',
  'MAXIMUM', 'ARG_MAX', 'MINIMUM', 'LESS', 'NEG', 'PADV2', 'GREATER', 'GREATER_EQUAL', 'LESS_EQUAL',
  'SELECT', 'SLICE', 'SIN', 'TRANSPOSE_CONV', 'SPARSE_TO_DENSE', 'TILE', 'EXPAND_DIMS', 'EQUAL',
  'NOT_EQUAL', 'LOG', 'SUM', 'SQRT', 'RSQRT', 'SHAPE', 'POW', 'ARG_MIN', 'FAKE_QUANT', 'REDUCE_PROD',
  'REDUCE_MAX', 'PACK', 'LOGICAL_OR', 'ONE_HOT', 'LOGICAL_AND', 'LOGICAL_NOT', 'UNPACK', 'REDUCE_MIN',
  'FLOOR_DIV', 'REDUCE_ANY', 'SQUARE', 'ZEROS_LIKE', 'FILL', 'FLOOR_MOD', 'RANGE',
  'RESIZE_NEAREST_NEIGHBOR', 'LEAKY_RELU', 'SQUARED_DIFFERENCE', 'MIRROR_PAD', 'ABS', 'SPLIT_V',
  'UNIQUE', 'CEIL', 'REVERSE_V2', 'ADD_N', 'GATHER_ND', 'COS', 'WHERE', 'RANK', 'ELU', 'REVERSE_SEQUENCE',
  'MATRIX_DIAG', 'QUANTIZE', 'MATRIX_SET_DIAG', 'ROUND', 'HARD_SWISH', 'IF', 'WHILE',
  'NON_MAX_SUPPRESSION_V4', 'NON_MAX_SUPPRESSION_V5', 'SCATTER_ND', 'SELECT_V2', 'DENSIFY', 'SEGMENT_SUM',
  'BATCH_MATMUL', 'PLACEHOLDER_FOR_GREATER_OP_CODES',
];

export const enum Builtin {
  ADD = 0, AVERAGE_POOL_2D = 1, CONV_2D = 3, DEPTHWISE_CONV_2D = 4, FULLY_CONNECTED = 9,
  MAX_POOL_2D = 17, RELU = 19, RELU6 = 21, RESHAPE = 22, SOFTMAX = 25, CUSTOM = 32,
  PLACEHOLDER_FOR_GREATER_OP_CODES = 127,
}

export function builtinName(code: number): string {
  return BUILTIN_OPERATORS[code] ?? `builtin ${code}`;
}

/** TensorType values (schema.fbs). */
export const TENSOR_TYPES: readonly string[] = [
  'FLOAT32', 'FLOAT16', 'INT32', 'UINT8', 'INT64', 'STRING', 'BOOL', 'INT16', 'COMPLEX64', 'INT8',
  'FLOAT64', 'COMPLEX128', 'UINT64', 'RESOURCE', 'VARIANT', 'UINT32', 'UINT16', 'INT4',
];
export const enum TensorType { FLOAT32 = 0, INT32 = 2, UINT8 = 3, INT64 = 4, INT16 = 7, INT8 = 9 }

export function tensorTypeName(type: number): string {
  return TENSOR_TYPES[type] ?? `type ${type}`;
}

/** BuiltinOptions union members read here (schema.fbs). */
export const enum OptionsType {
  NONE = 0, Conv2D = 1, DepthwiseConv2D = 2, Pool2D = 5, FullyConnected = 8, Softmax = 9, Add = 11, Reshape = 17,
}

export const ACTIVATIONS = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'] as const;
export const PADDINGS = ['SAME', 'VALID'] as const;

export interface Conv2DOptions { kind: 'conv2d'; padding: number; strideW: number; strideH: number; activation: number; dilationW: number; dilationH: number }
export interface DepthwiseConv2DOptions { kind: 'depthwise'; padding: number; strideW: number; strideH: number; depthMultiplier: number; activation: number; dilationW: number; dilationH: number }
export interface Pool2DOptions { kind: 'pool2d'; padding: number; strideW: number; strideH: number; filterW: number; filterH: number; activation: number }
export interface FullyConnectedOptions { kind: 'fullyConnected'; activation: number; weightsFormat: number; keepNumDims: boolean }
export interface SoftmaxOptions { kind: 'softmax'; beta: number }
export interface AddOptions { kind: 'add'; activation: number }
export interface ReshapeOptions { kind: 'reshape'; newShape: number[] }
export type BuiltinOptions = Conv2DOptions | DepthwiseConv2DOptions | Pool2DOptions | FullyConnectedOptions | SoftmaxOptions | AddOptions | ReshapeOptions;

export interface Quantization {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface Tensor {
  index: number;
  name: string;
  type: number;
  shape: number[];
  buffer: number;
  quantization: Quantization | null;
  sparse: boolean;
}

export interface Operator {
  index: number;
  opcodeIndex: number;
  inputs: number[];
  outputs: number[];
  optionsType: number;
  options: BuiltinOptions | null;
}

export interface OperatorCode {
  /** max(deprecated_builtin_code, builtin_code), as TFLite's GetBuiltinCode. */
  builtinCode: number;
  customCode: string;
  version: number;
}

export interface SubGraph {
  tensors: Tensor[];
  inputs: number[];
  outputs: number[];
  operators: Operator[];
  name: string;
}

export interface TfliteModel {
  file: string;
  version: number;
  description: string;
  operatorCodes: OperatorCode[];
  subgraphs: SubGraph[];
  /** Buffer contents (empty for none); buffer 0 is the schema's empty sentinel. */
  buffers: Uint8Array[];
}

/** Upper bound on any count, so a corrupt length cannot make a loop run for ever. */
const MAX_DIM = 1 << 24;

/** Checked FlatBuffers access over one file. */
class Reader {
  readonly bb: ByteBuffer;
  readonly size: number;
  constructor(readonly bytes: Uint8Array, readonly file: string) {
    this.bb = new ByteBuffer(bytes);
    this.size = bytes.length;
  }

  fail(what: string, at: number): never {
    throw new ModelError(`${this.file}: ${what} (at byte ${at} of ${this.size})`);
  }

  need(pos: number, bytes: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || pos + bytes > this.size) {
      this.fail(`${what} lies outside the file: the file is corrupt or truncated`, pos);
    }
  }

  u8(pos: number, what: string): number { this.need(pos, 1, what); return this.bb.readUint8(pos); }
  i8(pos: number, what: string): number { this.need(pos, 1, what); return this.bb.readInt8(pos); }
  u16(pos: number, what: string): number { this.need(pos, 2, what); return this.bb.readUint16(pos); }
  i32(pos: number, what: string): number { this.need(pos, 4, what); return this.bb.readInt32(pos); }
  u32(pos: number, what: string): number { this.need(pos, 4, what); return this.bb.readUint32(pos); }
  f32(pos: number, what: string): number { this.need(pos, 4, what); return this.bb.readFloat32(pos); }

  /** A u32 offset stored at `pos`, relative to `pos`. */
  deref(pos: number, what: string): number {
    const rel = this.u32(pos, `offset of ${what}`);
    const target = pos + rel;
    if (rel === 0 || target >= this.size) this.fail(`${what}: offset ${rel} points outside the file`, pos);
    return target;
  }

  table(pos: number, what: string): Table {
    const back = this.i32(pos, `${what} table`);
    const vtable = pos - back;
    this.need(vtable, 4, `${what} vtable`);
    if (vtable & 1) this.fail(`${what}: misaligned vtable`, vtable);
    const vtableBytes = this.u16(vtable, `${what} vtable`);
    const tableBytes = this.u16(vtable + 2, `${what} vtable`);
    if (vtableBytes < 4 || vtableBytes & 1) this.fail(`${what}: vtable size ${vtableBytes} is invalid`, vtable);
    this.need(vtable, vtableBytes, `${what} vtable`);
    if (tableBytes < 4) this.fail(`${what}: table size ${tableBytes} is invalid`, vtable + 2);
    this.need(pos, tableBytes, `${what} table`);
    return new Table(this, pos, vtable, vtableBytes, tableBytes, what);
  }
}

class Table {
  constructor(
    private readonly r: Reader, readonly pos: number, private readonly vtable: number,
    private readonly vtableBytes: number, private readonly tableBytes: number, readonly what: string,
  ) {}

  /** Absolute position of field `slot` (checked to hold `bytes` inside the table), or 0 when absent. */
  field(slot: number, bytes: number, name: string): number {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.vtableBytes) return 0;
    const off = this.r.u16(this.vtable + entry, `${this.what}.${name} vtable entry`);
    if (off === 0) return 0;
    if (off < 4 || off + bytes > this.tableBytes) this.r.fail(`${this.what}.${name}: field offset ${off} outside its ${this.tableBytes}-byte table`, this.vtable + entry);
    return this.pos + off;
  }

  u8(slot: number, name: string, dflt: number): number { const p = this.field(slot, 1, name); return p ? this.r.u8(p, name) : dflt; }
  i8(slot: number, name: string, dflt: number): number { const p = this.field(slot, 1, name); return p ? this.r.i8(p, name) : dflt; }
  i32(slot: number, name: string, dflt: number): number { const p = this.field(slot, 4, name); return p ? this.r.i32(p, name) : dflt; }
  u32(slot: number, name: string, dflt: number): number { const p = this.field(slot, 4, name); return p ? this.r.u32(p, name) : dflt; }
  f32(slot: number, name: string, dflt: number): number { const p = this.field(slot, 4, name); return p ? this.r.f32(p, name) : dflt; }
  bool(slot: number, name: string): boolean { return this.u8(slot, name, 0) !== 0; }

  /** A ulong field that must fit a JS number below 2^53. */
  u64(slot: number, name: string): number {
    const p = this.field(slot, 8, name);
    if (!p) return 0;
    const lo = this.r.u32(p, name);
    const hi = this.r.u32(p + 4, name);
    if (hi >= 1 << 21) this.r.fail(`${this.what}.${name}: value too large`, p);
    return hi * 2 ** 32 + lo;
  }

  table(slot: number, name: string): Table | null {
    const p = this.field(slot, 4, name);
    return p ? this.r.table(this.r.deref(p, `${this.what}.${name}`), `${this.what}.${name}`) : null;
  }

  /** Start and count of a vector of `elem`-byte elements, all inside the file. */
  vector(slot: number, name: string, elem: number): { start: number; length: number } | null {
    const p = this.field(slot, 4, name);
    if (!p) return null;
    const at = this.r.deref(p, `${this.what}.${name}`);
    const length = this.r.u32(at, `${this.what}.${name} length`);
    const start = at + 4;
    if (length > (this.r.size - start) / elem) this.r.fail(`${this.what}.${name}: ${length} elements of ${elem} bytes run past the end of the file`, at);
    return { start, length };
  }

  i32s(slot: number, name: string): number[] {
    const v = this.vector(slot, name, 4);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => this.r.i32(v.start + 4 * i, name));
  }

  f32s(slot: number, name: string): number[] {
    const v = this.vector(slot, name, 4);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => this.r.f32(v.start + 4 * i, name));
  }

  /** A vector of int64 that must each fit an int32. */
  i64sAsI32(slot: number, name: string): number[] {
    const v = this.vector(slot, name, 8);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => {
      const lo = this.r.u32(v.start + 8 * i, name);
      const hi = this.r.i32(v.start + 8 * i + 4, name);
      const value = hi * 2 ** 32 + lo;
      if (value < -(2 ** 31) || value >= 2 ** 31) this.r.fail(`${this.what}.${name}[${i}] = ${value} does not fit 32 bits`, v.start + 8 * i);
      return value;
    });
  }

  bytes(slot: number, name: string): Uint8Array {
    const v = this.vector(slot, name, 1);
    return v ? this.r.bytes.subarray(v.start, v.start + v.length) : new Uint8Array(0);
  }

  string(slot: number, name: string): string {
    const b = this.bytes(slot, name);
    return new TextDecoder('utf-8', { fatal: false }).decode(b);
  }

  tables(slot: number, name: string): Table[] {
    const v = this.vector(slot, name, 4);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => {
      const what = `${this.what}.${name}[${i}]`;
      return this.r.table(this.r.deref(v.start + 4 * i, what), what);
    });
  }
}

// Field slots, in schema.fbs declaration order (a union takes two slots: type, then value).
const MODEL = { version: 0, operator_codes: 1, subgraphs: 2, description: 3, buffers: 4 };
const OPERATOR_CODE = { deprecated_builtin_code: 0, custom_code: 1, version: 2, builtin_code: 3 };
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 };
const BUFFER = { data: 0, offset: 1, size: 2 };
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, is_variable: 5, sparsity: 6, shape_signature: 7 };
const QUANTIZATION = { min: 0, max: 1, scale: 2, zero_point: 3, details_type: 4, details: 5, quantized_dimension: 6 };
const OPERATOR = { opcode_index: 0, inputs: 1, outputs: 2, builtin_options_type: 3, builtin_options: 4 };
const CONV_2D_OPTIONS = { padding: 0, stride_w: 1, stride_h: 2, fused_activation_function: 3, dilation_w_factor: 4, dilation_h_factor: 5 };
const DEPTHWISE_OPTIONS = { padding: 0, stride_w: 1, stride_h: 2, depth_multiplier: 3, fused_activation_function: 4, dilation_w_factor: 5, dilation_h_factor: 6 };
const POOL_2D_OPTIONS = { padding: 0, stride_w: 1, stride_h: 2, filter_width: 3, filter_height: 4, fused_activation_function: 5 };
const FULLY_CONNECTED_OPTIONS = { fused_activation_function: 0, weights_format: 1, keep_num_dims: 2 };
const SOFTMAX_OPTIONS = { beta: 0 };
const ADD_OPTIONS = { fused_activation_function: 0 };
const RESHAPE_OPTIONS = { new_shape: 0 };

function readOptions(type: number, t: Table): BuiltinOptions | null {
  switch (type) {
    case OptionsType.Conv2D: {
      const f = CONV_2D_OPTIONS;
      return {
        kind: 'conv2d', padding: t.i8(f.padding, 'padding', 0), strideW: t.i32(f.stride_w, 'stride_w', 0),
        strideH: t.i32(f.stride_h, 'stride_h', 0), activation: t.i8(f.fused_activation_function, 'fused_activation_function', 0),
        dilationW: t.i32(f.dilation_w_factor, 'dilation_w_factor', 1), dilationH: t.i32(f.dilation_h_factor, 'dilation_h_factor', 1),
      };
    }
    case OptionsType.DepthwiseConv2D: {
      const f = DEPTHWISE_OPTIONS;
      return {
        kind: 'depthwise', padding: t.i8(f.padding, 'padding', 0), strideW: t.i32(f.stride_w, 'stride_w', 0),
        strideH: t.i32(f.stride_h, 'stride_h', 0), depthMultiplier: t.i32(f.depth_multiplier, 'depth_multiplier', 0),
        activation: t.i8(f.fused_activation_function, 'fused_activation_function', 0),
        dilationW: t.i32(f.dilation_w_factor, 'dilation_w_factor', 1), dilationH: t.i32(f.dilation_h_factor, 'dilation_h_factor', 1),
      };
    }
    case OptionsType.Pool2D: {
      const f = POOL_2D_OPTIONS;
      return {
        kind: 'pool2d', padding: t.i8(f.padding, 'padding', 0), strideW: t.i32(f.stride_w, 'stride_w', 0),
        strideH: t.i32(f.stride_h, 'stride_h', 0), filterW: t.i32(f.filter_width, 'filter_width', 0),
        filterH: t.i32(f.filter_height, 'filter_height', 0), activation: t.i8(f.fused_activation_function, 'fused_activation_function', 0),
      };
    }
    case OptionsType.FullyConnected: {
      const f = FULLY_CONNECTED_OPTIONS;
      return {
        kind: 'fullyConnected', activation: t.i8(f.fused_activation_function, 'fused_activation_function', 0),
        weightsFormat: t.i8(f.weights_format, 'weights_format', 0), keepNumDims: t.bool(f.keep_num_dims, 'keep_num_dims'),
      };
    }
    case OptionsType.Softmax:
      return { kind: 'softmax', beta: t.f32(SOFTMAX_OPTIONS.beta, 'beta', 0) };
    case OptionsType.Add:
      return { kind: 'add', activation: t.i8(ADD_OPTIONS.fused_activation_function, 'fused_activation_function', 0) };
    case OptionsType.Reshape:
      return { kind: 'reshape', newShape: t.i32s(RESHAPE_OPTIONS.new_shape, 'new_shape') };
    default:
      return null;
  }
}

/** Parses and checks a .tflite file. `file` names it in error messages. */
export function readTflite(bytes: Uint8Array, file = 'model.tflite'): TfliteModel {
  const r = new Reader(bytes, file);
  if (bytes.length < 8) r.fail('too short to be a TensorFlow Lite model', 0);
  const ident = String.fromCharCode(...bytes.subarray(4, 8));
  if (ident !== 'TFL3') r.fail(`not a TensorFlow Lite model: file identifier "${ident.replace(/[^\x20-\x7e]/g, '?')}", expected "TFL3"`, 4);
  const root = r.table(r.deref(0, 'root table'), 'Model');

  const version = root.u32(MODEL.version, 'version', 0);
  if (version !== 3) r.fail(`Model.version is ${version}; only schema version 3 is read`, root.pos);

  const operatorCodes = root.tables(MODEL.operator_codes, 'operator_codes').map((t): OperatorCode => {
    const deprecated = t.i8(OPERATOR_CODE.deprecated_builtin_code, 'deprecated_builtin_code', 0);
    const code = t.i32(OPERATOR_CODE.builtin_code, 'builtin_code', 0);
    return {
      builtinCode: Math.max(deprecated, code),
      customCode: t.string(OPERATOR_CODE.custom_code, 'custom_code'),
      version: t.i32(OPERATOR_CODE.version, 'version', 1),
    };
  });

  const bufferTables = root.tables(MODEL.buffers, 'buffers');
  const buffers = bufferTables.map((t, i): Uint8Array => {
    const offset = t.u64(BUFFER.offset, 'offset');
    const size = t.u64(BUFFER.size, 'size');
    if (offset > 1) {
      // Data kept after the FlatBuffer (models above 2 GB): an absolute file offset.
      if (offset + size > bytes.length) r.fail(`Model.buffers[${i}]: ${size} bytes at offset ${offset} run past the end of the file`, t.pos);
      return bytes.subarray(offset, offset + size);
    }
    return t.bytes(BUFFER.data, 'data');
  });

  const subgraphs = root.tables(MODEL.subgraphs, 'subgraphs').map((sg, s): SubGraph => {
    const tensors = sg.tables(SUBGRAPH.tensors, 'tensors').map((t, index): Tensor => {
      const shape = t.i32s(TENSOR.shape, 'shape');
      shape.forEach((d, k) => {
        if (d < 0 || d > MAX_DIM) r.fail(`Subgraph ${s} tensor ${index}: dimension ${k} is ${d}`, t.pos);
      });
      const buffer = t.u32(TENSOR.buffer, 'buffer', 0);
      if (buffer >= Math.max(buffers.length, 1)) r.fail(`Subgraph ${s} tensor ${index}: buffer ${buffer} does not exist (${buffers.length} buffers)`, t.pos);
      const q = t.table(TENSOR.quantization, 'quantization');
      let quantization: Quantization | null = null;
      if (q) {
        const scale = q.f32s(QUANTIZATION.scale, 'scale');
        const zeroPoint = q.i64sAsI32(QUANTIZATION.zero_point, 'zero_point');
        const quantizedDimension = q.i32(QUANTIZATION.quantized_dimension, 'quantized_dimension', 0);
        if (scale.length || zeroPoint.length) quantization = { scale, zeroPoint, quantizedDimension };
      }
      return {
        index, shape, buffer, quantization,
        name: t.string(TENSOR.name, 'name'),
        type: t.i8(TENSOR.type, 'type', 0),
        sparse: t.field(TENSOR.sparsity, 4, 'sparsity') !== 0,
      };
    });
    const checkIndices = (list: number[], what: string, optional: boolean) => {
      for (const i of list) {
        if ((optional && i === -1) || (i >= 0 && i < tensors.length)) continue;
        r.fail(`Subgraph ${s} ${what} names tensor ${i}, which does not exist (${tensors.length} tensors)`, sg.pos);
      }
      return list;
    };
    const operators = sg.tables(SUBGRAPH.operators, 'operators').map((op, index): Operator => {
      const opcodeIndex = op.u32(OPERATOR.opcode_index, 'opcode_index', 0);
      if (opcodeIndex >= operatorCodes.length) r.fail(`operator ${index}: opcode_index ${opcodeIndex} does not exist (${operatorCodes.length} operator codes)`, op.pos);
      const optionsType = op.u8(OPERATOR.builtin_options_type, 'builtin_options_type', 0);
      const optionsTable = optionsType === OptionsType.NONE ? null : op.table(OPERATOR.builtin_options, 'builtin_options');
      return {
        index, opcodeIndex, optionsType,
        inputs: checkIndices(op.i32s(OPERATOR.inputs, 'inputs'), `operator ${index} inputs`, true),
        outputs: checkIndices(op.i32s(OPERATOR.outputs, 'outputs'), `operator ${index} outputs`, false),
        options: optionsTable ? readOptions(optionsType, optionsTable) : null,
      };
    });
    return {
      tensors, operators,
      inputs: checkIndices(sg.i32s(SUBGRAPH.inputs, 'inputs'), 'inputs', false),
      outputs: checkIndices(sg.i32s(SUBGRAPH.outputs, 'outputs'), 'outputs', false),
      name: sg.string(SUBGRAPH.name, 'name'),
    };
  });
  if (subgraphs.length === 0) r.fail('the model has no subgraph', root.pos);

  return { file, version, description: root.string(MODEL.description, 'description'), operatorCodes, subgraphs, buffers };
}
