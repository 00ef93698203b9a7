// Host-side quantisation arithmetic: what an importer computes once from a .tflite file's
// float scales, exactly as TensorFlow Lite (Micro) computes it in its Prepare functions
// (tensorflow/lite/kernels/internal/quantization_util.cc, kernel_util.cc, padding.h and the
// kernels' *_common.cc). Doubles where TFLite uses double, float32 where it uses float.

export interface QuantizedMultiplier {
  /** Q0.31 significand in [2^30, 2^31), or 0. */
  multiplier: number;
  /** Power of two: real = multiplier / 2^31 * 2^shift. */
  shift: number;
}

/** C's frexp: x = fraction * 2^exponent with |fraction| in [0.5, 1) (0 for 0). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  let biased = (hi >>> 20) & 0x7ff;
  let scaled = x;
  let extra = 0;
  if (biased === 0) {
    // Subnormal: scale into the normal range first (exact).
    scaled = x * 2 ** 64;
    extra = -64;
    view.setFloat64(0, scaled);
    biased = (view.getUint32(0) >>> 20) & 0x7ff;
  }
  const exponent = biased - 1022;
  // Set the biased exponent to 1022 so the magnitude lands in [0.5, 1).
  view.setUint32(0, (view.getUint32(0) & 0x800fffff) | (1022 << 20));
  return [view.getFloat64(0), exponent + extra];
}

/** std::round / TfLiteRound: nearest, halves away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/**
 * TFLite QuantizeMultiplier (double-rounding build): frexp, round the fraction to Q0.31,
 * renormalise a fraction that rounded up to 1.0, and flush shifts below -31 to (0, 0).
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (real === 0) return { multiplier: 0, shift: 0 };
  const [fraction, exponent] = frexp(real);
  let shift = exponent;
  let q = roundHalfAway(fraction * 2 ** 31);
  if (q > 2 ** 31) throw new Error(`QuantizeMultiplier: ${real} out of range`);
  if (q === 2 ** 31) {
    q /= 2;
    shift += 1;
  }
  if (shift < -31) {
    shift = 0;
    q = 0;
  }
  return { multiplier: q, shift };
}

/** QuantizeMultiplierSmallerThanOneExp: 0 < real < 1, shift <= 0. */
export function quantizeMultiplierSmallerThanOneExp(real: number): QuantizedMultiplier {
  if (!(real > 0 && real < 1)) throw new Error(`multiplier ${real} not in (0, 1)`);
  const q = quantizeMultiplier(real);
  if (q.shift > 0) throw new Error(`multiplier ${real} gave shift ${q.shift}`);
  return q;
}

/** QuantizeMultiplierGreaterThanOne: real > 1, shift >= 0. */
export function quantizeMultiplierGreaterThanOne(real: number): QuantizedMultiplier {
  if (!(real > 1)) throw new Error(`multiplier ${real} not above 1`);
  const q = quantizeMultiplier(real);
  if (q.shift < 0) throw new Error(`multiplier ${real} gave shift ${q.shift}`);
  return q;
}

const f32 = Math.fround;

/** Per-channel (or per-tensor) conv/FC multipliers: input_scale * filter_scale / output_scale. */
export function convMultipliers(inputScale: number, filterScales: ArrayLike<number>, outputScale: number): QuantizedMultiplier[] {
  return Array.from(filterScales, (s) => quantizeMultiplier((f32(inputScale) * f32(s)) / f32(outputScale)));
}

export type Activation = 'NONE' | 'RELU' | 'RELU6' | 'RELU_N1_TO_1';

/** CalculateActivationRangeQuantized for int8 (float arithmetic, as TFLite). */
export function activationRange(act: Activation, scale: number, zeroPoint: number): [number, number] {
  const quantize = (f: number) => zeroPoint + roundHalfAway(f32(f32(f) / f32(scale)));
  switch (act) {
    case 'RELU': return [Math.max(-128, quantize(0)), 127];
    case 'RELU6': return [Math.max(-128, quantize(0)), Math.min(127, quantize(6))];
    case 'RELU_N1_TO_1': return [Math.max(-128, quantize(-1)), Math.min(127, quantize(1))];
    default: return [-128, 127];
  }
}

export type Padding = 'SAME' | 'VALID';

/** ComputeOutSize (kernels/padding.h). */
export function computeOutSize(padding: Padding, size: number, filter: number, stride: number, dilation = 1): number {
  const effective = (filter - 1) * dilation + 1;
  if (stride === 0) return 0;
  return padding === 'SAME'
    ? Math.trunc((size + stride - 1) / stride)
    : Math.trunc((size + stride - effective) / stride);
}

/** ComputePaddingWithOffset: top/left padding (the kernels' padH/padW); bottom/right is implied. */
export function computePadding(stride: number, dilation: number, inSize: number, filter: number, outSize: number): number {
  const effective = (filter - 1) * dilation + 1;
  const total = (outSize - 1) * stride + effective - inSize;
  return total > 0 ? Math.trunc(total / 2) : 0;
}

/** PreprocessSoftmaxScaling + CalculateInputRadius, as TFLite Micro's int8 softmax Prepare. */
export function softmaxScaling(beta: number, inputScale: number): { inputMultiplier: number; inputLeftShift: number; diffMin: number } {
  const integerBits = 5;
  const maxReal = 2 ** 31 - 1;
  const real = Math.min(f32(beta) * f32(inputScale) * 2 ** (31 - integerBits), maxReal);
  const q = quantizeMultiplierGreaterThanOne(real);
  return { inputMultiplier: q.multiplier, inputLeftShift: q.shift, diffMin: -calculateInputRadius(integerBits, q.shift) };
}

/** CalculateInputRadius: the largest input difference that still fits after scaling. */
export function calculateInputRadius(integerBits: number, leftShift: number, totalSignedBits = 31): number {
  const max = (((2 ** integerBits - 1) * 2 ** (totalSignedBits - integerBits)) / 2 ** leftShift);
  return Math.floor(max);
}

/** TFLite Micro's int8 ADD parameters (add_common.cc): left shift 20, three multipliers. */
export function addScaling(scale1: number, scale2: number, outputScale: number) {
  const leftShift = 20;
  const twiceMax = 2 * Math.max(f32(scale1), f32(scale2));
  const in1 = quantizeMultiplierSmallerThanOneExp(f32(scale1) / twiceMax);
  const in2 = quantizeMultiplierSmallerThanOneExp(f32(scale2) / twiceMax);
  const out = quantizeMultiplierSmallerThanOneExp(twiceMax / (2 ** leftShift * f32(outputScale)));
  return {
    leftShift,
    input1Multiplier: in1.multiplier, input1Shift: in1.shift,
    input2Multiplier: in2.multiplier, input2Shift: in2.shift,
    outputMultiplier: out.multiplier, outputShift: out.shift,
  };
}

/** TFLite Micro's RELU6 bounds on int8 (FloatToQuantizedType of 0 and 6). */
export function relu6Bounds(scale: number, zeroPoint: number): [number, number] {
  const six = roundHalfAway(f32(6 / f32(scale))) + zeroPoint;
  return [zeroPoint, Math.min(127, Math.max(-128, six))];
}

/** TFLite Micro's int8 RELU parameters (CalculateReluOpData): requantise, clamp at the zero point. */
export function reluScaling(inputScale: number, inputZeroPoint: number, outputScale: number, outputZeroPoint: number) {
  const q = quantizeMultiplier(f32(inputScale) / f32(outputScale));
  return {
    inputZeroPoint, outputOffset: outputZeroPoint, outputMultiplier: q.multiplier, outputShift: q.shift,
    actMin: Math.max(-128, outputZeroPoint + roundHalfAway(f32(0 / f32(outputScale)))), actMax: 127,
  };
}
