// The kernels' parameter records (firmware/src/infer/params.ts) as the host lays them out:
// 4-byte little-endian fields in declaration order. Field lists must match the AssemblyScript
// classes exactly; test/infer-kernels.test.ts checks each record's size against the module.

export const CONV_FIELDS = [
  'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'filterH', 'filterW', 'filterC', 'depthMultiplier',
  'strideH', 'strideW', 'dilationH', 'dilationW', 'padH', 'padW',
  'inputOffset', 'outputOffset', 'actMin', 'actMax', 'bias', 'multipliers', 'shifts', 'arithmetic',
] as const;

export const FULLY_CONNECTED_FIELDS = [
  'batches', 'inDepth', 'outDepth', 'inputOffset', 'filterOffset', 'outputOffset',
  'outputMultiplier', 'outputShift', 'actMin', 'actMax', 'bias', 'multipliers', 'shifts', 'arithmetic',
] as const;

export const POOL_FIELDS = [
  'inH', 'inW', 'channels', 'outH', 'outW', 'filterH', 'filterW', 'strideH', 'strideW',
  'padH', 'padW', 'actMin', 'actMax',
] as const;

export const ADD_FIELDS = [
  'input1Offset', 'input2Offset', 'leftShift', 'input1Multiplier', 'input1Shift',
  'input2Multiplier', 'input2Shift', 'outputMultiplier', 'outputShift', 'outputOffset',
  'actMin', 'actMax',
] as const;

export const RELU_FIELDS = [
  'inputZeroPoint', 'outputOffset', 'outputMultiplier', 'outputShift', 'actMin', 'actMax',
] as const;

export const SOFTMAX_FIELDS = [
  'rows', 'depth', 'inputMultiplier', 'inputLeftShift', 'diffMin', 'arithmetic', 'outputScale', 'table',
] as const;

/**
 * The `arithmetic` field of the CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and SOFTMAX records
 * (docs/inference.md): 0, TensorFlow Lite Micro's fixed point; 1, desktop TensorFlow Lite's
 * float requantisation (XNNPACK) and float lookup-table softmax.
 */
export const ARITHMETIC_TFLM = 0;
export const ARITHMETIC_TFLITE = 1;

/** Fields that may be left out of a record: they default to 0 (TFLM arithmetic, no table). */
const DEFAULT_ZERO: ReadonlySet<string> = new Set(['arithmetic', 'outputScale', 'table']);

/** A float32's bit pattern as a signed 32-bit integer (how records carry float scales). */
export function f32Bits(x: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x, true);
  return v.getInt32(0, true);
}

/** The float32 whose bit pattern is `bits`. */
export function bitsF32(bits: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setInt32(0, bits, true);
  return v.getFloat32(0, true);
}

export type Record_<F extends readonly string[]> = { [K in F[number]]: number };
export type ConvRecord = Record_<typeof CONV_FIELDS>;
export type FullyConnectedRecord = Record_<typeof FULLY_CONNECTED_FIELDS>;
export type PoolRecord = Record_<typeof POOL_FIELDS>;
export type AddRecord = Record_<typeof ADD_FIELDS>;
export type ReluRecord = Record_<typeof RELU_FIELDS>;
export type SoftmaxRecord = Record_<typeof SOFTMAX_FIELDS>;

/** Packs a record as the module reads it (addresses as unsigned 32-bit values). */
export function packParams<F extends readonly string[]>(fields: F, values: Partial<Record_<F>>): Uint8Array {
  const out = new Uint8Array(fields.length * 4);
  const view = new DataView(out.buffer);
  fields.forEach((name, i) => {
    const given = (values as Record<string, number | undefined>)[name];
    const v = given === undefined && DEFAULT_ZERO.has(name) ? 0 : given;
    if (!Number.isInteger(v)) throw new Error(`parameter ${name} is not an integer: ${v}`);
    view.setInt32(i * 4, (v as number) | 0, true);
  });
  return out;
}
