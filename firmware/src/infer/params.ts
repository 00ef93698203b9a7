// Parameter records of the inference kernels. Each is a flat @unmanaged record of 4-byte
// fields (i32, or a usize address into linear memory), so a record can be filled field by
// field or laid down as bytes by the model importer and viewed in place with changetype.
// tools/infer/params.ts lists the same fields in the same order; the tests check the sizes.
//
// Conventions, as in TFLite's int8 kernels:
// - an *input* or *filter* offset is the NEGATED zero point (added to the stored value);
//   an *output* offset is the zero point itself (added after requantisation);
// - actMin/actMax is the int8 range of the fused activation (NONE: -128..127, RELU: zp..127,
//   RELU6: zp..zp+round(6/scale), each clipped to int8);
// - tensors are NHWC int8 with batch 1 (a caller loops over batches by moving the pointers);
// - (multiplier, shift) pairs come from QuantizeMultiplier (tools/infer/quant.ts);
// - `arithmetic` selects how a requantising kernel rounds (docs/inference.md): ARITHMETIC_TFLM
//   (0, the default) is TensorFlow Lite Micro's fixed point; ARITHMETIC_TFLITE (1) is desktop
//   TensorFlow Lite's, where a multiplier field holds a float32 scale's bits instead.

/** TensorFlow Lite Micro's fixed-point requantisation and softmax (the default). */
export const ARITHMETIC_TFLM: i32 = 0;
/** Desktop TensorFlow Lite (XNNPACK): float32 requantisation, float lookup-table softmax. */
export const ARITHMETIC_TFLITE: i32 = 1;

/** CONV_2D and DEPTHWISE_CONV_2D (per-channel weights, int32 bias). */
// @ts-ignore: decorator
@unmanaged
export class ConvParams {
  inH: i32;
  inW: i32;
  inC: i32;
  outH: i32;
  outW: i32;
  outC: i32;
  filterH: i32;
  filterW: i32;
  /** CONV_2D: input channels per filter (inC, or inC / groups). Ignored by depthwise. */
  filterC: i32;
  /** DEPTHWISE_CONV_2D: output channels per input channel (outC = inC * depthMultiplier). */
  depthMultiplier: i32;
  strideH: i32;
  strideW: i32;
  dilationH: i32;
  dilationW: i32;
  /** Top and left padding (tools/infer/quant.ts computePadding); bottom/right is implied. */
  padH: i32;
  padW: i32;
  inputOffset: i32;
  outputOffset: i32;
  actMin: i32;
  actMax: i32;
  /** int32[outC] bias, or 0 for none. */
  bias: usize;
  /**
   * int32[outC] per-channel multipliers and shifts. With ARITHMETIC_TFLITE, `multipliers` holds
   * each channel's float32 scale (input scale x filter scale / output scale) and `shifts` is unused.
   */
  multipliers: usize;
  shifts: usize;
  arithmetic: i32;
}

/** FULLY_CONNECTED: per-tensor (or, with `multipliers` set, per-channel) weights. */
// @ts-ignore: decorator
@unmanaged
export class FullyConnectedParams {
  batches: i32;
  /** Input values per batch (the filter's row length). */
  inDepth: i32;
  /** Output values per batch (the filter's row count). */
  outDepth: i32;
  inputOffset: i32;
  /** Negated filter zero point (0 for symmetric int8 weights). */
  filterOffset: i32;
  outputOffset: i32;
  outputMultiplier: i32;
  outputShift: i32;
  actMin: i32;
  actMax: i32;
  /** int32[outDepth] bias, or 0 for none. */
  bias: usize;
  /**
   * int32[outDepth] per-channel multipliers and shifts, or 0 to use outputMultiplier/Shift.
   * With ARITHMETIC_TFLITE the multipliers (or outputMultiplier) are float32 scales' bits.
   */
  multipliers: usize;
  shifts: usize;
  arithmetic: i32;
}

/** AVERAGE_POOL_2D and MAX_POOL_2D (input and output share scale and zero point). */
// @ts-ignore: decorator
@unmanaged
export class PoolParams {
  inH: i32;
  inW: i32;
  channels: i32;
  outH: i32;
  outW: i32;
  filterH: i32;
  filterW: i32;
  strideH: i32;
  strideW: i32;
  padH: i32;
  padW: i32;
  actMin: i32;
  actMax: i32;
}

/** ADD (TFLite Micro's int8 Add: both inputs rescaled to a common 2^-20 grid). */
// @ts-ignore: decorator
@unmanaged
export class AddParams {
  input1Offset: i32;
  input2Offset: i32;
  /** 20 for int8. */
  leftShift: i32;
  input1Multiplier: i32;
  /** <= 0 (QuantizeMultiplierSmallerThanOneExp). */
  input1Shift: i32;
  input2Multiplier: i32;
  input2Shift: i32;
  outputMultiplier: i32;
  outputShift: i32;
  outputOffset: i32;
  actMin: i32;
  actMax: i32;
}

/** RELU as TFLite Micro runs it on int8: requantise input to output, then clamp. */
// @ts-ignore: decorator
@unmanaged
export class ReluParams {
  /** The input zero point itself (subtracted), as in TFLite Micro's ReluOpData. */
  inputZeroPoint: i32;
  outputOffset: i32;
  outputMultiplier: i32;
  outputShift: i32;
  actMin: i32;
  actMax: i32;
}

/** SOFTMAX, int8 in, int8 out (scale 1/256, zero point -128). */
// @ts-ignore: decorator
@unmanaged
export class SoftmaxParams {
  /** Rows (product of all dimensions but the last). */
  rows: i32;
  /** Length of the last dimension, over which softmax runs. */
  depth: i32;
  inputMultiplier: i32;
  inputLeftShift: i32;
  /** Input differences from the row maximum below this give exactly -128. */
  diffMin: i32;
  arithmetic: i32;
  /** ARITHMETIC_TFLITE: the output scale's float32 bits. */
  outputScale: i32;
  /** ARITHMETIC_TFLITE: f32[256], exp(-inputScale * beta * k) at index 255 - k. */
  table: usize;
}
