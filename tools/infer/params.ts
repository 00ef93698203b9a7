// The kernels' parameter records (firmware/src/infer/params.ts) as the host lays them out:
// 4-byte little-endian fields in declaration order. Field lists must match the AssemblyScript
// classes exactly; test/infer-kernels.test.ts checks each record's size against the module.

export const CONV_FIELDS = [
  'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'filterH', 'filterW', 'filterC', 'depthMultiplier',
  'strideH', 'strideW', 'dilationH', 'dilationW', 'padH', 'padW',
  'inputOffset', 'outputOffset', 'actMin', 'actMax', 'bias', 'multipliers', 'shifts',
] as const;

export const FULLY_CONNECTED_FIELDS = [
  'batches', 'inDepth', 'outDepth', 'inputOffset', 'filterOffset', 'outputOffset',
  'outputMultiplier', 'outputShift', 'actMin', 'actMax', 'bias', 'multipliers', 'shifts',
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

export const SOFTMAX_FIELDS = ['rows', 'depth', 'inputMultiplier', 'inputLeftShift', 'diffMin'] as const;

export type Record_<F extends readonly string[]> = { [K in F[number]]: number };
export type ConvRecord = Record_<typeof CONV_FIELDS>;
export type FullyConnectedRecord = Record_<typeof FULLY_CONNECTED_FIELDS>;
export type PoolRecord = Record_<typeof POOL_FIELDS>;
export type AddRecord = Record_<typeof ADD_FIELDS>;
export type ReluRecord = Record_<typeof RELU_FIELDS>;
export type SoftmaxRecord = Record_<typeof SOFTMAX_FIELDS>;

/** Packs a record as the module reads it (addresses as unsigned 32-bit values). */
export function packParams<F extends readonly string[]>(fields: F, values: Record_<F>): Uint8Array {
  const out = new Uint8Array(fields.length * 4);
  const view = new DataView(out.buffer);
  fields.forEach((name, i) => {
    const v = (values as Record<string, number>)[name];
    if (!Number.isInteger(v)) throw new Error(`parameter ${name} is not an integer: ${v}`);
    view.setInt32(i * 4, v | 0, true);
  });
  return out;
}
